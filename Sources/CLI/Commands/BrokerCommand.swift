import Broker
import Foundation
import Runtime

/// `oligopoly broker`: the round broker process.
enum BrokerCommand: Command {
    static let name = "broker"
    static let summary = "the round broker process (started by run, or by hand)"
    static let help = """
        usage: oligopoly broker --topology FILE --out DIR

        Binds the topology's broadcast (PUB) and report (PULL) endpoints, prints
        `endpoints broadcast=EP report=EP` once bound, waits for every firm to confirm
        its subscription, runs the rounds and writes the run directory DIR.
        Exit status: 0 completed, 3 a firm did not answer in time, 130 interrupted.
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["topology", "out"])
        _ = try args.requirePositionals([])
        guard let path = args.string("topology") else { throw UsageError("--topology FILE is required") }
        guard let out = args.string("out") else { throw UsageError("--out DIR is required") }
        Runtime.dieWithLauncher()
        Runtime.catchInterrupts()
        let topology = try loadTopology(path)
        let broker = try BrokerProcess(BrokerOptions(topology: topology, runDirectory: URL(fileURLWithPath: out)))
        emit("endpoints broadcast=\(broker.broadcastEndpoint) report=\(broker.reportEndpoint)")
        emit("broker: pid \(getpid()), broadcast \(broker.broadcastEndpoint), reports \(broker.reportEndpoint), waiting for \(topology.firms.count) firms")
        return broker.run(progress: emit)
    }
}
