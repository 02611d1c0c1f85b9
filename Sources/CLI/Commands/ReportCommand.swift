import Foundation
import Monitor

/// `oligopoly report`: one CSV row of final figures per run directory.
enum ReportCommand: Command {
    static let name = "report"
    static let summary = "one CSV table of final figures from run directories (for sweeps)"
    static let help = """
        usage: oligopoly report RUN_DIR... [--no-header]

        Prints a CSV table with one row per run directory: topology, number of firms, seed,
        cap policy, rounds, status, final qualities and revenues (';'-joined in firm order),
        Nash product, rho, rho*, revenue decreases (firm-rounds), rounds with a decrease,
        firms that ever lost revenue, the largest relative loss, steps accepted, wall time,
        largest process peak memory.
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: [], flags: ["no-header"])
        guard !args.positionals.isEmpty else { throw UsageError("missing RUN_DIR (see --help)") }
        if !args.flag("no-header") { emit(RunReport.columns.joined(separator: ",")) }
        for dir in args.positionals {
            do { emit(try RunReport.row(runDirectory: URL(fileURLWithPath: dir)).joined(separator: ",")) } catch let e as MonitorError {
                throw UsageError(e.description)
            }
        }
        return 0
    }
}
