import Broker
import Market
import Testing

@Suite struct DefectionFreeSchemeTests {
    @Test func rankingIsByQualityThenFirmOrder() {
        #expect(DefectionFreeScheme.ranking([0.3, 0.7, 0.5]) == [1, 2, 0])
        #expect(DefectionFreeScheme.ranking([0.5, 0.5, 0.1]) == [0, 1, 2])
        #expect(DefectionFreeScheme.ranks([0.3, 0.7, 0.5]) == [3, 1, 2])
    }

    @Test func targetsAreTheNashBargainingSolution() {
        let s = DefectionFreeScheme(startQualities: [0.1, 0.5], topQuality: 1, policy: .exact)
        // golden nbs_duopoly-01
        #expect(abs(s.targets[0] - 0.36849981439757123) < 1e-10)
        #expect(s.targets[1] == 1)
        #expect(s.reachable)
    }

    @Test func duopolyCapIsTheRatioCapTimesTheNewTopQuality() {
        let s = DefectionFreeScheme(targets: [0.45, 1], reachable: true, policy: .exact)
        let p = s.permission(firm: 0, roundStart: [0.2, 0.5], current: [0.2, 0.6], top: 1)
        let expected = Market.ratioCap(a: 0.4, b: 1.2) * 0.6
        #expect(p.permitted)
        #expect(abs(p.marketCap.value - expected) < 1e-12)
        #expect(abs(p.effectiveCap - min(expected, 0.45 * 0.6, 0.45)) < 1e-15)
        // At the market cap the high firm's revenue is exactly its round-start revenue.
        let before = Market.revenues(qualities: [0.2, 0.5])
        let at = Market.revenues(qualities: [p.marketCap.value, 0.6])
        #expect(abs(at[1] - before[1]) < 1e-12 * before[1])
        #expect(at[0] >= before[0])
    }

    @Test func targetRatioBindsBeforeTheMarketCap() {
        // rho* = 0.3: the low firm may not pass 0.3 * q_h even if the market allows more.
        let s = DefectionFreeScheme(targets: [0.3, 1], reachable: true, policy: .exact)
        let p = s.permission(firm: 0, roundStart: [0.1, 0.5], current: [0.1, 0.8], top: 1)
        #expect(p.marketCap.value > 0.24)
        #expect(p.effectiveCap == 0.3 * 0.8)
    }

    @Test func heldWhenAtTargetOrAboveTargetRatioOrWithoutRoom() {
        let s = DefectionFreeScheme(targets: [0.4, 1], reachable: true, policy: .exact)
        #expect(s.permission(firm: 0, roundStart: [0.4, 0.9], current: [0.4, 0.95], top: 1).reason == "at target q*")
        #expect(s.permission(firm: 0, roundStart: [0.3, 0.6], current: [0.3, 0.6], top: 1).reason == "q/q_top above q*/q_top*")
        // The top firm did not move: the cap is the low firm's own quality.
        #expect(s.permission(firm: 0, roundStart: [0.2, 0.6], current: [0.2, 0.6], top: 1).reason == "no room under cap")
    }

    @Test func threeFirmCapsKeepEveryRevenue() {
        let s = DefectionFreeScheme(startQualities: [0.1, 0.3, 0.6], topQuality: 1, policy: .exact)
        let start = [0.12, 0.3, 0.6]
        var q = [0.12, 0.3, 0.7]
        for firm in [1, 0] {
            let p = s.permission(firm: firm, roundStart: start, current: q, top: 2)
            if p.permitted { q[firm] = p.effectiveCap }
        }
        #expect(DefectionFreeScheme.revenueDecreases(roundStart: start, current: q) == [false, false, false])
        #expect(DefectionFreeScheme.violations(round: 1, ids: ["a", "b", "c"], roundStart: start, current: q).isEmpty)
    }

    @Test func violationsAreDetected() {
        let ids = ["low", "high"]
        #expect(DefectionFreeScheme.revenueDecreases(roundStart: [0.2, 0.5], current: [0.3, 0.5]) == [false, true])
        let v = DefectionFreeScheme.violations(round: 4, ids: ids, roundStart: [0.2, 0.5], current: [0.6, 0.5])
        #expect(v.contains("round 4: low passed high in quality"))
        #expect(v.contains("round 4: revenue of high decreased"))
        #expect(DefectionFreeScheme.violations(round: 1, ids: ids, roundStart: [0.2, 0.5], current: [0.2, 1.5])
            .contains("round 1: quality of high is 1.5, outside [0, 1]"))
    }
}
