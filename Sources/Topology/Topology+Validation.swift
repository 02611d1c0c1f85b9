import Foundation

/// A topology file that cannot be used: one line naming the file, the field and what is wrong.
public struct TopologyError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Topology {
    public static let schemes = ["defection-free"]
    public static let capPolicies = ["exact", "duopoly-pairwise"]
    public static let datasets = ["mnist", "fashion-mnist"]
    public static let activations = ["tanh", "relu"]
    /// Images in the MNIST training set: no set of shards can ask for more.
    public static let trainingSetSize = 60_000

    /// Reads and validates a topology file.
    public static func load(_ url: URL) throws -> Topology {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TopologyError("\(url.path): cannot read the file (\(error.localizedDescription))")
        }
        return try parse(data, file: url.path)
    }

    /// Parses and validates topology JSON; `file` names the source in errors.
    public static func parse(_ data: Data, file: String) throws -> Topology {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw TopologyError("\(file): not valid JSON (\(error.localizedDescription))")
        }
        var r = FieldReader(file: file)
        guard let root = json as? [String: Any] else { throw TopologyError("\(file): the top level must be a JSON object") }
        try r.allow(root, at: "", ["name", "description", "seed", "rounds", "dataset", "scheme", "cap_policy",
                                    "top_quality", "timeout_s", "training", "endpoints", "firms"])
        guard let name = try r.string(root, "name", at: "") else { throw r.error("name", "is required") }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".") else {
            throw r.error("name", "'\(name)' must be letters, digits, '-', '_' or '.' (it names the run directory)")
        }
        var t = Topology(name: name, firms: [])
        if let v = try r.string(root, "description", at: "") { t.description = v }
        if let v = try r.int(root, "seed", at: "", min: 0) { t.seed = UInt64(v) }
        if let v = try r.int(root, "rounds", at: "", min: 0) { t.rounds = v }
        if let v = try r.choice(root, "dataset", at: "", datasets) { t.dataset = v }
        if let v = try r.choice(root, "scheme", at: "", schemes) { t.scheme = v }
        if let v = try r.choice(root, "cap_policy", at: "", capPolicies) { t.capPolicy = v }
        if let raw = root["top_quality"] as? String {
            let epochs = raw == "pilot" ? 20 : (raw.hasPrefix("pilot:") ? Int(raw.dropFirst(6)) : nil)
            guard let epochs, epochs >= 1 else {
                throw r.error("top_quality", "'\(raw)' is neither a number in (0, 1] nor \"pilot\" or \"pilot:EPOCHS\"")
            }
            t.topQuality = .pilot(epochs: epochs)
        } else if let v = try r.number(root, "top_quality", at: "", range: 0...1) {
            guard v > 0 else { throw r.error("top_quality", "must be > 0, got \(v)") }
            t.topQuality = .value(v)
        }
        if let v = try r.number(root, "timeout_s", at: "", range: 0.1...86_400) { t.timeoutSeconds = v }
        if let training = try r.object(root, "training", at: "") {
            try r.allow(training, at: "training.", ["batch_size", "learning_rate", "activation", "max_step_retries", "target_size"])
            if let v = try r.int(training, "batch_size", at: "training.", min: 1) { t.training.batchSize = v }
            if let v = try r.number(training, "learning_rate", at: "training.", range: 0...100) {
                guard v > 0 else { throw r.error("training.learning_rate", "must be > 0, got \(v)") }
                t.training.learningRate = v
            }
            if let v = try r.choice(training, "activation", at: "training.", activations) { t.training.activation = v }
            if let v = try r.int(training, "max_step_retries", at: "training.", min: 0) { t.training.maxStepRetries = v }
            if let v = try r.int(training, "target_size", at: "training.", min: 0) {
                guard v <= 10_000 else { throw r.error("training.target_size", "must be at most 10000 (the test set), got \(v)") }
                t.training.targetSize = v
            }
        }
        if let endpoints = try r.object(root, "endpoints", at: "") {
            try r.allow(endpoints, at: "endpoints.", ["broadcast", "report"])
            if let v = try r.string(endpoints, "broadcast", at: "endpoints.") { t.endpoints.broadcast = try r.endpoint(v, "endpoints.broadcast") }
            if let v = try r.string(endpoints, "report", at: "endpoints.") { t.endpoints.report = try r.endpoint(v, "endpoints.report") }
        }
        guard let firmsValue = root["firms"] else { throw r.error("firms", "is required") }
        guard let firms = firmsValue as? [Any] else { throw r.error("firms", "must be an array of firm objects") }
        guard !firms.isEmpty else { throw r.error("firms", "must list at least one firm") }
        var seen = Set<String>()
        for (i, value) in firms.enumerated() {
            let at = "firms[\(i)]."
            guard let f = value as? [String: Any] else { throw r.error("firms[\(i)]", "must be an object") }
            try r.allow(f, at: at, ["id", "shard_size", "low_label_fraction", "pretrain_epochs"])
            guard let id = try r.string(f, "id", at: at) else { throw r.error(at + "id", "is required") }
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw r.error(at + "id", "'\(id)' must be non-empty letters, digits, '-' or '_'")
            }
            guard seen.insert(id).inserted else { throw r.error(at + "id", "duplicate firm id '\(id)'") }
            var spec = FirmSpec(id: id)
            if let v = try r.int(f, "shard_size", at: at, min: 1) { spec.shardSize = v }
            if let v = try r.number(f, "low_label_fraction", at: at, range: 0...1) { spec.lowLabelFraction = v }
            if let v = try r.int(f, "pretrain_epochs", at: at, min: 0) { spec.pretrainEpochs = v }
            t.firms.append(spec)
        }
        let total = t.firms.reduce(0) { $0 + $1.shardSize }
        guard total <= trainingSetSize else {
            throw r.error("firms", "shard sizes add up to \(total) images, more than the \(trainingSetSize) in the training set")
        }
        for (i, f) in t.firms.enumerated() where f.shardSize < t.training.batchSize {
            throw r.error("firms[\(i)].shard_size", "\(f.shardSize) is smaller than training.batch_size \(t.training.batchSize): no full batch")
        }
        return t
    }
}

/// Typed field access with errors that name the file and the field path.
struct FieldReader {
    let file: String

    func error(_ field: String, _ what: String) -> TopologyError {
        TopologyError("\(file): \(field): \(what)")
    }

    func allow(_ object: [String: Any], at path: String, _ known: [String]) throws {
        for key in object.keys.sorted() where !known.contains(key) {
            throw error(path + key, "unknown field (known: \(known.joined(separator: ", ")))")
        }
    }

    private func isBool(_ v: Any) -> Bool {
        guard let n = v as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }

    private func show(_ v: Any) -> String {
        if isBool(v) { return (v as! NSNumber).boolValue ? "true" : "false" }
        if let s = v as? String { return "\"\(s)\"" }
        if v is NSNull { return "null" }
        if v is [Any] { return "an array" }
        if v is [String: Any] { return "an object" }
        return "\(v)"
    }

    func string(_ o: [String: Any], _ key: String, at path: String) throws -> String? {
        guard let v = o[key] else { return nil }
        guard let s = v as? String else { throw error(path + key, "expected a string, got \(show(v))") }
        return s
    }

    func choice(_ o: [String: Any], _ key: String, at path: String, _ options: [String]) throws -> String? {
        guard let s = try string(o, key, at: path) else { return nil }
        guard options.contains(s) else {
            throw error(path + key, "'\(s)' is not one of \(options.joined(separator: ", "))")
        }
        return s
    }

    func number(_ o: [String: Any], _ key: String, at path: String, range: ClosedRange<Double>) throws -> Double? {
        guard let v = o[key] else { return nil }
        guard !isBool(v), let n = v as? NSNumber else { throw error(path + key, "expected a number, got \(show(v))") }
        let d = n.doubleValue
        guard d.isFinite, range.contains(d) else {
            throw error(path + key, "\(d) is outside [\(range.lowerBound), \(range.upperBound)]")
        }
        return d
    }

    func int(_ o: [String: Any], _ key: String, at path: String, min: Int) throws -> Int? {
        guard let v = o[key] else { return nil }
        guard !isBool(v), let n = v as? NSNumber, n.doubleValue == n.doubleValue.rounded(), abs(n.doubleValue) < 1e15 else {
            throw error(path + key, "expected an integer, got \(show(v))")
        }
        let i = n.intValue
        guard i >= min else { throw error(path + key, "must be at least \(min), got \(i)") }
        return i
    }

    func object(_ o: [String: Any], _ key: String, at path: String) throws -> [String: Any]? {
        guard let v = o[key] else { return nil }
        guard let obj = v as? [String: Any] else { throw error(path + key, "expected an object, got \(show(v))") }
        return obj
    }

    func endpoint(_ s: String, _ field: String) throws -> String {
        guard s.hasPrefix("tcp://") || s.hasPrefix("ipc://") || s.hasPrefix("inproc://") else {
            throw error(field, "'\(s)' is not a ZeroMQ endpoint (tcp://HOST:PORT or ipc://PATH)")
        }
        return s
    }
}
