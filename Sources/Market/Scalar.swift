/// Arithmetic the equilibrium solver needs; `Double` for values, `Dual` for exact
/// derivatives of revenue with respect to one quality (used by Nash bargaining).
protocol MarketScalar {
    init(_ value: Double)
    var primal: Double { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
}

extension Double: MarketScalar {
    var primal: Double { self }
}

/// A forward-mode dual number v + d·ε, ε² = 0.
struct Dual: MarketScalar {
    var v: Double
    var d: Double
    init(_ value: Double) { v = value; d = 0 }
    init(_ v: Double, _ d: Double) { self.v = v; self.d = d }
    var primal: Double { v }
    static func + (a: Dual, b: Dual) -> Dual { Dual(a.v + b.v, a.d + b.d) }
    static func - (a: Dual, b: Dual) -> Dual { Dual(a.v - b.v, a.d - b.d) }
    static func * (a: Dual, b: Dual) -> Dual { Dual(a.v * b.v, a.d * b.v + a.v * b.d) }
    static func / (a: Dual, b: Dual) -> Dual {
        let q = a.v / b.v
        return Dual(q, (a.d - q * b.d) / b.v)
    }
}
