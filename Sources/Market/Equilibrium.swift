extension Market {
    /// Bertrand–Nash prices, demands and revenues for firms of the given qualities
    /// (any order, any ties; results in input order).
    ///
    /// Tie rule: q_tie is the highest quality held by two or more firms; tied firms and
    /// every firm below price 0 and earn 0; firms above solve the first-order conditions with
    /// (q_0, p_0) = (q_tie, 0). Tied firms at q_tie > 0 share the consumers who buy the free
    /// product equally; a firm at quality 0 has no product (demand 0).
    public static func equilibrium(qualities: [Double]) -> Equilibrium {
        let n = qualities.count
        var prices = [Double](repeating: 0, count: n)
        var demands = [Double](repeating: 0, count: n)
        var revenues = [Double](repeating: 0, count: n)
        guard n > 0 else { return Equilibrium(prices: [], demands: [], revenues: []) }
        let order = rankOrder(qualities)
        // Highest quality level held by two or more firms.
        var tie: Double? = nil
        for r in stride(from: n - 1, to: 0, by: -1) where qualities[order[r]] == qualities[order[r - 1]] {
            tie = qualities[order[r]]
            break
        }
        let base = max(tie ?? 0, 0)
        let active = order.filter { qualities[$0] > base }
        var threshold = 1.0  // taste of the consumer indifferent between the free product and the lowest active one
        if !active.isEmpty {
            let s = solveSorted(active.map { qualities[$0] }, base: base)
            for (k, i) in active.enumerated() {
                prices[i] = s.prices[k]
                demands[i] = s.demands[k]
                revenues[i] = s.prices[k] * s.demands[k]
            }
            threshold = s.lowestThreshold
        }
        if let tie, tie > 0 {
            let tied = order.filter { qualities[$0] == tie }
            for i in tied { demands[i] = threshold / Double(tied.count) }
        }
        return Equilibrium(prices: prices, demands: demands, revenues: revenues)
    }

    /// Equilibrium revenues, in input order.
    public static func revenues(qualities: [Double]) -> [Double] {
        equilibrium(qualities: qualities).revenues
    }

    /// Indices sorted by quality, ties by index.
    public static func rankOrder(_ q: [Double]) -> [Int] {
        q.indices.sorted { q[$0] < q[$1] || (q[$0] == q[$1] && $0 < $1) }
    }

    /// Solves the first-order conditions for strictly increasing qualities q_1 < … < q_n,
    /// all above `base` (the free product, price 0).
    ///
    /// With d_k = q_k − q_{k−1} and w_k = d_{k+1}/(d_k + d_{k+1}), the FOC of firm k < n
    /// multiplied by d_k d_{k+1}/(d_k + d_{k+1}) reads 2p_k = w_k p_{k−1} + (1 − w_k) p_{k+1},
    /// and the top firm's reads 2p_n − p_{n−1} = d_n: a strictly diagonally dominant
    /// tridiagonal system whose coefficients are ratios of gaps. Thomas elimination gives
    /// p_k = m_k p_{k+1}; back substitution is done on u_k = p_k/d_k, so demands
    /// D_k = u_{k+1}/den_k never divide one tiny gap by another.
    static func solveSorted<T: MarketScalar>(_ q: [T], base: T) -> (prices: [T], demands: [T], lowestThreshold: T) {
        let n = q.count
        let one = T(1), two = T(2)
        var d = [T](repeating: T(0), count: n)
        for k in 0..<n { d[k] = q[k] - (k == 0 ? base : q[k - 1]) }
        var w = [T](repeating: T(0), count: n)
        var den = [T](repeating: T(0), count: n)
        var mPrev = T(0)
        for k in 0..<(n - 1) {
            let span = q[k + 1] - (k == 0 ? base : q[k - 1])  // d_k + d_{k+1}
            w[k] = d[k + 1] / span
            den[k] = two - w[k] * mPrev
            mPrev = (d[k] / span) / den[k]
        }
        den[n - 1] = two - mPrev
        var u = [T](repeating: T(0), count: n)
        var demand = [T](repeating: T(0), count: n)
        u[n - 1] = one / den[n - 1]
        demand[n - 1] = u[n - 1]
        if n >= 2 {
            for k in stride(from: n - 2, through: 0, by: -1) {
                demand[k] = u[k + 1] / den[k]
                u[k] = u[k + 1] * w[k] / den[k]
            }
        }
        var p = [T](repeating: T(0), count: n)
        for k in 0..<n { p[k] = u[k] * d[k] }
        return (p, demand, u[0])
    }
}
