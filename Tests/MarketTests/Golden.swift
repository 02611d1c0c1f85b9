import Foundation
import Testing
import Market

/// The golden vectors, ../shared/golden/market.json relative to the repository root.
enum Golden {
    struct Vector: @unchecked Sendable, CustomStringConvertible {
        let id: String
        let kind: String
        let inputs: [String: Any]
        let expected: [String: Any]
        let tol: Double
        var description: String { id }
    }

    static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // MarketTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/golden/market.json")

    /// Every vector, or a fatal error naming the missing file (never a silent skip).
    static let all: [Vector] = {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("golden file missing: \(url.path) (expected at ../shared/golden/market.json from the repository root)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let vectors = root["vectors"] as? [[String: Any]] else {
            fatalError("golden file unreadable: \(url.path)")
        }
        return vectors.map {
            Vector(id: $0["id"] as! String, kind: $0["kind"] as! String,
                   inputs: $0["inputs"] as! [String: Any], expected: $0["expected"] as! [String: Any],
                   tol: ($0["tol_rel"] as! NSNumber).doubleValue)
        }
    }()

    static func of(_ kind: String) -> [Vector] { all.filter { $0.kind == kind } }
}

extension Golden.Vector {
    func input(_ key: String) -> Double { (inputs[key] as! NSNumber).doubleValue }
    func inputs(_ key: String) -> [Double] { (inputs[key] as! [NSNumber]).map(\.doubleValue) }
    func value(_ key: String) -> Double { (expected[key] as! NSNumber).doubleValue }
    func values(_ key: String) -> [Double] { (expected[key] as! [NSNumber]).map(\.doubleValue) }
    func string(_ key: String) -> String { expected[key] as! String }
    func bool(_ key: String) -> Bool { (expected[key] as! NSNumber).boolValue }
    func has(_ key: String) -> Bool { expected[key] != nil }

    /// |got − exp| ≤ tol·|exp| + 1e-15.
    func close(_ got: Double, _ exp: Double) -> Bool {
        got.isFinite && abs(got - exp) <= tol * abs(exp) + 1e-15
    }

    func check(_ name: String, _ got: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let exp = value(name)
        #expect(close(got, exp), "\(id) \(name): got \(got), expected \(exp)", sourceLocation: sourceLocation)
    }

    func check(_ name: String, _ got: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        let exp = values(name)
        #expect(got.count == exp.count, "\(id) \(name): length \(got.count) vs \(exp.count)", sourceLocation: sourceLocation)
        for (g, e) in zip(got, exp) {
            #expect(close(g, e), "\(id) \(name): got \(got), expected \(exp)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("Golden vectors")
struct GoldenTests {
    @Test("the golden file is present and holds every kind")
    func present() {
        let kinds = Set(Golden.all.map(\.kind))
        #expect(kinds == ["lemma2", "B", "safe_cap", "nfirm_eq", "nbs_duopoly", "nfirm_cap", "nbs_nfirm"])
    }

    @Test("lemma2: duopoly equilibrium", arguments: Golden.of("lemma2"))
    func lemma2(_ v: Golden.Vector) {
        let e = Market.equilibrium(qualities: [v.input("q_l"), v.input("q_h")])
        v.check("p_l", e.prices[0]); v.check("p_h", e.prices[1])
        v.check("D_l", e.demands[0]); v.check("D_h", e.demands[1])
        v.check("U_l", e.revenues[0]); v.check("U_h", e.revenues[1])
        // Also in the other input order.
        let r = Market.equilibrium(qualities: [v.input("q_h"), v.input("q_l")])
        v.check("U_l", r.revenues[1]); v.check("U_h", r.revenues[0])
    }

    @Test("B: stable ratio cap and y_hi", arguments: Golden.of("B"))
    func ratioCap(_ v: Golden.Vector) {
        let a = v.input("a"), b = v.input("b")
        v.check("B", Market.ratioCap(a: a, b: b))
        v.check("y_hi", Market.lowRatioBound(a: a, b: b))
    }

    @Test("safe_cap: duopoly safe cap", arguments: Golden.of("safe_cap"))
    func safeCap(_ v: Golden.Vector) {
        let lp = v.input("q_l_prev"), hp = v.input("q_h_prev"), hn = v.input("q_h_new")
        let cap = Market.duopolyCap(lowPrev: lp, highPrev: hp, highNew: hn)
        v.check("cap", cap.value)
        #expect(cap.status.rawValue == v.string("status"), "\(v.id)")
        let prev = Market.revenues(qualities: [lp, hp])
        let at = Market.revenues(qualities: [cap.value, hn])
        v.check("Ul_prev", prev[0]); v.check("Uh_prev", prev[1])
        v.check("Ul_at_cap", at[0]); v.check("Uh_at_cap", at[1])
    }

    @Test("nfirm_eq: N-firm equilibrium", arguments: Golden.of("nfirm_eq"))
    func nfirmEq(_ v: Golden.Vector) {
        let e = Market.equilibrium(qualities: v.inputs("q"))
        v.check("p", e.prices)
        if v.has("D") { v.check("D", e.demands) }
        v.check("R", e.revenues)
    }
}

/// Whether every firm's revenue at `q` is at least `before`.
func noneShort(_ q: [Double], _ before: [Double]) -> Bool {
    zip(Market.revenues(qualities: q), before).allSatisfy { $0 >= $1 }
}

@Suite("Golden caps")
struct GoldenCapTests {
    @Test("nfirm_cap: exact cap, binding firm, pairwise cap", arguments: Golden.of("nfirm_cap"))
    func nfirmCap(_ v: Golden.Vector) {
        let prev = v.inputs("q_prev"), cur = v.inputs("q_cur")
        let firm = Int(v.input("firm"))
        v.check("R_prev", Market.revenues(qualities: prev))
        let cap = Market.cap(firm: firm, previous: prev, current: cur, policy: .exact)
        v.check("cap", cap.value)
        #expect(cap.status.rawValue == v.string("status"), "\(v.id)")
        #expect(cap.bindingFirm == Int(v.value("binding_firm")), "\(v.id)")
        let pairwise = Market.cap(firm: firm, previous: prev, current: cur, policy: .duopolyPairwise)
        v.check("pairwise_cap", pairwise.value)
        // pairwise_is_safe (golden semantics): no revenue short at the pairwise cap point
        // itself; the path is not checked (nfirm_cap-07 is start-infeasible yet "safe").
        var q = cur
        q[firm] = pairwise.value
        let before = Market.revenues(qualities: prev)
        let safe = noneShort(q, before)
        #expect(safe == v.bool("pairwise_is_safe"), "\(v.id)")
        // feasible_intervals: feasible inside, infeasible just outside.
        for pair in v.expected["feasible_intervals"] as! [[NSNumber]] {
            let a = pair[0].doubleValue, b = pair[1].doubleValue
            q[firm] = (a + b) / 2
            #expect(noneShort(q, before), "\(v.id) interval middle")
            q[firm] = b + 1e-9
            #expect(!noneShort(q, before), "\(v.id) past interval end")
            if a > cur[firm] {
                q[firm] = a - 1e-9
                #expect(!noneShort(q, before), "\(v.id) before interval start")
            }
        }
    }
}

@Suite("Golden bargaining")
struct GoldenBargainingTests {
    @Test("nbs_duopoly: constrained q_l*, feasible interval, reachability", arguments: Golden.of("nbs_duopoly"))
    func duopoly(_ v: Golden.Vector) {
        let l0 = v.input("q_l0"), h0 = v.input("q_h0"), top = v.input("q_h_star")
        let d = Market.duopolyBargaining(low: l0, high: h0, top: top)
        v.check("q_l_star", d.low)
        v.check("feasible_lo", d.feasible?.lowerBound ?? .nan)
        v.check("feasible_hi", d.feasible?.upperBound ?? .nan)
        #expect(d.reachable == v.bool("reachable"), "\(v.id)")
        let b = Market.nashBargaining(start: [l0, h0], top: top)
        v.check("q_l_star", b.qualities[0])
        v.check("U_l_star", b.revenues[0]); v.check("U_h_star", b.revenues[1])
        #expect(b.qualities[1] == top)
        #expect(b.reachable == v.bool("reachable"), "\(v.id)")
    }

    @Test("nbs_nfirm: N-firm Nash bargaining", arguments: Golden.of("nbs_nfirm"))
    func nfirm(_ v: Golden.Vector) {
        let q0 = v.inputs("q0"), top = v.input("q_top")
        v.check("R0", Market.revenues(qualities: q0))
        let b = Market.nashBargaining(start: q0, top: top)
        v.check("q_star", b.qualities)
        v.check("R_star", b.revenues)
        #expect(b.reachable == v.bool("q_star_ge_q0"), "\(v.id)")
    }
}
