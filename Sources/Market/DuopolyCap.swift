extension Market {
    /// The duopoly safe cap on the low firm's quality after the high firm moved
    /// q_h,t−1 → q_h,t this round: the largest q_l in [q_l,t−1, q_h,t] at which neither firm's
    /// revenue is below its value at the start of the round.
    ///
    /// - ok: cap = q_h,t · min(B(a, b), y_hi(a, b)), never below q_l,t−1 (for b ≥ 1, B binds:
    ///   binding firm 1, the high firm; 0 if the low firm's own bound binds).
    /// - no-revenue-before: both revenues were 0 (tie or zero qualities); cap = q_h,t.
    /// - infeasible: the high firm's quality fell (b < 1), no point keeps its revenue; the low
    ///   firm stays put, cap = q_l,t−1. Also when lowPrev > highPrev (not a low firm).
    ///
    /// Binding firm indices are 0 = low, 1 = high.
    public static func duopolyCap(lowPrev: Double, highPrev: Double, highNew: Double) -> Cap {
        if lowPrev > highPrev { return Cap(value: lowPrev, status: .infeasible, bindingFirm: 1) }
        let before = revenues(qualities: [lowPrev, highPrev])
        if before[0] == 0 && before[1] == 0 {
            return Cap(value: max(highNew, lowPrev), status: .noRevenueBefore, bindingFirm: nil)
        }
        guard highNew >= highPrev else { return Cap(value: lowPrev, status: .infeasible, bindingFirm: 1) }
        let a = lowPrev / highPrev
        let b = highNew / highPrev
        let capHigh = ratioCap(a: a, b: b)
        let capLow = lowRatioBound(a: a, b: b)
        let binding = capLow < capHigh ? 0 : 1
        let value = max(lowPrev, min(highNew * min(capHigh, capLow), highNew))
        return Cap(value: value, status: .ok, bindingFirm: binding)
    }
}
