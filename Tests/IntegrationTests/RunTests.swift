import Foundation
import Testing

/// The real binary: a broker and two firm processes over loopback ZeroMQ on real MNIST.
@Suite(.serialized) struct RunTests {
    @Test func duopolyRunOverLoopbackRecordsEveryRound() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(), to: dir, name: "t.json")
        let out = dir.appendingPathComponent("run")
        let r = try Harness.run(["run", topology.path, "--data", Harness.mnist.path, "--out", out.path])
        #expect(r.status == 0, "run failed: \(r.stderr)")
        // Three OS processes: the broker and two firms, each with its own pid.
        let pids = Set(r.stdout.split(separator: "\n").filter { $0.contains("ready (pid") }.map { String($0) })
        #expect(pids.count == 2)
        for round in 1...3 { #expect(r.stdout.contains("round \(round)/3")) }

        let (header, rows) = try Harness.csv(out.appendingPathComponent("rounds.csv"))
        for column in ["round", "firm", "rank", "quality", "raw_quality", "price", "demand", "revenue", "cap",
                       "permitted", "steps_tried", "steps_accepted", "revenue_decreased"] {
            #expect(header.contains(column), "rounds.csv lacks \(column)")
        }
        #expect(rows.count == 8)
        for firm in ["low", "high"] {
            let mine = rows.filter { $0["firm"] == firm }
            #expect(mine.map { $0["round"]! } == ["0", "1", "2", "3"])
            let q = mine.map { Double($0["quality"]!)! }
            let revenue = mine.map { Double($0["revenue"]!)! }
            #expect(q.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(zip(q, q.dropFirst()).allSatisfy { $0 <= $1 }, "\(firm) deployed a worse model: \(q)")
            #expect(zip(revenue, revenue.dropFirst()).allSatisfy { $0 <= $1 * (1 + 1e-9) }, "\(firm) lost revenue: \(revenue)")
            #expect(mine.allSatisfy { $0["revenue_decreased"] == "0" })
            // The deployed model is the best so far, so never below the current iterate.
            for row in mine { #expect(Double(row["quality"]!)! >= Double(row["raw_quality"]!)!, "\(firm) round \(row["round"]!): deployed below raw") }
        }
        // The high firm pre-trained and starts above; it always trains: 200/32 -> 7 steps a round.
        let high = rows.filter { $0["firm"] == "high" }, low = rows.filter { $0["firm"] == "low" }
        #expect(Double(high[0]["quality"]!)! > Double(low[0]["quality"]!)!)
        #expect(high.dropFirst().allSatisfy { $0["steps_tried"] == "7" && $0["permitted"] == "1" })
        #expect(Double(high[3]["quality"]!)! > Double(high[0]["quality"]!)!, "collaboration did not improve the top firm")
        // A capped firm never exceeds its cap.
        for row in low.dropFirst() where row["permitted"] == "1" {
            #expect(Double(row["quality"]!)! <= Double(row["cap"]!)! + 1e-12)
        }

        let market = try Harness.csv(out.appendingPathComponent("market.csv"))
        #expect(market.rows.count == 4)
        for column in ["round", "rho", "rho_star", "nash_product", "decision_ms", "round_s", "train_s", "eval_s", "wire_s"] {
            #expect(market.header.contains(column))
        }
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        #expect(summary["status"] as? String == "completed")
        #expect(summary["revenue_decreases"] as? Int == 0)
        #expect((summary["invariant_violations"] as? [Any])?.isEmpty == true)
        let processes = try #require(summary["processes"] as? [[String: Any]])
        #expect(processes.count == 3)
        #expect(processes.allSatisfy { ($0["peak_rss_bytes"] as? Int ?? 0) > 1_000_000 })
        let events = try String(contentsOf: out.appendingPathComponent("events.jsonl"), encoding: .utf8)
        #expect(events.contains("\"type\":\"grad.request\"") && events.contains("\"type\":\"grad.reply\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("topology.json").path))
    }

    @Test func silentFirmIsNamedAndTheRunEndsNonZero() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(rounds: 50, timeout: 3), to: dir, name: "t.json")
        var highPID: Int32 = 0
        let r = try Harness.run(["run", topology.path, "--data", Harness.mnist.path, "--out", dir.appendingPathComponent("run").path]) { line, _ in
            if let pid = Harness.readyPID(line, firm: "high") { highPID = pid }
            if line.hasPrefix("round 1/"), highPID > 0 { kill(highPID, SIGSTOP) }
        }
        #expect(highPID > 0)
        #expect(r.status == 3, "stdout: \(r.stdout.suffix(400)) stderr: \(r.stderr)")
        #expect(r.stderr.contains("high") && r.stderr.contains("did not answer within 3 s"), "\(r.stderr)")
        #expect(kill(highPID, 0) != 0, "the stopped firm outlived the run")
    }

    @Test func ctrlCStopsEveryProcessAndKeepsTheRecord() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(rounds: 500), to: dir, name: "t.json")
        let out = dir.appendingPathComponent("run")
        var pids: [Int32] = []
        var sent = false
        let r = try Harness.run(["run", topology.path, "--data", Harness.mnist.path, "--out", out.path]) { line, launcher in
            if let pid = Harness.readyPID(line) { pids.append(pid) }
            if line.hasPrefix("broker: pid "), let pid = Int32(line.split(separator: " ")[2].filter(\.isNumber)) { pids.append(pid) }
            if line.hasPrefix("round 2/"), !sent {
                sent = true
                kill(launcher.processIdentifier, SIGINT)
            }
        }
        #expect(sent && pids.count == 3)
        #expect(r.status == 130, "\(r.stderr)")
        for pid in pids { #expect(kill(pid, 0) != 0, "process \(pid) outlived the launcher") }
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        #expect((summary["status"] as? String ?? "").contains("interrupted"))
        let rows = try Harness.csv(out.appendingPathComponent("rounds.csv")).rows
        #expect(rows.count >= 6, "rounds before the interrupt are kept")
    }

    @Test func aFirmThatDiesIsNamedInTheRecordAndTheExit() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(rounds: 500), to: dir, name: "t.json")
        let out = dir.appendingPathComponent("run")
        var lowPID: Int32 = 0
        let r = try Harness.run(["run", topology.path, "--data", Harness.mnist.path, "--out", out.path]) { line, _ in
            if let pid = Harness.readyPID(line, firm: "low") { lowPID = pid }
            if line.hasPrefix("round 1/"), lowPID > 0 { kill(lowPID, SIGKILL) }
        }
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("firm low was killed by signal 9"), "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        #expect((summary["status"] as? String ?? "").contains("firm low was killed by signal 9"))
    }

    @Test func brokerWithoutFirmsTimesOutNamingThem() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(timeout: 1), to: dir, name: "t.json")
        let r = try Harness.run(["broker", "--topology", topology.path, "--out", dir.appendingPathComponent("run").path])
        #expect(r.status == 3)
        #expect(r.stdout.contains("firm(s) low, high did not confirm their subscription within 1 s"))
    }
}
