import Dataset
import Foundation
import Testing

@Suite("Shard draw")
struct ShardTests {
    /// 6000 labels, 600 of each digit, in a scrambled but fixed order.
    static let labels: [UInt8] = (0..<6000).map { UInt8(($0 * 7919) % 6000 % 10) }
    static let duopoly = [ShardSpec(size: 1000, lowLabelFraction: 0.8), ShardSpec(size: 1000, lowLabelFraction: 0.2)]

    @Test func duopolySizesExactF5AndDisjoint() throws {
        let shards = try Shards.draw(labels: Self.labels, specs: Self.duopoly, seed: 42)
        #expect(shards.count == 2)
        #expect(shards.map(\.count) == [1000, 1000])
        let low = shards.map { s in s.filter { Self.labels[$0] <= 5 }.count }
        #expect(low == [800, 200])
        #expect(Shards.cdf(shards[0].map { Self.labels[$0] }, at: 5) == 0.8)
        #expect(Shards.cdf(shards[1].map { Self.labels[$0] }, at: 5) == 0.2)
        let all = shards.flatMap { $0 }
        #expect(Set(all).count == all.count, "shards overlap or repeat an index")
        #expect(all.allSatisfy { (0..<Self.labels.count).contains($0) })
    }

    @Test func manyShardsRoundingAndDisjoint() throws {
        let specs = (0..<8).map { ShardSpec(size: 333, lowLabelFraction: Double($0) / 7) }
        let shards = try Shards.draw(labels: Self.labels, specs: specs, seed: 7)
        for (s, spec) in zip(shards, specs) {
            #expect(s.count == 333)
            #expect(s.filter { Self.labels[$0] <= 5 }.count == Int((333 * spec.lowLabelFraction).rounded()))
        }
        let all = shards.flatMap { $0 }
        #expect(Set(all).count == all.count)
    }

    @Test func shardsAreShuffledNotGrouped() throws {
        let s = try Shards.draw(labels: Self.labels, specs: Self.duopoly, seed: 1)[0]
        // Not all 800 low labels first: the shard is shuffled after the slices are joined.
        #expect(s.prefix(800).contains { Self.labels[$0] >= 6 })
    }

    @Test func sameSeedSameShardsDifferentSeedDifferent() throws {
        let a = try Shards.draw(labels: Self.labels, specs: Self.duopoly, seed: 2024)
        let b = try Shards.draw(labels: Self.labels, specs: Self.duopoly, seed: 2024)
        let c = try Shards.draw(labels: Self.labels, specs: Self.duopoly, seed: 2025)
        #expect(a == b)
        #expect(a[0] != c[0] && a[1] != c[1])
    }

    @Test func drawIsPinnedAcrossProcessesAndVersions() throws {
        // The draw is a pure function of (labels, specs, seed): pinned values, so a change to the
        // algorithm (or a dependence on the standard library's shuffle) shows up here.
        let labels: [UInt8] = (0..<20).map { UInt8($0 % 10) }
        let shards = try Shards.draw(labels: labels, specs: [ShardSpec(size: 4, lowLabelFraction: 0.5),
                                                             ShardSpec(size: 3, lowLabelFraction: 1)], seed: 99)
        #expect(shards == Self.pinned, "got \(shards)")
    }
    static let pinned: [[Int]] = [[0, 10, 9, 17], [14, 2, 5]]

    @Test func impossibleRequestsThrowOneLine() throws {
        // 3600 images with label <= 5 exist; 5 shards x 800 = 4000 are asked for.
        let specs = Array(repeating: ShardSpec(size: 1000, lowLabelFraction: 0.8), count: 5)
        let e = try #require(dataError { _ = try Shards.draw(labels: Self.labels, specs: specs, seed: 1) })
        #expect(e.description == "impossible shards: 5 shards need 4000 images with label ≤ 5 in total but only 3600 of the 6000 images have one")
        let high = [ShardSpec(size: 2500, lowLabelFraction: 0)]
        let e2 = try #require(dataError { _ = try Shards.draw(labels: Self.labels, specs: high, seed: 1) })
        #expect(e2.description.contains("need 2500 images with label ≥ 6 in total but only 2400"))
        #expect(dataError { _ = try Shards.draw(labels: Self.labels, specs: [ShardSpec(size: 10, lowLabelFraction: 1.5)], seed: 1) } != nil)
        #expect(dataError { _ = try Shards.draw(labels: Self.labels, specs: [ShardSpec(size: -1, lowLabelFraction: 0.5)], seed: 1) } != nil)
        // Exactly everything is possible.
        let exact = try Shards.draw(labels: Self.labels, specs: [ShardSpec(size: 6000, lowLabelFraction: 0.6)], seed: 3)
        #expect(Set(exact[0]).count == 6000)
    }
}
