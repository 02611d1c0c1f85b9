extension Market {
    /// The duopoly ratio cap B(a, b): the quality ratio q_l/q_h at which the high firm's
    /// revenue is exactly its value before the round, where a = ρ_{t−1} = q_l,t−1/q_h,t−1 and
    /// b = q_h,t/q_h,t−1 (Algorithm 1, line 8).
    ///
    /// Solves 4(1−ρ)/(4−ρ)² = 4(1−a)/(b(4−a)²). Algebraically equal to
    /// 4 − 6/(1 + √(1 − 12(1−a)/(b(4−a)²))), rewritten as
    /// 6N / (b(4−a)²(1+s)(1+2s)), N = 8(b−1)(2−a) + a(8 + ab), s the square root, which has no
    /// cancellation for b ≥ 1 (B(a, 1) = a, B(1, b) = 1). Returns 0 when no ratio keeps the
    /// high firm's revenue (b so small that the square root is imaginary, or b ≤ 0).
    public static func ratioCap(a: Double, b: Double) -> Double {
        guard b > 0 else { return 0 }
        let p = (4 - a) * (4 - a)
        let x = 12 * (1 - a) / (b * p)
        guard x <= 1 else { return 0 }
        let s = (1 - x).squareRoot()
        let numerator = 8 * (b - 1) * (2 - a) + a * (8 + a * b)
        return 6 * numerator / (b * p * (1 + s) * (1 + 2 * s))
    }

    /// The paper's printed form of B(a, b): 4 − (4−a)²/(2(1−a))·(b − √(b² − 12(1−a)b/(4−a)²)).
    /// Cancels catastrophically as a → 1 and for large b, and is 0/0 at a = 1. For comparison only.
    public static func printedRatioCap(a: Double, b: Double) -> Double {
        let p = (4 - a) * (4 - a)
        return 4 - p / (2 * (1 - a)) * (b - (b * b - 12 * (1 - a) * b / p).squareRoot())
    }

    /// The low firm's own-revenue ratio bound y_hi(a, b): the largest ratio ρ at which the low
    /// firm's revenue, with the high firm at b·q_h,t−1, equals its value before the round:
    /// (bP + 8M + √(bP(bP − 48M)))/(2(bP + M)), P = (4−a)², M = a(1−a). A ratio, not a quality.
    public static func lowRatioBound(a: Double, b: Double) -> Double {
        lowRatioRoots(a: a, b: b)?.hi ?? 0
    }

    /// Both roots ρ of ρ(1−ρ)/(4−ρ)² = a(1−a)/(b(4−a)²), or nil if none is real.
    static func lowRatioRoots(a: Double, b: Double) -> (lo: Double, hi: Double)? {
        guard b > 0 else { return nil }
        let bp = b * (4 - a) * (4 - a)
        let m = a * (1 - a)
        let disc = bp * (bp - 48 * m)
        guard disc >= 0 else { return nil }
        let sq = disc.squareRoot()
        let hi = (bp + 8 * m + sq) / (2 * (bp + m))
        // Product of the roots is 16M/(bP + M): the small root without cancellation.
        let lo = hi > 0 ? 16 * m / ((bp + m) * hi) : 0
        return (lo, hi)
    }

    /// Duopoly revenues as functions of the ratio ρ = q_l/q_h, per unit of q_h.
    public static func lowRevenuePerQuality(_ r: Double) -> Double { r * (1 - r) / ((4 - r) * (4 - r)) }
    public static func highRevenuePerQuality(_ r: Double) -> Double { 4 * (1 - r) / ((4 - r) * (4 - r)) }
}
