import Foundation
import Testing
import Market

/// SplitMix64: a seeded generator so every property run sees the same cases.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double.random(in: 0..<1, using: &self) }
    /// Qualities in [0,1], often with ties, zeros and ones.
    mutating func nasty(_ n: Int) -> [Double] {
        let levels = [0.0, 1.0, 0.5, 0.25]
        var q = (0..<n).map { _ in unit() }
        for i in 0..<n where unit() < 0.3 { q[i] = unit() < 0.5 ? levels[Int(unit() * 4)] : q[Int(unit() * Double(n))] }
        return q
    }
}

/// Demand of firm i at arbitrary prices, by direct consumer choice (strictly best product).
func directDemand(_ i: Int, q: [Double], p: [Double]) -> Double {
    var lo = 0.0, hi = 1.0
    if q[i] > 0 { lo = max(lo, p[i] / q[i]) } else { return 0 }
    for j in q.indices where j != i {
        if q[j] < q[i] { lo = max(lo, (p[i] - p[j]) / (q[i] - q[j])) }
        else if q[j] > q[i] { hi = min(hi, (p[j] - p[i]) / (q[j] - q[i])) }
        else { return 0 }
    }
    return max(0, hi - lo)
}

func allFinite(_ xs: [Double]) -> Bool { xs.allSatisfy(\.isFinite) }

@Suite("Equilibrium properties")
struct EquilibriumProperties {
    @Test("a Nash equilibrium: no unilateral price change on a fine grid gains revenue")
    func nash() {
        var rng = SeededRandom(seed: 1)
        for _ in 0..<200 {
            let n = Int.random(in: 1...6, using: &rng)
            let q = (0..<n).map { _ in 0.01 + 0.99 * rng.unit() }
            guard Set(q).count == n else { continue }
            let e = Market.equilibrium(qualities: q)
            for i in 0..<n {
                // The solver's demand is the consumers' choice at the equilibrium prices.
                #expect(abs(directDemand(i, q: q, p: e.prices) - e.demands[i]) <= 1e-12)
                var p = e.prices
                let best = e.revenues[i]
                for k in 0...200 {
                    p[i] = q[i] * Double(k) / 200 + (k % 2 == 0 ? 0 : e.prices[i] * 1e-3)
                    let r = p[i] * directDemand(i, q: q, p: p)
                    #expect(r <= best + 1e-13, "q=\(q) firm \(i) price \(p[i]) beats \(e.prices[i])")
                }
                for k in -20...20 {
                    p[i] = e.prices[i] * (1 + Double(k) * 1e-3)
                    #expect(p[i] * directDemand(i, q: q, p: p) <= best * (1 + 1e-12) + 1e-16)
                }
            }
        }
    }

    @Test("demands in [0,1] summing to at most 1, revenues ≥ 0, never NaN (ties, zeros)")
    func bounds() {
        var rng = SeededRandom(seed: 2)
        for _ in 0..<400 {
            let q = rng.nasty(Int.random(in: 1...8, using: &rng))
            let e = Market.equilibrium(qualities: q)
            #expect(allFinite(e.prices) && allFinite(e.demands) && allFinite(e.revenues), "\(q)")
            #expect(e.demands.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(q)")
            #expect(e.demands.reduce(0, +) <= 1 + 1e-12, "\(q)")
            #expect(e.revenues.allSatisfy { $0 >= 0 }, "\(q)")
            #expect(e.prices.allSatisfy { $0 >= 0 }, "\(q)")
        }
    }

    @Test("revenues are continuous as gaps shrink to 1e-12")
    func continuity() {
        let cases: [([Double], [Double])] = [
            ([0.3, 0.6, 0.6 + 1e-12], [0.3, 0.6, 0.6]),
            ([0.2, 0.5, 0.5 + 1e-12, 0.9], [0.2, 0.5, 0.5, 0.9]),
            ([0.4, 0.4 + 1e-12], [0.4, 0.4]),
            ([1e-12, 0.5], [0, 0.5]),
            ([0.1, 0.1 + 1e-12, 0.1 + 2e-12, 0.7], [0.1, 0.1, 0.1, 0.7]),
            ([0.7, 1 - 1e-12, 1], [0.7, 1, 1]),
        ]
        for (near, tied) in cases {
            let a = Market.equilibrium(qualities: near), b = Market.equilibrium(qualities: tied)
            #expect(allFinite(a.prices) && allFinite(a.demands))
            for (x, y) in zip(a.revenues, b.revenues) { #expect(abs(x - y) <= 1e-9, "\(near): \(a.revenues) vs \(b.revenues)") }
            for (x, y) in zip(a.prices, b.prices) { #expect(abs(x - y) <= 1e-9, "\(near)") }
        }
    }

    @Test("one firm is a monopolist: p = q/2, D = 1/2, R = q/4; a lone firm at 0 earns 0")
    func monopoly() {
        for q in [0.0, 0.1, 0.37, 1.0] {
            let e = Market.equilibrium(qualities: [q])
            #expect(e.prices == [q / 2] && e.revenues == [q / 4])
            #expect(e.demands == [q > 0 ? 0.5 : 0])
        }
        #expect(Market.equilibrium(qualities: []).revenues.isEmpty)
    }

    @Test("64 firms: finite, demands sum to at most 1, matches consumer choice")
    func many() {
        var rng = SeededRandom(seed: 3)
        let q = (0..<64).map { _ in rng.unit() }
        let e = Market.equilibrium(qualities: q)
        #expect(allFinite(e.revenues) && e.revenues.allSatisfy { $0 > 0 })
        #expect(e.demands.reduce(0, +) <= 1 + 1e-12)
        for i in 0..<64 { #expect(abs(directDemand(i, q: q, p: e.prices) - e.demands[i]) <= 1e-9) }
    }

    @Test("revenue is homogeneous of degree 1 in qualities")
    func homogeneous() {
        var rng = SeededRandom(seed: 4)
        for _ in 0..<100 {
            let q = rng.nasty(Int.random(in: 1...6, using: &rng))
            let s = 0.1 + 0.9 * rng.unit()
            let a = Market.revenues(qualities: q.map { $0 * s }), b = Market.revenues(qualities: q)
            for (x, y) in zip(a, b) { #expect(abs(x - s * y) <= 1e-12 * y + 1e-17, "\(q)") }
        }
    }
}

@Suite("Ratio cap properties")
struct RatioCapProperties {
    @Test("stable B matches the printed B where that is well-conditioned; B(a,1) = a; B(1,b) = 1")
    func stable() {
        for i in 0...18 {
            let a = Double(i) * 0.05
            #expect(abs(Market.ratioCap(a: a, b: 1) - a) <= 1e-15)
            for j in 0...20 {
                let b = 1 + Double(j) * 0.1
                #expect(abs(Market.ratioCap(a: a, b: b) - Market.printedRatioCap(a: a, b: b)) <= 1e-11, "a=\(a) b=\(b)")
            }
        }
        for b in [1.0, 1.001, 1.5, 3, 100, 1e6] { #expect(Market.ratioCap(a: 1, b: b) == 1) }
        #expect(Market.printedRatioCap(a: 1, b: 1.2).isNaN)  // the printed form's 0/0
    }

    @Test("B keeps the high firm's revenue exactly; y_hi keeps the low firm's")
    func keepsRevenue() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<300 {
            let a = rng.unit(), b = 1 + 3 * rng.unit()
            let f = Market.highRevenuePerQuality, g = Market.lowRevenuePerQuality
            let bb = Market.ratioCap(a: a, b: b), y = Market.lowRatioBound(a: a, b: b)
            #expect(abs(b * f(bb) - f(a)) <= 1e-13 * f(a) + 1e-15)
            #expect(abs(b * g(y) - g(a)) <= 1e-12 * g(a) + 1e-15)
            #expect(bb >= a - 1e-15 && bb <= y + 1e-15 && bb <= 1)  // for b ≥ 1, B binds
        }
    }
}
