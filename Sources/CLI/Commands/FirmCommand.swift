import Dataset
import Firm
import Foundation
import Runtime

/// `oligopoly firm`: one firm process.
enum FirmCommand: Command {
    static let name = "firm"
    static let summary = "one firm process (started by run, or by hand)"
    static let help = """
        usage: oligopoly firm --topology FILE --id ID --broadcast EP --report EP [--data DIR]

        Loads its data set, draws its own shard (deterministic from the topology's seed),
        pre-trains, connects to the broker (SUB to EP of --broadcast, PUSH to --report)
        and serves training phases and help requests until the broker shuts down.
        Uses one BLAS thread unless OPENBLAS_NUM_THREADS says otherwise.
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["topology", "id", "broadcast", "report", "data"])
        _ = try args.requirePositionals([])
        guard let path = args.string("topology") else { throw UsageError("--topology FILE is required") }
        guard let id = args.string("id") else { throw UsageError("--id ID is required") }
        guard let broadcast = args.string("broadcast") else { throw UsageError("--broadcast EP is required") }
        guard let report = args.string("report") else { throw UsageError("--report EP is required") }
        Runtime.dieWithLauncher()
        Runtime.catchInterrupts()
        let topology = try loadTopology(path)
        guard topology.firm(id) != nil else {
            throw UsageError("--id: no firm '\(id)' in \(path) (firms: \(topology.firms.map(\.id).joined(separator: ", ")))")
        }
        let kind = DatasetKind(rawValue: topology.dataset) ?? .mnist
        do {
            let data = try dataDirectory(flag: args.string("data"), kind: kind)
            let firm = try FirmProcess(FirmOptions(topology: topology, firmID: id, broadcast: broadcast, report: report, dataDirectory: data))
            return try firm.run()
        } catch let e as DataError {
            printError("oligopoly firm \(id): \(e.description)")
            return 2
        } catch let e as FirmError {
            printError("oligopoly firm \(id): \(e.description)")
            return e.exitCode
        }
    }
}
