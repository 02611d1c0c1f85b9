import Market

/// The paper's defection-free collaboration scheme (Algorithm 1), generalised to N firms.
///
/// It owns the round's decisions and nothing else (no sockets): who trains in which
/// order, and up to what quality each lower firm may improve. Each round the firms are
/// ranked by quality; the top firm always trains collaboratively; then, top-down, each
/// lower firm gets a cap from the market model that keeps every firm's revenue at or
/// above its round-start value, tightened so the firm never passes its Nash bargaining
/// target (neither the target quality nor the target ratio to the top firm).
public struct DefectionFreeScheme: Sendable {
    /// Nash bargaining target quality of every firm, in firm order.
    public let targets: [Double]
    /// Whether the target is reachable from the start (Proposition 4).
    public let reachable: Bool
    public let policy: Market.CapPolicy

    /// Computes the targets from the round-0 qualities with the top firm at `topQuality`.
    public init(startQualities: [Double], topQuality: Double, policy: Market.CapPolicy) {
        let nbs = Market.nashBargaining(start: startQualities, top: topQuality)
        targets = nbs.qualities
        reachable = nbs.reachable
        self.policy = policy
    }

    public init(targets: [Double], reachable: Bool, policy: Market.CapPolicy) {
        self.targets = targets
        self.reachable = reachable
        self.policy = policy
    }

    /// Firm indices from the highest quality down; ties keep firm order.
    public static func ranking(_ qualities: [Double]) -> [Int] {
        qualities.indices.sorted { a, b in
            qualities[a] != qualities[b] ? qualities[a] > qualities[b] : a < b
        }
    }

    /// Rank of every firm (1 = top), in firm order.
    public static func ranks(_ qualities: [Double]) -> [Int] {
        var r = [Int](repeating: 0, count: qualities.count)
        for (position, firm) in ranking(qualities).enumerated() { r[firm] = position + 1 }
        return r
    }

    /// A lower firm's permission to update in this round.
    public struct Permission: Sendable, Equatable {
        public let firm: Int
        /// The market cap (revenue-preserving) before the target terms.
        public let marketCap: Market.Cap
        /// min(market cap, target ratio × current top quality, target quality).
        public let effectiveCap: Double
        public let permitted: Bool
        /// Why not, when not permitted.
        public let reason: String?
    }

    /// The permission of lower firm `firm`, given the round-start qualities, the current
    /// ones (the firms above it have already moved this round) and the top firm.
    public func permission(firm: Int, roundStart: [Double], current: [Double], top: Int) -> Permission {
        let cap = Market.cap(firm: firm, previous: roundStart, current: current, policy: policy)
        let q = current[firm]
        let targetRatio = targets[top] > 0 ? targets[firm] / targets[top] : 0
        let ratio = current[top] > 0 ? q / current[top] : 0
        let effective = min(cap.value, targetRatio * current[top], targets[firm])
        let reason: String?
        if q >= targets[firm] {
            reason = "at target q*"
        } else if ratio > targetRatio {
            reason = "q/q_top above q*/q_top*"
        } else if cap.status == .infeasible || cap.status == .startInfeasible {
            reason = "cap \(cap.status.rawValue)"
        } else if effective <= q {
            reason = "no room under cap"
        } else {
            reason = nil
        }
        return Permission(firm: firm, marketCap: cap, effectiveCap: max(effective, q), permitted: reason == nil, reason: reason)
    }

    /// Firms whose revenue at `current` fell below its value at `roundStart`, with a
    /// relative tolerance for floating-point rounding of equal revenues.
    public static func revenueDecreases(roundStart: [Double], current: [Double]) -> [Bool] {
        let before = Market.revenues(qualities: roundStart)
        let after = Market.revenues(qualities: current)
        return zip(before, after).map { b, a in a < b - 1e-12 * max(b, 1e-300) }
    }

    /// Invariant breaches of a round, in words (empty when all hold): qualities in [0, 1],
    /// no lower firm passing a higher one, no revenue decrease.
    public static func violations(round: Int, ids: [String], roundStart: [Double], current: [Double]) -> [String] {
        var out: [String] = []
        for (i, q) in current.enumerated() where !(q >= 0 && q <= 1) {
            out.append("round \(round): quality of \(ids[i]) is \(q), outside [0, 1]")
        }
        for a in roundStart.indices {
            for b in roundStart.indices where roundStart[a] < roundStart[b] && current[a] > current[b] {
                out.append("round \(round): \(ids[a]) passed \(ids[b]) in quality")
            }
        }
        for (i, d) in revenueDecreases(roundStart: roundStart, current: current).enumerated() where d {
            out.append("round \(round): revenue of \(ids[i]) decreased")
        }
        return out
    }
}
