import Random

/// A firm's shard request: how many images and the label skew.
public struct ShardSpec: Sendable, Equatable {
    /// Number of images.
    public var size: Int
    /// The shard's empirical CDF at 5, F(5): the fraction of its labels that are ≤ 5.
    public var lowLabelFraction: Double

    public init(size: Int, lowLabelFraction: Double) {
        self.size = size
        self.lowLabelFraction = lowLabelFraction
    }

    /// round(size · F(5)), halves away from zero: how many labels ≤ 5 the shard gets.
    public var lowCount: Int { Int((Double(size) * lowLabelFraction).rounded(.toNearestOrAwayFromZero)) }
    /// The rest, labels ≥ 6.
    public var highCount: Int { size - lowCount }
}

public enum Shards {
    /// Labels ≤ this are "low" (F(5) counts them).
    public static let lowLabelMax: UInt8 = 5

    /// Disjoint index sets into `labels`, one per spec, deterministic from the seed. lowLabelFraction = the empirical CDF at 5, F(5): round(size·f) images with label ≤ 5 and the rest with label ≥ 6, drawn without replacement, shuffled. Throws a one-line DataError if impossible (not enough images of a class group in total across all shards).
    ///
    /// How: the indices with label ≤ 5 and those with label ≥ 6 (each in index order) are each
    /// shuffled once with a SplitMix64 stream of `seed`; shard k takes the next consecutive slice
    /// of each pool (so shards are disjoint by construction), and its own stream shuffles the
    /// concatenation. The shuffle is a Fisher–Yates with an unbiased bounded draw written here,
    /// not the standard library's, so the result depends only on the seed, not on a Swift version.
    public static func draw(labels: [UInt8], specs: [ShardSpec], seed: UInt64) throws -> [[Int]] {
        for (k, s) in specs.enumerated() {
            guard s.size >= 0 else { throw DataError("shard \(k): size \(s.size) is negative") }
            guard s.lowLabelFraction.isFinite, (0...1).contains(s.lowLabelFraction) else {
                throw DataError("shard \(k): F(5) = \(s.lowLabelFraction) is not a fraction in 0...1")
            }
        }
        var low: [Int] = []
        var high: [Int] = []
        low.reserveCapacity(labels.count)
        high.reserveCapacity(labels.count)
        for (i, l) in labels.enumerated() {
            if l <= lowLabelMax { low.append(i) } else { high.append(i) }
        }
        let needLow = specs.reduce(0) { $0 + $1.lowCount }
        let needHigh = specs.reduce(0) { $0 + $1.highCount }
        if needLow > low.count {
            throw DataError("impossible shards: \(specs.count) shards need \(needLow) images with label ≤ 5 in total but only \(low.count) of the \(labels.count) images have one")
        }
        if needHigh > high.count {
            throw DataError("impossible shards: \(specs.count) shards need \(needHigh) images with label ≥ 6 in total but only \(high.count) of the \(labels.count) images have one")
        }
        var rngLow = SplitMix64(seed: seed, stream: 0x5348_4C4F)   // "SHLO"
        var rngHigh = SplitMix64(seed: seed, stream: 0x5348_4849)  // "SHHI"
        shuffle(&low, prefix: needLow, using: &rngLow)
        shuffle(&high, prefix: needHigh, using: &rngHigh)

        var result: [[Int]] = []
        result.reserveCapacity(specs.count)
        var nextLow = 0
        var nextHigh = 0
        for (k, s) in specs.enumerated() {
            var shard = Array(low[nextLow..<(nextLow + s.lowCount)])
            shard += high[nextHigh..<(nextHigh + s.highCount)]
            nextLow += s.lowCount
            nextHigh += s.highCount
            var rng = SplitMix64(seed: seed, stream: 0x5348_0000 &+ UInt64(k))
            shuffle(&shard, prefix: shard.count, using: &rng)
            result.append(shard)
        }
        return result
    }

    /// The empirical CDF of `labels` at `label`: the fraction ≤ `label` (0 for no labels).
    public static func cdf(_ labels: [UInt8], at label: UInt8) -> Double {
        guard !labels.isEmpty else { return 0 }
        return Double(labels.reduce(0) { $0 + ($1 <= label ? 1 : 0) }) / Double(labels.count)
    }

    /// Fisher–Yates from the front: after it, `a[0..<prefix]` is a uniform random
    /// ordered sample of `a` without replacement (the whole array when prefix == count).
    static func shuffle(_ a: inout [Int], prefix: Int, using rng: inout SplitMix64) {
        let n = a.count
        guard n > 1 else { return }
        for i in 0..<min(prefix, n - 1) {
            let j = i + Int(uniform(below: UInt64(n - i), using: &rng))
            a.swapAt(i, j)
        }
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-and-reject; unbiased).
    static func uniform(below bound: UInt64, using rng: inout SplitMix64) -> UInt64 {
        precondition(bound > 0)
        var m = rng.next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold {
                m = rng.next().multipliedFullWidth(by: bound)
            }
        }
        return m.high
    }
}
