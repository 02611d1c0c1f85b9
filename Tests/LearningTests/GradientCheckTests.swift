import Learning
import Random
import Testing

/// Central finite differences of the mean loss against the analytic gradient, on ~200
/// parameters spread over every weight and bias tensor.
///
/// Max-pooling makes the loss only piecewise smooth: a difference interval that straddles
/// a change of some pooling window's winner measures a chord, not the derivative. (The
/// conv weights feed hundreds of windows: at ε = 1e-3 about one window in the network
/// switches for a typical conv1 weight, which moves the difference by a few per cent.)
/// So convolution parameters use a 5× smaller ε (the loss is reduced in Double, so the
/// difference stays above rounding noise, ~1e-5 absolute here), and each sample takes
/// central differences at ε and ε/2: if the two disagree the interval holds a kink and the sample is set aside
/// (counted; only a few are allowed); otherwise the analytic gradient must match the ε/2
/// difference within the tolerance (2 % relative, floor 1e-3). Dense parameters lie after
/// every pooling, so for tanh their loss is smooth.
@Suite struct GradientCheckTests {
    struct Outcome {
        var checked = 0
        var kinked = 0
        var failures: [String] = []
        var maxRelativeError = 0.0
        var perTensorMax: [String: Double] = [:]
    }

    /// relative error = |a − b| / max(|a|, |b|, floor).
    func relative(_ a: Double, _ b: Double, floor: Double) -> Double {
        abs(a - b) / max(abs(a), abs(b), floor)
    }

    func check(_ activation: Activation, denseEps: Float, convEps: Float, tolerance: Double, floor: Double,
               seed: UInt64) -> Outcome {
        let batch = 1
        let images = gaussians(batch * LeNet5.imageSize, seed: seed)
        let labels = randomLabels(batch, seed: seed &+ 9)
        var p = LeNet5.initialParameters(seed: seed &+ 17)
        let net = LeNet5Network(activation: activation, maxBatch: batch)
        var g = [Float]()
        _ = net.lossAndGradient(parameters: p, images: images, labels: labels, gradient: &g)

        func difference(_ i: Int, _ h: Float) -> Double {
            let saved = p[i]
            p[i] = saved + h
            let up = net.meanLoss(parameters: p, images: images, labels: labels)
            p[i] = saved - h
            let down = net.meanLoss(parameters: p, images: images, labels: labels)
            p[i] = saved
            return (up - down) / Double(2 * h)
        }

        var rng = SplitMix64(seed: seed &+ 23)
        var out = Outcome()
        for t in LeNet5.tensors {
            let picks = t.count <= 22 ? Array(t.range)
                : (0..<22).map { _ in t.offset + Int(rng.next() % UInt64(t.count)) }
            let eps = t.name.hasPrefix("conv") ? convEps : denseEps
            for i in picks {
                out.checked += 1
                let coarse = difference(i, eps), fine = difference(i, eps / 2)
                if relative(coarse, fine, floor: floor) > tolerance { out.kinked += 1; continue }
                let rel = relative(fine, Double(g[i]), floor: floor)
                out.maxRelativeError = max(out.maxRelativeError, rel)
                out.perTensorMax[t.name] = max(out.perTensorMax[t.name] ?? 0, rel)
                if rel > tolerance { out.failures.append("\(t.name)[\(i - t.offset)] fd \(fine) analytic \(g[i])") }
            }
        }
        print("\(activation) FD check: \(out.checked) parameters, \(out.kinked) set aside (kink),",
              "max relative error \(out.maxRelativeError);",
              out.perTensorMax.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        return out
    }

    @Test(arguments: Activation.allCases)
    func gradientMatchesFiniteDifferences(_ activation: Activation) {
        let o = check(activation, denseEps: 2e-3, convEps: 4e-4, tolerance: 2e-2, floor: 1e-3, seed: activation == .tanh ? 1 : 2)
        #expect(o.checked >= 180)
        #expect(o.kinked <= o.checked / 10, "\(o.kinked) of \(o.checked) samples straddle a kink")
        // A kink inside both intervals escapes the ε-vs-ε/2 filter: allow 2 % of samples.
        #expect(o.failures.count <= o.checked / 50, "\(o.failures)")
        if activation == .tanh {  // no kinks after the last pooling: dense layers must all pass
            #expect(o.failures.allSatisfy { $0.hasPrefix("conv") }, "\(o.failures)")
        }
        // Every tensor was actually compared somewhere.
        #expect(o.perTensorMax.count == LeNet5.tensors.count)
    }

    /// A batch split into workspace-sized chunks gives the same gradient as one pass.
    @Test func chunkedBatchMatchesSinglePass() {
        let batch = 8
        let images = gaussians(batch * LeNet5.imageSize, seed: 4)
        let labels = randomLabels(batch, seed: 5)
        let p = LeNet5.initialParameters(seed: 6)
        for act in Activation.allCases {
            var whole = [Float](), chunked = [Float]()
            let l1 = LeNet5Network(activation: act, maxBatch: batch, chunk: batch)
                .lossAndGradient(parameters: p, images: images, labels: labels, gradient: &whole)
            let small = LeNet5Network(activation: act, maxBatch: batch, chunk: 3)
            #expect(small.workspaceBatch == 3)
            let l2 = small.lossAndGradient(parameters: p, images: images, labels: labels, gradient: &chunked)
            #expect(abs(l1 - l2) < 1e-5)
            let scale = whole.map(abs).max()!
            let diff = zip(whole, chunked).map { abs($0 - $1) }.max()!
            #expect(diff < 1e-5 * scale, "\(act): max diff \(diff) of \(scale)")
            // Repeating the call gives the identical result (workspace fully rewritten).
            var again = [Float]()
            _ = small.lossAndGradient(parameters: p, images: images, labels: labels, gradient: &again)
            #expect(again == chunked)
        }
    }
}
