extension Market {
    /// The cap on `firm`'s quality this round, given the round-start qualities `previous` and
    /// the current qualities `current` (both in input order, same length).
    ///
    /// The top firm (no current quality strictly above its own) improves freely: cap 1,
    /// status `top`. Otherwise, with q_next the next higher current quality:
    ///
    /// - `exact`: the largest x in [q_cur_i, q_next] such that every firm's equilibrium revenue
    ///   (firm i at x, the others at their current qualities) stays at or above its round-start
    ///   revenue (at `previous`) on the whole segment [q_cur_i, x]. The binding firm is the one
    ///   whose revenue would fall first. If a revenue is already below its round-start value at
    ///   q_cur_i the status is `start-infeasible`, the cap is q_cur_i and the binding firm is the
    ///   firm (largest relative shortfall) already short. If every round-start revenue was 0,
    ///   the cap is q_next (`no-revenue-before`). q_next itself is reached only when the
    ///   firms that tie there had nothing to lose.
    /// - `duopolyPairwise`: the minimum over higher-ranked firms j of the duopoly safe cap
    ///   (previous_i, previous_j → current_j), ignoring third firms. Not safe for N ≥ 3.
    public static func cap(firm: Int, previous: [Double], current: [Double], policy: CapPolicy) -> Cap {
        precondition(previous.count == current.count && current.indices.contains(firm),
                     "cap: firm index and equal lengths are the caller's job")
        let start = current[firm]
        guard let next = current.filter({ $0 > start }).min() else {
            return Cap(value: 1, status: .top, bindingFirm: nil)
        }
        switch policy {
        case .exact: return exactCap(firm: firm, previous: previous, current: current, start: start, next: next)
        case .duopolyPairwise: return pairwiseCap(firm: firm, previous: previous, current: current)
        }
    }

    /// The firm whose revenue is furthest below its round-start value (relative), if any is.
    static func shortfall(_ r: [Double], below before: [Double]) -> Int? {
        var worst: Int? = nil
        var worstRatio = 0.0
        for j in r.indices where r[j] < before[j] {
            let ratio = (r[j] - before[j]) / before[j]  // before[j] > r[j] >= 0
            if worst == nil || ratio < worstRatio { worst = j; worstRatio = ratio }
        }
        return worst
    }

    /// Grid points scanned along [q_cur_i, q_next] for the first violation.
    static let capScanPoints = 256

    static func exactCap(firm: Int, previous: [Double], current: [Double], start: Double, next: Double) -> Cap {
        let before = revenues(qualities: previous)
        if before.allSatisfy({ $0 == 0 }) {
            return Cap(value: next, status: .noRevenueBefore, bindingFirm: nil)
        }
        var q = current
        func violator(at x: Double) -> Int? {
            q[firm] = x
            return shortfall(revenues(qualities: q), below: before)
        }
        if let j = violator(at: start) {
            return Cap(value: start, status: .startInfeasible, bindingFirm: j)
        }
        // Scan for the first grid point where a revenue falls short, then bisect the bracket.
        var lo = start
        var hiBad: (x: Double, firm: Int)? = nil
        let width = next - start
        for k in 1...capScanPoints {
            let x = k == capScanPoints ? next : start + width * Double(k) / Double(capScanPoints)
            if let j = violator(at: x) { hiBad = (x, j); break }
            lo = x
        }
        guard var (hi, binding) = hiBad else {
            return Cap(value: next, status: .ok, bindingFirm: nil)
        }
        for _ in 0..<200 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if let j = violator(at: mid) { hi = mid; binding = j } else { lo = mid }
        }
        return Cap(value: lo, status: .ok, bindingFirm: binding)
    }

    static func pairwiseCap(firm: Int, previous: [Double], current: [Double]) -> Cap {
        var best: Cap? = nil
        for j in current.indices where current[j] > current[firm] {
            let c = duopolyCap(lowPrev: previous[firm], highPrev: previous[j], highNew: current[j])
            if best == nil || c.value < best!.value {
                let binding = c.bindingFirm.map { $0 == 1 ? j : firm }
                best = Cap(value: c.value, status: c.status, bindingFirm: binding)
            }
        }
        return best ?? Cap(value: 1, status: .top, bindingFirm: nil)
    }
}
