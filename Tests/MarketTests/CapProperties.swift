import Foundation
import Testing
import Market

/// A round: round-start qualities and current ones where some firms (not firm `mover`) improved.
func randomRound(_ n: Int, _ rng: inout SeededRandom) -> (prev: [Double], cur: [Double]) {
    let prev = (0..<n).map { _ in 0.05 + 0.9 * rng.unit() }
    var cur = prev
    for j in 0..<n where rng.unit() < 0.6 { cur[j] = min(1, prev[j] + 0.15 * rng.unit()) }
    return (prev, cur)
}

/// Whether no firm's revenue is below its round-start value anywhere on [from, to] (grid + ends).
func safePath(firm: Int, prev: [Double], cur: [Double], to x: Double, points: Int = 400) -> Bool {
    let before = Market.revenues(qualities: prev)
    var q = cur
    for k in 0...points {
        q[firm] = cur[firm] + (x - cur[firm]) * Double(k) / Double(points)
        if !zip(Market.revenues(qualities: q), before).allSatisfy({ $0 >= $1 * (1 - 1e-12) }) { return false }
    }
    return true
}

@Suite("Cap properties")
struct CapProperties {
    @Test("exact caps are safe on the path and tight just above")
    func safeAndTight() {
        var rng = SeededRandom(seed: 10)
        var tightChecked = 0
        for _ in 0..<150 {
            let n = Int.random(in: 2...5, using: &rng)
            let (prev, cur) = randomRound(n, &rng)
            let before = Market.revenues(qualities: prev)
            for i in 0..<n {
                let c = Market.cap(firm: i, previous: prev, current: cur, policy: .exact)
                #expect(c.value.isFinite)
                guard let next = cur.filter({ $0 > cur[i] }).min() else {
                    #expect(c.status == .top && c.value == 1); continue
                }
                #expect(c.value >= cur[i] && c.value <= next)
                switch c.status {
                case .ok:
                    #expect(safePath(firm: i, prev: prev, cur: cur, to: c.value), "prev \(prev) cur \(cur) firm \(i)")
                    if c.value < next - 2e-6 {
                        var q = cur
                        q[i] = c.value + 1e-6
                        let r = Market.revenues(qualities: q)
                        let j = c.bindingFirm!
                        #expect(r[j] < before[j], "not tight: prev \(prev) cur \(cur) firm \(i)")
                        tightChecked += 1
                    }
                case .startInfeasible:
                    #expect(c.value == cur[i])
                    let j = c.bindingFirm!
                    #expect(Market.revenues(qualities: cur)[j] < before[j])
                default:
                    Issue.record("unexpected status \(c.status)")
                }
            }
        }
        #expect(tightChecked > 50)
    }

    @Test("for two firms the exact policy equals the duopoly formula")
    func duopoly() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<300 {
            let h = 0.05 + 0.95 * rng.unit(), l = h * rng.unit()
            let hn = rng.unit() < 0.15 ? h * rng.unit() : min(1, h + (1 - h) * rng.unit())
            guard hn > l else { continue }
            let d = Market.duopolyCap(lowPrev: l, highPrev: h, highNew: hn)
            let e = Market.cap(firm: 0, previous: [l, h], current: [l, hn], policy: .exact)
            let e2 = Market.cap(firm: 1, previous: [h, l], current: [hn, l], policy: .exact)  // input order
            #expect(abs(d.value - e.value) <= 1e-12 * d.value, "l \(l) h \(h) hn \(hn): \(d) vs \(e)")
            #expect(e == Cap2.swap(e2))
            switch d.status {
            case .ok: #expect(e.status == .ok && e.bindingFirm == d.bindingFirm)
            case .infeasible: #expect(e.status == .startInfeasible && e.bindingFirm == 1)
            default: Issue.record("unexpected duopoly status \(d.status)")
            }
            // The duopoly pairwise policy is the duopoly formula.
            #expect(Market.cap(firm: 0, previous: [l, h], current: [l, hn], policy: .duopolyPairwise) == d)
        }
    }

    @Test("pairwise is unsafe in some N=3 rounds; exact never is")
    func pairwiseUnsafe() {
        var rng = SeededRandom(seed: 12)
        var unsafePairwise = 0, trials = 0
        for _ in 0..<200 {
            let (prev, cur) = randomRound(3, &rng)
            for i in 0..<3 where cur.contains(where: { $0 > cur[i] }) {
                let pw = Market.cap(firm: i, previous: prev, current: cur, policy: .duopolyPairwise)
                let ex = Market.cap(firm: i, previous: prev, current: cur, policy: .exact)
                guard ex.status == .ok, pw.value >= cur[i] else { continue }
                trials += 1
                if !safePath(firm: i, prev: prev, cur: cur, to: pw.value, points: 50) { unsafePairwise += 1 }
                #expect(safePath(firm: i, prev: prev, cur: cur, to: ex.value, points: 50))
            }
        }
        #expect(unsafePairwise >= 1)
        #expect(Double(unsafePairwise) >= 0.05 * Double(trials), "\(unsafePairwise) of \(trials)")
    }

    @Test("no NaN for any input in [0,1]^N, ties and zeros included")
    func noNaN() {
        var rng = SeededRandom(seed: 13)
        for _ in 0..<150 {
            let n = Int.random(in: 1...5, using: &rng)
            let prev = rng.nasty(n), cur = rng.nasty(n)
            for i in 0..<n {
                for policy in Market.CapPolicy.allCases {
                    let c = Market.cap(firm: i, previous: prev, current: cur, policy: policy)
                    #expect(c.value.isFinite && c.value >= 0 && c.value <= 1, "\(prev) \(cur) \(i) \(policy)")
                }
            }
            let d = Market.duopolyCap(lowPrev: prev[0], highPrev: cur[0], highNew: rng.unit())
            #expect(d.value.isFinite)
        }
        for (l, h, hn) in [(0.0, 0.0, 0.0), (0.0, 0.0, 1.0), (0.5, 0.5, 0.5), (0.3, 1.0, 0.0), (1.0, 1.0, 1.0), (0.0, 1.0, 1.0)] {
            #expect(Market.duopolyCap(lowPrev: l, highPrev: h, highNew: hn).value.isFinite)
        }
    }

    @Test("64 firms: caps work")
    func many() {
        var rng = SeededRandom(seed: 14)
        let (prev, cur) = randomRound(64, &rng)
        for i in [0, 17, 40] {
            let c = Market.cap(firm: i, previous: prev, current: cur, policy: .exact)
            #expect(c.value.isFinite && c.value >= cur[i])
        }
    }
}

enum Cap2 {
    /// A two-firm cap with firm indices swapped.
    static func swap(_ c: Market.Cap) -> Market.Cap {
        Market.Cap(value: c.value, status: c.status, bindingFirm: c.bindingFirm.map { 1 - $0 })
    }
}

@Suite("Bargaining properties")
struct BargainingProperties {
    @Test("start (0.3, 0.9): the constrained ρ* ≈ 0.35718, inside the feasible set")
    func constrained() {
        let b = Market.nashBargaining(start: [0.3, 0.9], top: 1)
        #expect(abs(b.qualities[0] - 0.35718) < 1e-5)
        #expect(Market.nashProduct(qualities: b.qualities, start: [0.3, 0.9]) > 0)
    }

    @Test("the numeric N-firm solver agrees with the duopoly closed form")
    func numericDuopoly() {
        var rng = SeededRandom(seed: 20)
        for _ in 0..<30 {
            let h = 0.1 + 0.8 * rng.unit(), l = h * (0.05 + 0.9 * rng.unit())
            let closed = Market.nashBargaining(start: [l, h], top: 1)
            let numeric = Market.numericBargaining(start: [l, h], top: 1)
            #expect(abs(closed.qualities[0] - numeric.qualities[0]) <= 1e-9 * closed.qualities[0], "\(l) \(h)")
        }
    }

    @Test("N-firm solutions: every gain ≥ 0, locally optimal, order kept")
    func optimal() {
        var rng = SeededRandom(seed: 21)
        for _ in 0..<20 {
            let n = Int.random(in: 3...6, using: &rng)
            let q0 = (0..<n).map { _ in 0.05 + 0.85 * rng.unit() }
            let b = Market.nashBargaining(start: q0, top: 1)
            let best = Market.nashProduct(qualities: b.qualities, start: q0)
            #expect(best > 0)
            #expect(Market.rankOrder(b.qualities) == Market.rankOrder(q0))
            for i in q0.indices where q0[i] < q0.max()! {
                for delta in [-1e-4, 1e-4] {
                    var q = b.qualities
                    q[i] += delta
                    #expect(Market.nashProduct(qualities: q, start: q0) <= best, "\(q0) firm \(i)")
                }
            }
        }
    }

    @Test("nashProduct is 0 outside the feasible set (two losses are not a gain)")
    func product() {
        // Both firms lose when the top firm degrades and the low firm jumps near it.
        #expect(Market.nashProduct(qualities: [0.55, 0.6], start: [0.1, 0.9]) == 0)
        #expect(Market.nashProduct(qualities: [0.1, 0.9], start: [0.1, 0.9]) == 0)
        #expect(Market.nashProduct(qualities: [0.2, 1.0], start: [0.1, 0.5]) > 0)
    }

    @Test("N = 16 is fast, N = 64 does not crash, degenerate starts give finite answers")
    func sizes() {
        var rng = SeededRandom(seed: 22)
        let q16 = (0..<16).map { _ in 0.05 + 0.9 * rng.unit() }
        let clock = ContinuousClock()
        var b16: Market.Bargaining? = nil
        let t = clock.measure { b16 = Market.nashBargaining(start: q16, top: 1) }
        #expect(t < .seconds(2), "N=16 took \(t)")  // debug build; release is far faster
        #expect(Market.nashProduct(qualities: b16!.qualities, start: q16) > 0)
        let q64 = (0..<64).map { _ in rng.unit() }
        var result64: Market.Bargaining? = nil
        _ = clock.measure { result64 = Market.nashBargaining(start: q64, top: 1) }
        let b64 = result64!
        #expect(allFinite(b64.qualities) && allFinite(b64.revenues))
        for q0 in [[0.0, 0.0, 0.0], [0.3, 0.3, 0.6], [0.5, 0.5], [0.0, 1.0], [1.0, 1.0, 1.0], [0.2, 0.4, 0.6]] {
            for top in [1.0, 0.5, 0.0] {
                let b = Market.nashBargaining(start: q0, top: top)
                #expect(allFinite(b.qualities) && allFinite(b.revenues), "\(q0) top \(top)")
            }
        }
    }
}
