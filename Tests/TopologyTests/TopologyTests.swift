import Foundation
import Testing
import Topology

@Suite struct TopologyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func parse(_ json: String) throws -> Topology { try Topology.parse(Data(json.utf8), file: "t.json") }

    func error(_ json: String) -> String {
        do { _ = try parse(json); return "no error" } catch { return "\(error)" }
    }

    let minimal = #"{"name":"x","firms":[{"id":"a"},{"id":"b"}]}"#

    @Test func defaults() throws {
        let t = try parse(minimal)
        #expect(t.rounds == 200 && t.training.batchSize == 32 && t.training.learningRate == 0.01)
        #expect(t.topQuality == .value(1) && t.capPolicy == "exact" && t.firms[0].shardSize == 1000)
    }

    @Test(arguments: ["duopoly.json", "paper-code.json", "triopoly.json", "oligopoly-4.json", "oligopoly-8.json", "oligopoly-16.json", "two-hosts.json"])
    func shippedTopologiesLoad(name: String) throws {
        let t = try Topology.load(Self.root.appendingPathComponent("topologies/\(name)"))
        #expect(t.firms.count >= 2)
    }

    @Test func duopolyIsThePapers() throws {
        let t = try Topology.load(Self.root.appendingPathComponent("topologies/duopoly.json"))
        #expect(t.firms.map(\.lowLabelFraction) == [0.8, 0.2])
        #expect(t.firms.map(\.pretrainEpochs) == [0, 10])
        #expect(t.rounds == 200 && t.training.batchSize == 32)
    }

    @Test func topQualityIsANumberOrAPilot() throws {
        #expect(try parse(#"{"name":"x","top_quality":0.9,"firms":[{"id":"a"}]}"#).topQuality == .value(0.9))
        #expect(try parse(#"{"name":"x","top_quality":"pilot","firms":[{"id":"a"}]}"#).topQuality == .pilot(epochs: 20))
        let t = try parse(#"{"name":"x","top_quality":"pilot:5","firms":[{"id":"a"}]}"#)
        #expect(t.topQuality == .pilot(epochs: 5))
        #expect(try Topology.parse(t.jsonData(), file: "w.json") == t)
        #expect(error(#"{"name":"x","top_quality":"best","firms":[{"id":"a"}]}"#).hasPrefix("t.json: top_quality: 'best' is neither"))
        #expect(error(#"{"name":"x","top_quality":0,"firms":[{"id":"a"}]}"#) == "t.json: top_quality: must be > 0, got 0.0")
    }

    @Test func writtenTopologyReadsBackEqual() throws {
        var t = try parse(minimal)
        t.rounds = 7
        t.firms[1].lowLabelFraction = 0.25
        #expect(try Topology.parse(t.jsonData(), file: "w.json") == t)
    }

    @Test func unknownFieldIsNamedWithItsFile() {
        #expect(error(#"{"name":"x","roundz":3,"firms":[{"id":"a"}]}"#) .hasPrefix("t.json: roundz: unknown field"))
        #expect(error(#"{"name":"x","firms":[{"id":"a","shard":3}]}"#).hasPrefix("t.json: firms[0].shard: unknown field"))
        #expect(error(#"{"name":"x","training":{"lr":1},"firms":[{"id":"a"}]}"#).hasPrefix("t.json: training.lr: unknown field"))
    }

    @Test func wrongTypesAreNamed() {
        #expect(error(#"{"name":"x","rounds":"many","firms":[{"id":"a"}]}"#) == "t.json: rounds: expected an integer, got \"many\"")
        #expect(error(#"{"name":"x","rounds":2.5,"firms":[{"id":"a"}]}"#) == "t.json: rounds: expected an integer, got 2.5")
        #expect(error(#"{"name":"x","rounds":true,"firms":[{"id":"a"}]}"#) == "t.json: rounds: expected an integer, got true")
        #expect(error(#"{"name":"x","top_quality":1.5,"firms":[{"id":"a"}]}"#).hasPrefix("t.json: top_quality: 1.5 is outside"))
        #expect(error(#"{"name":"x","cap_policy":"loose","firms":[{"id":"a"}]}"#).hasPrefix("t.json: cap_policy: 'loose' is not one of"))
        #expect(error(#"{"name":"x","firms":{"id":"a"}}"#) == "t.json: firms: must be an array of firm objects")
        #expect(error(#"{"firms":[{"id":"a"}]}"#) == "t.json: name: is required")
        #expect(error(#"[1]"#) == "t.json: the top level must be a JSON object")
        #expect(error(#"{"name": "x", "#).hasPrefix("t.json: not valid JSON"))
    }

    @Test func impossibleFirmsAreRejected() {
        #expect(error(#"{"name":"x","firms":[{"id":"a"},{"id":"a"}]}"#) == "t.json: firms[1].id: duplicate firm id 'a'")
        #expect(error(#"{"name":"x","firms":[]}"#) == "t.json: firms: must list at least one firm")
        #expect(error(#"{"name":"x","firms":[{"id":"a","shard_size":40000},{"id":"b","shard_size":30000}]}"#)
            .contains("add up to 70000 images"))
        #expect(error(#"{"name":"x","firms":[{"id":"a","shard_size":0}]}"#) == "t.json: firms[0].shard_size: must be at least 1, got 0")
        #expect(error(#"{"name":"x","firms":[{"id":"a","shard_size":10}]}"#).contains("smaller than training.batch_size"))
        #expect(error(#"{"name":"x","firms":[{"id":"a b"}]}"#).hasPrefix("t.json: firms[0].id:"))
    }

    @Test func missingFileIsNamed() {
        #expect(throws: TopologyError.self) { try Topology.load(URL(fileURLWithPath: "/nonexistent/t.json")) }
    }
}
