/// The nonlinearity after every convolution and every hidden dense layer.
public enum Activation: String, Sendable, CaseIterable {
    case tanh, relu
}

// MARK: - Fast tanh

/// Rational minimax approximation of tanh (the one Eigen, XLA and ONNX Runtime use):
/// tanh(x) ≈ x·P(x²)/Q(x²) on x clamped to ±7.9053, where the float result is 1 anyway.
/// Maximum absolute error against a Double tanh is 3.6e-7 (a test checks < 1e-6); it is
/// several times faster than `tanhf` and vectorises.
@usableFromInline
enum FastTanh {
    @usableFromInline static let clamp: Float = 7.90531110763549805
    @usableFromInline static let a1: Float = 4.89352455891786e-03
    @usableFromInline static let a3: Float = 6.37261928875436e-04
    @usableFromInline static let a5: Float = 1.48572235717979e-05
    @usableFromInline static let a7: Float = 5.12229709037114e-08
    @usableFromInline static let a9: Float = -8.60467152213735e-11
    @usableFromInline static let a11: Float = 2.00018790482477e-13
    @usableFromInline static let a13: Float = -2.76076847742355e-16
    @usableFromInline static let b0: Float = 4.89352518554385e-03
    @usableFromInline static let b2: Float = 2.26843463243900e-03
    @usableFromInline static let b4: Float = 1.18534705686654e-04
    @usableFromInline static let b6: Float = 1.19825839466702e-06

    @inline(__always) @usableFromInline
    static func scalar(_ x0: Float) -> Float {
        let x = Swift.min(Swift.max(x0, -clamp), clamp)
        let x2 = x * x
        var p = a13
        p = p * x2 + a11
        p = p * x2 + a9
        p = p * x2 + a7
        p = p * x2 + a5
        p = p * x2 + a3
        p = p * x2 + a1
        p = p * x
        var q = b6
        q = q * x2 + b4
        q = q * x2 + b2
        q = q * x2 + b0
        return p / q
    }

    typealias V = SIMD16<Float>

    @inline(__always)
    static func vector(_ x0: V) -> V {
        let lo = V(repeating: -clamp), hi = V(repeating: clamp)
        var x = x0
        x.replace(with: lo, where: x .< lo)
        x.replace(with: hi, where: x .> hi)
        let x2 = x * x
        var p = V(repeating: a13)
        p = p * x2 + a11
        p = p * x2 + a9
        p = p * x2 + a7
        p = p * x2 + a5
        p = p * x2 + a3
        p = p * x2 + a1
        p = p * x
        var q = V(repeating: b6)
        q = q * x2 + b4
        q = q * x2 + b2
        q = q * x2 + b0
        return p / q
    }
}

/// tanh with the fast approximation, for tests and callers outside the hot loops.
public func fastTanh(_ x: Float) -> Float { FastTanh.scalar(x) }

// MARK: - Kernels over contiguous buffers

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

extension Activation {
    /// x[i] ← act(x[i] + bias) for i in 0..<count.
    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int, bias: Float = 0) {
        var i = 0
        switch self {
        case .tanh:
            let b = SIMD16<Float>(repeating: bias)
            while i + 16 <= count {
                store16(FastTanh.vector(load16(x + i) + b), x + i)
                i += 16
            }
            while i < count { x[i] = FastTanh.scalar(x[i] + bias); i += 1 }
        case .relu:
            let b = SIMD16<Float>(repeating: bias)
            let zero = SIMD16<Float>(repeating: 0)
            while i + 16 <= count {
                var v = load16(x + i) + b
                v.replace(with: zero, where: v .< zero)
                store16(v, x + i)
                i += 16
            }
            while i < count { let v = x[i] + bias; x[i] = v > 0 ? v : 0; i += 1 }
        }
    }

    /// The derivative of the activation expressed through its output y.
    @inline(__always)
    func derivative(output y: Float) -> Float {
        switch self {
        case .tanh: return 1 - y * y
        case .relu: return y > 0 ? 1 : 0
        }
    }

    /// g[i] ← g[i]·act′ where act′ is computed from the stored outputs y (1 − y² for tanh,
    /// [y > 0] for relu).
    @inline(__always)
    func backward(gradient g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count: Int) {
        var i = 0
        switch self {
        case .tanh:
            let one = SIMD16<Float>(repeating: 1)
            while i + 16 <= count {
                let v = load16(y + i)
                store16(load16(g + i) * (one - v * v), g + i)
                i += 16
            }
            while i < count { g[i] *= 1 - y[i] * y[i]; i += 1 }
        case .relu:
            let zero = SIMD16<Float>(repeating: 0)
            while i + 16 <= count {
                var v = load16(g + i)
                v.replace(with: zero, where: load16(y + i) .<= zero)
                store16(v, g + i)
                i += 16
            }
            while i < count { if y[i] <= 0 { g[i] = 0 }; i += 1 }
        }
    }
}

extension Activation {
    /// Applies the activation in place with the same kernel the network uses.
    public func apply(to values: inout [Float]) {
        let n = values.count
        values.withUnsafeMutableBufferPointer { apply($0.baseAddress!, count: n) }
    }
}
