import Foundation
import Learning
import Testing

@Suite struct SoftmaxCrossEntropyTests {
    /// Direct Double computation −log(e^{z_y} / Σ e^{z_j}) for moderate logits.
    func direct(_ z: [Float], _ label: Int) -> Double {
        let s = z.reduce(0.0) { $0 + exp(Double($1)) }
        return -log(exp(Double(z[label])) / s)
    }

    @Test func matchesDirectComputation() {
        let logits: [Float] = [0.1, -1.2, 3.3, 0, 0.5, 2.2, -0.7, 1.1, 0.9, -2.5,
                               1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                               -3, 4, 0.25, -0.5, 2, 1.5, -1, 0, 3.9, 0.1]
        let labels: [UInt8] = [2, 7, 0]
        var expected = 0.0
        for i in 0..<3 { expected += direct(Array(logits[i * 10..<(i + 1) * 10]), Int(labels[i])) }
        expected /= 3
        let got = SoftmaxCrossEntropy.mean(logits: logits, labels: labels, classes: 10)
        #expect(abs(Double(got) - expected) < 1e-6)
        // Uniform logits give log 10.
        #expect(abs(Double(SoftmaxCrossEntropy.mean(logits: [Float](repeating: 1, count: 10), labels: [3],
                                                    classes: 10)) - log(10)) < 1e-6)
    }

    @Test func gradientIsSoftmaxMinusOneHot() {
        let z: [Float] = [0.1, -1.2, 3.3, 0, 0.5, 2.2, -0.7, 1.1, 0.9, -2.5]
        var d = [Float](repeating: 0, count: 10)
        _ = z.withUnsafeBufferPointer { zp in
            [UInt8(4)].withUnsafeBufferPointer { y in
                d.withUnsafeMutableBufferPointer { dp in
                    SoftmaxCrossEntropy.sum(logits: zp.baseAddress!, labels: y.baseAddress!, batch: 1, classes: 10,
                                            dLogits: dp.baseAddress!, scale: 0.5)
                }
            }
        }
        let s = z.reduce(0.0) { $0 + exp(Double($1)) }
        for j in 0..<10 {
            let p = exp(Double(z[j])) / s
            #expect(abs(Double(d[j]) - 0.5 * (j == 4 ? p - 1 : p)) < 1e-7)
        }
    }

    @Test func finiteForExtremeLogits() {
        var z = [Float](repeating: -1e4, count: 10)
        z[3] = 1e4
        // Correct class hugely ahead: loss 0. Wrong class: loss 2e4.
        #expect(SoftmaxCrossEntropy.mean(logits: z, labels: [3], classes: 10) == 0)
        let wrong = SoftmaxCrossEntropy.mean(logits: z, labels: [5], classes: 10)
        #expect(wrong.isFinite && abs(wrong - 2e4) < 1)
        let big = [Float](repeating: 3e38, count: 10)
        #expect(SoftmaxCrossEntropy.mean(logits: big, labels: [0], classes: 10).isFinite)
    }

    @Test func networkLossAndGradientFiniteForExtremeLogits() {
        var p = LeNet5.initialParameters(seed: 3)
        let fc3b = LeNet5.tensors[9]
        for (k, i) in fc3b.range.enumerated() { p[i] = k % 2 == 0 ? 1e4 : -1e4 }
        let images = gaussians(4 * 784, seed: 5)
        let labels: [UInt8] = [0, 1, 2, 3]
        let net = LeNet5Network(activation: .tanh, maxBatch: 4)
        var g = [Float]()
        let loss = net.lossAndGradient(parameters: p, images: images, labels: labels, gradient: &g)
        #expect(loss.isFinite && loss > 1e4 - 100)  // labels 1 and 3 are 2e4 behind: mean ≈ 1e4
        #expect(g.allSatisfy { $0.isFinite })
    }

    @Test func fastTanhIsAccurate() {
        // A uniform grid over ±12 plus a geometric grid towards 0, through both the scalar
        // function and the vectorised kernel (whole SIMD blocks and a scalar tail).
        var xs = (0...480_001).map { Float(-12 + 24 * Double($0) / 480_001) }
        var t: Float = 1e-30
        while t < 1 { xs.append(t); xs.append(-t); t *= 1.01 }
        var vectorised = xs
        Activation.tanh.apply(to: &vectorised)
        var maxError = 0.0, maxDiff: Float = 0
        for (x, v) in zip(xs, vectorised) {
            maxError = max(maxError, abs(Double(fastTanh(x)) - tanh(Double(x))))
            maxDiff = max(maxDiff, abs(v - fastTanh(x)))
        }
        print("fast tanh: max |error| \(maxError) over \(xs.count) points")
        #expect(maxError < 1e-6, "max |fastTanh − tanh| = \(maxError)")
        #expect(maxDiff == 0)
        #expect(fastTanh(0) == 0 && fastTanh(100) <= 1 && fastTanh(-100) >= -1)
        var r: [Float] = [-1, 0, 2, -0.5, 3]
        Activation.relu.apply(to: &r)
        #expect(r == [0, 0, 2, 0, 3])
    }
}
