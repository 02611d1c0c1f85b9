import Foundation
import Testing

/// Bad input to `oligopoly run`: one line naming the problem, a non-zero exit, nothing started.
@Suite struct BadInputTests {
    func expectOneLineError(_ r: Harness.Result, mentioning words: [String]) {
        #expect(r.status == 2, "status \(r.status): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(r.stderr)")
        for w in words { #expect(r.stderr.contains(w), "\(r.stderr) does not mention \(w)") }
    }

    @Test func missingDataDirectory() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(), to: dir, name: "t.json")
        let missing = dir.appendingPathComponent("no-such-mnist").path
        let r = try Harness.run(["run", topology.path, "--data", missing, "--out", dir.appendingPathComponent("run").path])
        expectOneLineError(r, mentioning: ["no-such-mnist"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run").path))
    }

    @Test func corruptIDXFile() throws {
        let dir = try Harness.temporaryDirectory()
        let data = dir.appendingPathComponent("mnist")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for f in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try FileManager.default.copyItem(at: Harness.mnist.appendingPathComponent(f), to: data.appendingPathComponent(f))
        }
        // A raw image file whose header promises 10,000 images but holds 1,000.
        var header: [UInt8] = [0, 0, 8, 3]
        for d: UInt32 in [10_000, 28, 28] { header += withUnsafeBytes(of: d.bigEndian, Array.init) }
        try Data(header + [UInt8](repeating: 0, count: 1000 * 784)).write(to: data.appendingPathComponent("t10k-images-idx3-ubyte"))
        let topology = try Harness.write(Harness.smallTopology(), to: dir, name: "t.json")
        let r = try Harness.run(["run", topology.path, "--data", data.path, "--out", dir.appendingPathComponent("run").path])
        expectOneLineError(r, mentioning: ["t10k-images-idx3-ubyte", "truncated"])
    }

    @Test func topologyWithUnknownField() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(extra: #", "roundz": 4"#), to: dir, name: "bad.json")
        let r = try Harness.run(["run", topology.path, "--data", Harness.mnist.path])
        expectOneLineError(r, mentioning: ["bad.json", "roundz", "unknown field"])
    }

    @Test func topologyWithWrongType() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(Harness.smallTopology(extra: #", "seed": "zero""#), to: dir, name: "bad.json")
        let r = try Harness.run(["run", topology.path, "--data", Harness.mnist.path])
        expectOneLineError(r, mentioning: ["bad.json", "seed", "expected an integer"])
    }

    @Test func impossibleShardsAreRejectedBeforeAnyProcessStarts() throws {
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write("""
            {"name": "huge", "firms": [{"id": "a", "shard_size": 59000, "low_label_fraction": 0.8},
                                       {"id": "b", "shard_size": 1000, "low_label_fraction": 0.2}]}
            """, to: dir, name: "huge.json")
        let out = dir.appendingPathComponent("run")
        let r = try Harness.run(["run", topology.path, "--data", Harness.mnist.path, "--out", out.path])
        expectOneLineError(r, mentioning: ["huge.json", "firms", "label ≤ 5"])
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    }

    @Test func repeatedFlagAndBadRunName() throws {
        expectOneLineError(try Harness.run(["run", "--rounds", "1", "--rounds", "2"]), mentioning: ["--rounds given twice"])
        let dir = try Harness.temporaryDirectory()
        let topology = try Harness.write(#"{"name": "../escape", "firms": [{"id": "a"}]}"#, to: dir, name: "esc.json")
        expectOneLineError(try Harness.run(["run", topology.path, "--data", Harness.mnist.path]), mentioning: ["esc.json", "name"])
    }

    @Test func unknownFlagAndHelp() throws {
        let r = try Harness.run(["run", "--bogus"])
        expectOneLineError(r, mentioning: ["--bogus"])
        for command in ["run", "broker", "firm", "monitor", "market", "bench"] {
            let h = try Harness.run([command, "--help"])
            #expect(h.status == 0 && h.stdout.contains("usage: oligopoly \(command)"), "\(command) --help")
        }
    }
}
