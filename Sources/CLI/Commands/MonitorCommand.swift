import Bus
import Foundation
import Monitor

/// `oligopoly monitor`: message traffic, live or from a run directory.
enum MonitorCommand: Command {
    static let name = "monitor"
    static let summary = "show message traffic: live from a broker, or from a run directory"
    static let help = """
        usage: oligopoly monitor RUN_DIR
               oligopoly monitor --connect EP [--count N] [--seconds S]

        With RUN_DIR: message counts and bytes by type and by sender, from events.jsonl.
        With --connect: subscribes to a broker's broadcast endpoint (printed by the broker
        as `endpoints broadcast=EP ...`) and prints one line per message until the run
        shuts down, N messages were seen, or S seconds passed.
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["connect", "count", "seconds"])
        if let endpoint = args.string("connect") {
            _ = try args.requirePositionals([])
            let n: Int
            do {
                n = try LiveMonitor.watch(endpoint: endpoint, limit: try args.int("count", range: 1...Int.max),
                                          seconds: try args.double("seconds", range: 0...1e9), print: emit)
            } catch let e as ZMQError { throw UsageError("--connect: \(e.description)") }
            emit("\(n) messages")
            return 0
        }
        let dir = try args.requirePositionals(["RUN_DIR"])[0]
        do {
            emit(try TrafficSummary.read(URL(fileURLWithPath: dir).appendingPathComponent("events.jsonl")).table())
        } catch let e as MonitorError { throw UsageError(e.description) }
        return 0
    }
}
