import Foundation
import Testing

/// The broker in one Linux network namespace and each firm in its own, joined by veth
/// pairs, over real TCP: the results must equal a local run with the same seed.
/// Needs root (CI runs as root) and iproute2; creates and removes its namespaces.
@Suite(.serialized) struct NetworkNamespaceTests {
    /// Runs a command, returning its status; output goes to the test log on failure.
    @discardableResult
    static func sh(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = err
        try p.run()
        let out = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 { print("\(args.joined(separator: " ")): \(String(decoding: out, as: UTF8.self))") }
        return p.terminationStatus
    }

    @Test func brokerAndFirmsOnSeparateHostsMatchALocalRun() throws {
        try #require(getuid() == 0, "the network-namespace test needs root (CI runs as root)")
        try #require(try Self.sh(["ip", "-V"]) == 0, "iproute2 (ip) is required")
        let tag = String(UInt32(getpid()) % 100_000)
        let brokerNS = "olb\(tag)", firmNS = ["olf1\(tag)", "olf2\(tag)"]
        defer { for ns in [brokerNS] + firmNS { _ = try? Self.sh(["ip", "netns", "del", ns]) } }
        for ns in [brokerNS] + firmNS { #expect(try Self.sh(["ip", "netns", "add", ns]) == 0) }
        // One veth pair per firm: broker side 10.201.<k>.1, firm side 10.201.<k>.2.
        for (k, ns) in firmNS.enumerated() {
            let b = "vb\(k)x\(tag)", f = "vf\(k)x\(tag)"
            for cmd in [["ip", "link", "add", b, "type", "veth", "peer", "name", f],
                        ["ip", "link", "set", b, "netns", brokerNS], ["ip", "link", "set", f, "netns", ns],
                        ["ip", "-n", brokerNS, "addr", "add", "10.201.\(k + 1).1/24", "dev", b],
                        ["ip", "-n", ns, "addr", "add", "10.201.\(k + 1).2/24", "dev", f],
                        ["ip", "-n", brokerNS, "link", "set", b, "up"], ["ip", "-n", ns, "link", "set", f, "up"]] {
                try #require(try Self.sh(cmd) == 0)
            }
        }
        let dir = try Harness.temporaryDirectory()
        let remote = try Harness.write(Harness.smallTopology(rounds: 2, timeout: 60,
            extra: #", "endpoints": {"broadcast": "tcp://0.0.0.0:5701", "report": "tcp://0.0.0.0:5702"}"#), to: dir, name: "remote.json")
        let local = try Harness.write(Harness.smallTopology(rounds: 2, timeout: 60), to: dir, name: "local.json")
        let exe = Harness.binary.path

        func start(_ ns: String, _ args: [String]) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["ip", "netns", "exec", ns, exe] + args
            p.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return p
        }
        let remoteOut = dir.appendingPathComponent("remote-run")
        let broker = try start(brokerNS, ["broker", "--topology", remote.path, "--out", remoteOut.path])
        let firms = try ["low", "high"].enumerated().map { k, id in
            try start(firmNS[k], ["firm", "--topology", remote.path, "--id", id, "--data", Harness.mnist.path,
                                  "--broadcast", "tcp://10.201.\(k + 1).1:5701", "--report", "tcp://10.201.\(k + 1).1:5702"])
        }
        broker.waitUntilExit()
        for f in firms { f.waitUntilExit() }
        #expect(broker.terminationStatus == 0)
        #expect(firms.allSatisfy { $0.terminationStatus == 0 })

        let localOut = dir.appendingPathComponent("local-run")
        let r = try Harness.run(["run", local.path, "--data", Harness.mnist.path, "--out", localOut.path])
        #expect(r.status == 0, "\(r.stderr)")

        let a = try Harness.csv(remoteOut.appendingPathComponent("rounds.csv")).rows
        let b = try Harness.csv(localOut.appendingPathComponent("rounds.csv")).rows
        #expect(a.count == 6 && a.count == b.count)
        for (x, y) in zip(a, b) {
            for column in ["round", "firm", "quality", "raw_quality", "revenue", "cap", "permitted", "steps_tried", "steps_accepted"] {
                #expect(x[column] == y[column], "\(column) differs in round \(x["round"] ?? "?") for \(x["firm"] ?? "?")")
            }
        }
    }
}
