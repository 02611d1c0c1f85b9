import Foundation

/// One experiment: the firms, their data, the training settings and the scheme.
/// Every field and its default is documented in docs/topologies.md.
public struct Topology: Sendable, Equatable, Codable {
    public var name: String
    public var description: String = ""
    /// Seeds shards, initialisations and batch orders; a run is a function of it.
    public var seed: UInt64 = 0
    /// Collaboration rounds after pre-training (the paper's T).
    public var rounds: Int = 200
    /// "mnist" or "fashion-mnist".
    public var dataset: String = "mnist"
    /// Collaboration scheme; only the paper's "defection-free" for now.
    public var scheme: String = "defection-free"
    /// How lower firms' caps are computed: "exact" (safe) or "duopoly-pairwise" (study only).
    public var capPolicy: String = "exact"
    /// The best achievable top quality q_h* used by the Nash bargaining target.
    public var topQuality: TopQuality = .value(1.0)
    /// Seconds the broker waits for any expected message before it names the silent firm and stops.
    public var timeoutSeconds: Double = 600
    public var training = Training()
    public var endpoints = Endpoints()
    public var firms: [FirmSpec]

    enum CodingKeys: String, CodingKey {
        case name, description, seed, rounds, dataset, scheme, training, endpoints, firms
        case capPolicy = "cap_policy", topQuality = "top_quality", timeoutSeconds = "timeout_s"
    }

    public struct Training: Sendable, Equatable, Codable {
        public var batchSize: Int = 32
        public var learningRate: Double = 0.01
        /// "tanh" or "relu".
        public var activation: String = "tanh"
        /// Scaled retries of an overshooting capped step (halving each time) before the firm stops for the round.
        public var maxStepRetries: Int = 6
        /// Images of the target (test) set used to measure quality; 0 = all 10,000.
        public var targetSize: Int = 0
        public init() {}

        enum CodingKeys: String, CodingKey {
            case activation
            case batchSize = "batch_size", learningRate = "learning_rate"
            case maxStepRetries = "max_step_retries", targetSize = "target_size"
        }
    }

    /// Where the broker binds. "*" as the port lets the OS choose (local runs).
    public struct Endpoints: Sendable, Equatable, Codable {
        public var broadcast: String = "tcp://127.0.0.1:*"
        public var report: String = "tcp://127.0.0.1:*"
        public init() {}
    }

    public struct FirmSpec: Sendable, Equatable, Codable {
        public var id: String
        /// Training images drawn for this firm.
        public var shardSize: Int = 1000
        /// Empirical CDF of the shard's labels at 5: the fraction of labels ≤ 5.
        public var lowLabelFraction: Double = 0.5
        /// Epochs of solo training before round 0.
        public var pretrainEpochs: Int = 0
        public init(id: String) { self.id = id }

        enum CodingKeys: String, CodingKey {
            case id
            case shardSize = "shard_size", lowLabelFraction = "low_label_fraction", pretrainEpochs = "pretrain_epochs"
        }
    }
}

/// Where q_top*, the best achievable top quality (Proposition 2), comes from.
public enum TopQuality: Sendable, Equatable, Codable {
    /// A number from the topology (the paper's code fixes 1).
    case value(Double)
    /// Estimated before round 1: the top firm trains a fresh pilot model for this many
    /// epochs of collaborative SGD over all firms' shards (the union, without moving data)
    /// and the best target-set accuracy it reaches is used.
    case pilot(epochs: Int)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Double.self) { self = .value(v); return }
        let s = try c.decode(String.self)
        guard s.hasPrefix("pilot"), let n = Int(s.dropFirst("pilot:".count)) ?? (s == "pilot" ? 20 : nil) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "top_quality must be a number or \"pilot[:EPOCHS]\"")
        }
        self = .pilot(epochs: n)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .value(let v): try c.encode(v)
        case .pilot(let n): try c.encode("pilot:\(n)")
        }
    }
}

extension Topology {
    /// Steps in one pass over a shard of `shardSize` images (the last partial batch is dropped).
    public static func stepsPerPass(shardSize: Int, batchSize: Int) -> Int { shardSize / batchSize }

    public func firm(_ id: String) -> FirmSpec? { firms.first { $0.id == id } }

    /// Writes the topology as pretty JSON with the same field names it is read with.
    public func jsonData() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try! e.encode(self)
    }
}
