import Dataset
import Foundation
import Launcher
import Runtime
import Topology

/// `oligopoly run`: the main job. Spawns the broker and one process per firm.
enum RunCommand: Command {
    static let name = "run"
    static let summary = "run a topology: one broker process and one process per firm"
    static let help = """
        usage: oligopoly run [TOPOLOGY] [options]

        Runs the defection-free collaboration game described by TOPOLOGY, a file or the
        name of one in topologies/ (default topologies/duopoly.json): starts one broker process and one process per firm,
        prints one line per round and writes a run directory with rounds.csv, market.csv,
        events.jsonl, topology.json and summary.json.

        options:
          --data DIR          MNIST directory (default: $MNIST_DIR, else data/mnist)
          --dataset NAME      mnist (default) or fashion-mnist
          --rounds N          override the topology's number of rounds
          --seed N            override the topology's seed
          --cap-policy P      override the cap policy: exact or duopoly-pairwise
          --timeout S         seconds to wait for any firm before stopping the run
          --out DIR           write the run directory exactly here (must not exist or be empty)
          --print-commands    print one command line per process (broker first) and exit;
                              for running processes by hand or on other hosts
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["data", "dataset", "rounds", "seed", "cap-policy", "timeout", "out"],
                                 flags: ["print-commands"])
        guard args.positionals.count <= 1 else { throw UsageError("unexpected argument '\(args.positionals[1])' (see --help)") }
        let topologyPath = resolveTopologyPath(args.positionals.first ?? "topologies/duopoly.json")
        var topology = try loadTopology(topologyPath)
        if let v = try args.int("rounds", range: 0...1_000_000) { topology.rounds = v }
        if let v = try args.int("seed", range: 0...Int.max) { topology.seed = UInt64(v) }
        if let v = try args.double("timeout", range: 0.1...86_400) { topology.timeoutSeconds = v }
        if let v = args.string("cap-policy") {
            guard Topology.capPolicies.contains(v) else { throw UsageError("--cap-policy: '\(v)' is not one of \(Topology.capPolicies.joined(separator: ", "))") }
            topology.capPolicy = v
        }
        if let v = args.string("dataset") {
            guard Topology.datasets.contains(v) else { throw UsageError("--dataset: '\(v)' is not one of \(Topology.datasets.joined(separator: ", "))") }
            topology.dataset = v
        }
        let kind = DatasetKind(rawValue: topology.dataset) ?? .mnist
        let data = try dataDirectory(flag: args.string("data"), kind: kind)

        // Read both splits now: a corrupt or truncated file is a one-line error here,
        // before any process starts.
        let train: ImageSet
        do {
            train = try MNIST.load(.train, from: data)
            _ = try MNIST.load(.test, from: data)
        } catch let e as DataError { throw UsageError(e.description) }
        // The same draw every firm makes: impossible shards are an error here, naming the file.
        do {
            _ = try Shards.draw(labels: train.labels, specs: topology.firms.map {
                ShardSpec(size: $0.shardSize, lowLabelFraction: $0.lowLabelFraction)
            }, seed: topology.seed)
        } catch let e as DataError { throw UsageError("\(topologyPath): firms: \(e.description)") }

        let runDirectory = try makeRunDirectory(args.string("out"), name: topology.name)
        let topologyFile = runDirectory.appendingPathComponent("topology.json")
        let plan = Launcher.Plan(topologyFile: topologyFile, topology: topology, runDirectory: runDirectory,
                                 dataDirectory: data.standardizedFileURL, executable: selfExecutable())
        try topology.jsonData().write(to: topologyFile)
        if args.flag("print-commands") {
            print("# effective topology written to \(topologyFile.path); copy it (same path), the binary and the data to every host.")
            if topology.endpoints.broadcast.hasSuffix(":*") || topology.endpoints.report.hasSuffix(":*") {
                print("# the endpoints use port '*': the broker prints the ports it bound ('endpoints broadcast=EP report=EP'); put them into the firm lines.")
            }
            print("# start the broker first, then every firm:")
            for line in Launcher.commandLines(plan: plan, broadcast: topology.endpoints.broadcast, report: topology.endpoints.report) { print(line) }
            return 0
        }
        emit("oligopoly: \(topology.name): \(topology.firms.count) firms, \(topology.rounds) rounds, \(kind.displayName) from \(data.path), run directory \(runDirectory.path)")
        Runtime.catchInterrupts()
        do {
            return try Launcher(plan).run()
        } catch let e as LaunchError {
            printError("oligopoly run: \(e.description)")
            return e.exitCode
        }
    }

    static func makeRunDirectory(_ out: String?, name: String) throws -> URL {
        let fm = FileManager.default
        let url: URL
        if let out {
            url = URL(fileURLWithPath: out).standardizedFileURL
            if let contents = try? fm.contentsOfDirectory(atPath: url.path), !contents.isEmpty {
                throw UsageError("--out: \(url.path) already holds files; refusing to overwrite a run")
            }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
                throw UsageError("--out: \(url.path) is a file, not a directory")
            }
        } else {
            let f = DateFormatter()
            f.dateFormat = "yyyyMMdd-HHmmss"
            f.timeZone = TimeZone(identifier: "UTC")
            let base = "runs/\(name)-\(f.string(from: Date()))"
            try? fm.createDirectory(atPath: "runs", withIntermediateDirectories: true)
            // mkdir is atomic: two runs started in the same second get different directories.
            for n in 1...1000 {
                let candidate = n == 1 ? base : "\(base)-\(n)"
                if mkdir(candidate, 0o755) == 0 { return URL(fileURLWithPath: candidate).standardizedFileURL }
                guard errno == EEXIST else { break }
            }
            throw UsageError("cannot create a run directory \(base) (\(String(cString: strerror(errno))))")
        }
        do { try fm.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw UsageError("cannot create run directory \(url.path): \(error.localizedDescription)")
        }
        return url
    }
}

/// A topology argument: a path, or the name of a file in topologies/ ("duopoly").
func resolveTopologyPath(_ argument: String) -> String {
    if FileManager.default.fileExists(atPath: argument) || argument.contains("/") { return argument }
    let named = "topologies/\(argument.hasSuffix(".json") ? argument : argument + ".json")"
    return FileManager.default.fileExists(atPath: named) ? named : argument
}

/// The data directory for `--data`, else the data set's environment variable, else its
/// default under the current directory; a missing one is a usage error (exit 2).
func dataDirectory(flag: String?, kind: DatasetKind) throws -> URL {
    do {
        return try DataDirectory.resolve(flag: flag, environment: ProcessInfo.processInfo.environment,
                                         currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), kind: kind)
    } catch let e as DataError { throw UsageError(e.description) }
}

/// Loads a topology file, turning its validation error into a usage error (exit 2).
func loadTopology(_ path: String) throws -> Topology {
    do { return try Topology.load(URL(fileURLWithPath: path)) } catch let e as TopologyError {
        throw UsageError(e.description)
    }
}

/// This binary, so children run the same build.
func selfExecutable() -> URL {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
}
