import Foundation

extension Market {
    /// The Nash product Π_j (R_j(q) − R_j(q0)) of revenue gains over the start qualities q0.
    /// Returns 0 when any gain is negative: outside the feasible set no firm would agree, and
    /// the disagreement value is 0 (a product of two losses is not a gain).
    public static func nashProduct(qualities: [Double], start: [Double]) -> Double {
        let r = revenues(qualities: qualities), r0 = revenues(qualities: start)
        var product = 1.0
        for (a, b) in zip(r, r0) {
            let gain = a - b
            if gain < 0 { return 0 }
            product *= gain
        }
        return product
    }

    /// The Nash bargaining solution from start qualities q0 with the top firm's quality set to
    /// `top`: the qualities maximising Π_j (R_j(q) − R_j(q0)) over the feasible set where no
    /// gain is negative, the other firms keeping the order of q0 (ties in q0 ordered by index).
    ///
    /// Two firms: q_l* is the root of d/dq_l log-product in the feasible interval (closed form
    /// bounds from B and y_lo, y_hi); reachable iff q_h0 ≤ top and q_l0 ≤ q_l* (Proposition 4:
    /// the low firm cannot degrade). More firms: damped Newton on Σ log gains with exact gradients, started
    /// from q0 scaled up to `top` (revenue is homogeneous of degree 1 in qualities, so every
    /// gain is positive there); reachable iff q* ≥ q0 for every firm. If no feasible point with
    /// all gains positive is found, the start (top firm moved to `top`) is returned.
    public static func nashBargaining(start: [Double], top: Double) -> Bargaining {
        let n = start.count
        if n == 0 { return Bargaining(qualities: [], revenues: [], reachable: true) }
        if n == 1 {
            return Bargaining(qualities: [top], revenues: revenues(qualities: [top]), reachable: top >= start[0])
        }
        if n == 2 {
            let order = rankOrder(start)
            let (l, h) = (order[0], order[1])
            let d = duopolyBargaining(low: start[l], high: start[h], top: top)
            var q = [0.0, 0.0]
            q[l] = d.low; q[h] = top
            return Bargaining(qualities: q, revenues: revenues(qualities: q), reachable: d.reachable)
        }
        return numericBargaining(start: start, top: top)
    }

    /// The duopoly solution in detail: q_l*, the feasible interval of q_l (nil if empty) and
    /// reachability.
    public struct DuopolyBargaining: Sendable, Equatable {
        public let low: Double
        public let feasible: ClosedRange<Double>?
        public let reachable: Bool
    }

    public static func duopolyBargaining(low q0l: Double, high q0h: Double, top: Double) -> DuopolyBargaining {
        let r0 = revenues(qualities: [q0l, q0h])
        guard top > 0 else {
            return DuopolyBargaining(low: 0, feasible: nil, reachable: false)
        }
        // Per unit of top: U_l = top·g(ρ), U_h = top·f(ρ), ρ = q_l/top.
        let g0 = r0[0] / top, f0 = r0[1] / top
        // f(ρ) ≥ f0 ⇔ ρ ≤ hiH (f decreasing from 1/4 to 0).
        var hiH = 1.0
        var empty = false
        if f0 > 0.25 { empty = true } else if f0 > 0 { hiH = ratioCap(a: q0l / q0h, b: top / q0h) }
        // g(ρ) ≥ g0 ⇔ ρ in [loL, hiL].
        var (loL, hiL) = (0.0, 1.0)
        if g0 > 0 {
            if let roots = lowRatioRoots(a: q0l / q0h, b: top / q0h) { (loL, hiL) = roots } else { empty = true }
        }
        let lo = loL, hi = min(hiH, hiL)
        if empty || lo > hi {
            return DuopolyBargaining(low: q0l, feasible: nil, reachable: false)
        }
        // d/dρ log[(g − g0)(f − f0)] ∝ F(ρ) = g'(f − f0) + f'(g − g0): ≥ 0 at lo, ≤ 0 at hi.
        func F(_ r: Double) -> Double {
            let c = (4 - r) * (4 - r) * (4 - r)
            let dg = (4 - 7 * r) / c, df = -4 * (2 + r) / c
            return dg * (highRevenuePerQuality(r) - f0) + df * (lowRevenuePerQuality(r) - g0)
        }
        var (a, b) = (lo, hi)
        for _ in 0..<200 {
            let mid = a + (b - a) / 2
            if mid <= a || mid >= b { break }
            if F(mid) > 0 { a = mid } else { b = mid }
        }
        let rho = a + (b - a) / 2
        let ql = top * rho
        // Qualities only rise: reachable iff neither firm must degrade. A start ratio above ρ*
        // alone does not block it (the high firm moves first and lowers the ratio; golden
        // nbs_duopoly-05: ρ0 = 0.5 > ρ* ≈ 0.442 is reachable).
        let reachable = top >= q0h && q0l <= ql
        return DuopolyBargaining(low: ql, feasible: (top * lo)...(top * hi), reachable: reachable)
    }

    /// Newton's method on Σ_j log(R_j − R_j(q0)) over the N − 1 qualities below the top.
    /// The general N-firm solver (used for N ≥ 3; exposed to check it against the duopoly closed form).
    public static func numericBargaining(start: [Double], top: Double) -> Bargaining {
        let n = start.count
        let order = rankOrder(start)
        let r0Input = revenues(qualities: start)
        let r0 = order.map { r0Input[$0] }  // rank order
        let m = n - 1                      // free variables: ranks 0..<m
        let q0 = order.map { start[$0] }

        func inside(_ x: [Double]) -> Bool {
            guard x[0] > 0, x[m - 1] < top else { return false }
            for k in 1..<m where !(x[k] > x[k - 1]) { return false }
            return true
        }
        /// Log-objective, or nil outside the set where every gain is positive.
        func objective(_ x: [Double]) -> Double? {
            guard inside(x) else { return nil }
            let s = solveSorted(x + [top], base: 0.0)
            var phi = 0.0
            for j in 0..<n {
                let gain = s.prices[j] * s.demands[j] - r0[j]
                guard gain > 0 else { return nil }
                phi += log(gain)
            }
            return phi
        }
        /// Exact gradient (one dual pass per variable).
        func gradient(_ x: [Double]) -> [Double] {
            let s = solveSorted(x + [top], base: 0.0)
            let gains = (0..<n).map { s.prices[$0] * s.demands[$0] - r0[$0] }
            var grad = [Double](repeating: 0, count: m)
            var dq = (x + [top]).map { Dual($0) }
            for k in 0..<m {
                dq[k].d = 1
                let t = solveSorted(dq, base: Dual(0))
                dq[k].d = 0
                var sum = 0.0
                for j in 0..<n { sum += (t.prices[j] * t.demands[j]).d / gains[j] }
                grad[k] = sum
            }
            return grad
        }

        // Start: q0 scaled to the top quality, blended towards an even spread if that has a zero gain.
        let scale = q0[n - 1] > 0 ? top / q0[n - 1] : 1
        var x: [Double]? = nil
        for eps in [0.0, 1e-6, 1e-3, 1e-2, 0.1, 0.3, 0.6, 1.0] {
            let cand = (0..<m).map { k in (1 - eps) * scale * q0[k] + eps * top * Double(k + 1) / Double(n) }
            if objective(cand) != nil { x = cand; break }
        }
        guard var x else {
            var q = start
            q[order[n - 1]] = top
            return Bargaining(qualities: q, revenues: revenues(qualities: q),
                              reachable: zip(q, start).allSatisfy { $0 >= $1 })
        }

        var phi = objective(x)!
        if m > newtonLimit {
            x = quasiNewton(x, phi: phi, objective: objective, gradient: gradient, top: top)
        } else {
        for _ in 0..<200 {
            let g = gradient(x)
            // Hessian by central differences of the exact gradient, steps well inside the gaps.
            var hess = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
            for k in 0..<m {
                let left = x[k] - (k == 0 ? 0 : x[k - 1])
                let right = (k == m - 1 ? top : x[k + 1]) - x[k]
                let h = 1e-6 * min(left, right)
                var xp = x, xm = x
                xp[k] += h; xm[k] -= h
                let gp = gradient(xp), gm = gradient(xm)
                for i in 0..<m { hess[i][k] = (gp[i] - gm[i]) / (2 * h) }
            }
            for i in 0..<m { for k in 0..<i { let a = (hess[i][k] + hess[k][i]) / 2; hess[i][k] = a; hess[k][i] = a } }
            // Solve (−H + λI) Δ = g, λ raised until positive definite.
            var step: [Double]? = nil
            var lambda = 0.0
            let diagScale = (0..<m).map { abs(hess[$0][$0]) }.max() ?? 1
            for _ in 0..<60 {
                var a = hess.map { $0.map { -$0 } }
                for i in 0..<m { a[i][i] += lambda }
                if let s = choleskySolve(a, g) { step = s; break }
                lambda = lambda == 0 ? 1e-10 * max(diagScale, 1e-300) : lambda * 10
            }
            guard let delta = step else { break }
            var t = 1.0
            var accepted = false
            while t > 1e-14 {
                let xn = (0..<m).map { x[$0] + t * delta[$0] }
                if let pn = objective(xn), pn >= phi - 1e-13 * max(1, abs(phi)) {
                    let moved = (0..<m).map { abs(xn[$0] - x[$0]) }.max()!
                    x = xn; phi = pn; accepted = true
                    if moved <= 1e-15 * top { t = 0 }
                    break
                }
                t /= 2
            }
            if !accepted || t == 0 { break }
            let moved = (0..<m).map { abs(t * delta[$0]) }.max()!
            if moved <= 4e-16 * top { break }
        }
        }

        var q = [Double](repeating: 0, count: n)
        for k in 0..<m { q[order[k]] = x[k] }
        q[order[n - 1]] = top
        return Bargaining(qualities: q, revenues: revenues(qualities: q),
                          reachable: zip(q, start).allSatisfy { $0 >= $1 })
    }

    /// Above this many free qualities the Hessian (2m exact gradients) is too dear: BFGS instead.
    static let newtonLimit = 16

    /// BFGS ascent on the log-objective with exact gradients and backtracking (Armijo).
    static func quasiNewton(_ start: [Double], phi start0: Double, objective: ([Double]) -> Double?,
                            gradient: ([Double]) -> [Double], top: Double) -> [Double] {
        let m = start.count
        var x = start, phi = start0
        var g = gradient(x)
        var hinv = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        let gmax = g.map(abs).max() ?? 1
        let initial = gmax > 0 ? 1e-3 * top / gmax : 1
        for i in 0..<m { hinv[i][i] = initial }
        var first = true
        for _ in 0..<2000 {
            var d = [Double](repeating: 0, count: m)
            for i in 0..<m { var s = 0.0; for k in 0..<m { s += hinv[i][k] * g[k] }; d[i] = s }
            var slope = 0.0
            for i in 0..<m { slope += g[i] * d[i] }
            if !(slope > 0) { for i in 0..<m { d[i] = initial * g[i] }; slope = initial * g.reduce(0) { $0 + $1 * $1 } }
            var t = 1.0
            var xn: [Double]? = nil
            var pn = phi
            while t > 1e-16 {
                let cand = (0..<m).map { x[$0] + t * d[$0] }
                if let p = objective(cand), p >= phi + 1e-4 * t * slope || (t * d.map(abs).max()! < 1e-12 * top && p >= phi - 1e-13 * max(1, abs(phi))) {
                    xn = cand; pn = p; break
                }
                t /= 2
            }
            guard let xNew = xn else { break }
            let gNew = gradient(xNew)
            let s = (0..<m).map { xNew[$0] - x[$0] }
            let y = (0..<m).map { g[$0] - gNew[$0] }  // gradient change of −φ
            x = xNew; phi = pn; g = gNew
            if s.map(abs).max()! <= 1e-14 * top { break }
            let sy = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
            guard sy > 0 else { continue }
            if first {
                let yy = y.reduce(0) { $0 + $1 * $1 }
                for i in 0..<m { for k in 0..<m { hinv[i][k] = i == k ? sy / yy : 0 } }
                first = false
            }
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
            let rho = 1 / sy
            var hy = [Double](repeating: 0, count: m)
            for i in 0..<m { var a = 0.0; for k in 0..<m { a += hinv[i][k] * y[k] }; hy[i] = a }
            let yhy = zip(y, hy).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<m {
                for k in 0..<m {
                    hinv[i][k] += -rho * (hy[i] * s[k] + s[i] * hy[k]) + (rho * rho * yhy + rho) * s[i] * s[k]
                }
            }
        }
        return x
    }

    /// Solves A y = b for symmetric positive definite A, or nil if A is not.
    static func choleskySolve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        var y = b
        for i in 0..<n { var s = y[i]; for k in 0..<i { s -= l[i][k] * y[k] }; y[i] = s / l[i][i] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]; for k in (i + 1)..<n { s -= l[k][i] * y[k] }; y[i] = s / l[i][i]
        }
        return y
    }
}
