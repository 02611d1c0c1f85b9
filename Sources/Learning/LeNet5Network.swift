/// A reusable LeNet-5 executor with all workspace preallocated. Not thread-safe; use one
/// per thread.
///
/// Layouts inside a chunk of B images: convolution activations are channel-major
/// ([C, B, H, W]) so each convolution is a single sgemm over the whole chunk; dense
/// activations are row-major [B × features]. The second pooling writes the dense input
/// directly in PyTorch's flatten order (c, h, w).
///
/// Workspace is sized for `min(maxBatch, chunk)` images (`workspaceBatch`). Batches larger
/// than that are processed in chunks whose gradients are accumulated (sgemm with β = 1),
/// so the result is the same as one pass over the whole batch (up to float summation
/// order). Small chunks are deliberate: with 4 images the whole working set (~0.7 MB) stays
/// in L2 and OpenBLAS takes its unpacked small-matrix path; measured on the development
/// machine, whole-batch passes of 16, 32 or 128 images were 1.3–2.5× slower for evaluation
/// (see docs/benchmark.md). No call allocates memory after `init`.
public final class LeNet5Network {
    public let activation: Activation
    public let maxBatch: Int
    /// Images per internal pass: the workspace capacity.
    public let workspaceBatch: Int

    /// Default upper bound on `workspaceBatch`, chosen by benchmark (`oligopoly bench --chunk`).
    public static let defaultChunk = 4

    // Layers.
    let conv1 = Convolution(geometry: ConvGeometry(channels: 1, height: 28, width: 28, kernel: 5, pad: 2), outChannels: 6)
    let pool1 = MaxPool2x2(channels: 6, height: 28, width: 28)
    let conv2 = Convolution(geometry: ConvGeometry(channels: 6, height: 14, width: 14, kernel: 5, pad: 0), outChannels: 16)
    let pool2 = MaxPool2x2(channels: 16, height: 10, width: 10)
    let fc1 = Dense(inputs: 400, outputs: 120)
    let fc2 = Dense(inputs: 120, outputs: 84)
    let fc3 = Dense(inputs: 84, outputs: 10)

    // Workspace, per image: the size in floats is in the comment.
    let padded: UnsafeMutablePointer<Float> // 32·32   zero-bordered input for conv1
    let col1: UnsafeMutablePointer<Float>   // 25·784  conv1 column matrix
    let a1: UnsafeMutablePointer<Float>     // 6·784   raw conv1 output; in backward dz1
    let codes1: UnsafeMutablePointer<UInt8> // 6·196
    let p1: UnsafeMutablePointer<Float>     // 6·196   act(pool1 + bias): conv2 input
    let dp1: UnsafeMutablePointer<Float>    // 6·196   gradient with respect to p1
    let col2: UnsafeMutablePointer<Float>   // 150·100 conv2 column matrix; in backward dcol2
    let a2: UnsafeMutablePointer<Float>     // 16·100  raw conv2 output; in backward dz2
    let codes2: UnsafeMutablePointer<UInt8> // 16·25
    let x3: UnsafeMutablePointer<Float>     // 400     act(pool2 + bias), flattened: fc1 input
    let h1: UnsafeMutablePointer<Float>     // 120
    let h2: UnsafeMutablePointer<Float>     // 84
    let logitBuffer: UnsafeMutablePointer<Float> // 10
    let dLogits: UnsafeMutablePointer<Float> // 10
    let dh2: UnsafeMutablePointer<Float>    // 84
    let dh1: UnsafeMutablePointer<Float>    // 120
    let dx3: UnsafeMutablePointer<Float>    // 400

    /// - Parameters:
    ///   - maxBatch: the largest `count` callers intend to pass (≥ 1). Larger counts are
    ///     still accepted; they are processed in chunks like any batch.
    ///   - chunk: upper bound on images per internal pass (default `defaultChunk`).
    public init(activation: Activation = .tanh, maxBatch: Int, chunk: Int = LeNet5Network.defaultChunk) {
        precondition(maxBatch >= 1 && chunk >= 1)
        self.activation = activation
        self.maxBatch = maxBatch
        let n = Swift.min(maxBatch, chunk)
        workspaceBatch = n
        func floats(_ perImage: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: perImage * n)
            p.initialize(repeating: 0, count: perImage * n)
            return p
        }
        func bytes(_ perImage: Int) -> UnsafeMutablePointer<UInt8> {
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: perImage * n)
            p.initialize(repeating: 0, count: perImage * n)
            return p
        }
        padded = floats(32 * 32); col1 = floats(25 * 784); a1 = floats(6 * 784); codes1 = bytes(6 * 196); p1 = floats(6 * 196)
        dp1 = floats(6 * 196)
        col2 = floats(150 * 100); a2 = floats(16 * 100); codes2 = bytes(16 * 25); x3 = floats(400)
        h1 = floats(120); h2 = floats(84); logitBuffer = floats(10); dLogits = floats(10)
        dh2 = floats(84); dh1 = floats(120); dx3 = floats(400)
    }

    deinit {
        for p in [padded, col1, a1, p1, dp1, col2, a2, x3, h1, h2, logitBuffer, dLogits, dh2, dh1, dx3] { p.deallocate() }
        codes1.deallocate(); codes2.deallocate()
    }

    /// Bytes of workspace held.
    public var workspaceBytes: Int {
        workspaceBatch * (4 * (32 * 32 + 25 * 784 + 6 * 784 + 2 * 6 * 196 + 150 * 100 + 16 * 100 + 400 * 2
                               + 120 * 2 + 84 * 2 + 10 * 2) + 6 * 196 + 16 * 25)
    }

    // MARK: Passes over one chunk (n ≤ workspaceBatch)

    /// Forward pass; leaves every activation in the workspace and the logits in `logitBuffer`.
    func forward(_ p: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
        let act = activation
        conv1.forward(batch: n, src: x, padded: padded, col: col1, weight: p + LeNet5.conv1W, out: a1)
        pool1.forward(batch: n, src: a1, bias: p + LeNet5.conv1B, dst: p1, channelStride: n * 196,
                      imageStride: 196, codes: codes1)
        act.apply(p1, count: n * 6 * 196)
        conv2.forward(batch: n, src: p1, padded: nil, col: col2, weight: p + LeNet5.conv2W, out: a2)
        pool2.forward(batch: n, src: a2, bias: p + LeNet5.conv2B, dst: x3, channelStride: 25,
                      imageStride: 400, codes: codes2)
        act.apply(x3, count: n * 400)
        fc1.forward(batch: n, x: x3, weight: p + LeNet5.fc1W, bias: p + LeNet5.fc1B, y: h1)
        act.apply(h1, count: n * 120)
        fc2.forward(batch: n, x: h1, weight: p + LeNet5.fc2W, bias: p + LeNet5.fc2B, y: h2)
        act.apply(h2, count: n * 84)
        fc3.forward(batch: n, x: h2, weight: p + LeNet5.fc3W, bias: p + LeNet5.fc3B, y: logitBuffer)
    }

    /// Backward pass from `dLogits` after `forward` on the same chunk; writes the gradient
    /// into `g`, or adds to it if `accumulate`. Consumes (overwrites) the workspace.
    func backward(_ p: UnsafePointer<Float>, _ n: Int, _ g: UnsafeMutablePointer<Float>, accumulate acc: Bool) {
        let act = activation
        fc3.backward(batch: n, x: h2, dy: dLogits, weight: p + LeNet5.fc3W,
                     dWeight: g + LeNet5.fc3W, dBias: g + LeNet5.fc3B, accumulate: acc, dx: dh2)
        act.backward(gradient: dh2, output: h2, count: n * 84)
        fc2.backward(batch: n, x: h1, dy: dh2, weight: p + LeNet5.fc2W,
                     dWeight: g + LeNet5.fc2W, dBias: g + LeNet5.fc2B, accumulate: acc, dx: dh1)
        act.backward(gradient: dh1, output: h1, count: n * 120)
        fc1.backward(batch: n, x: x3, dy: dh1, weight: p + LeNet5.fc1W,
                     dWeight: g + LeNet5.fc1W, dBias: g + LeNet5.fc1B, accumulate: acc, dx: dx3)
        pool2.backward(batch: n, dOut: dx3, pooled: x3, channelStride: 25, imageStride: 400,
                       codes: codes2, activation: act, dz: a2)
        conv2.backward(batch: n, dz: a2, col: col2, weight: p + LeNet5.conv2W,
                       dWeight: g + LeNet5.conv2W, dBias: g + LeNet5.conv2B, accumulate: acc, dSrc: dp1)
        pool1.backward(batch: n, dOut: dp1, pooled: p1, channelStride: n * 196, imageStride: 196,
                       codes: codes1, activation: act, dz: a1)
        conv1.backward(batch: n, dz: a1, col: col1, weight: p + LeNet5.conv1W,
                       dWeight: g + LeNet5.conv1W, dBias: g + LeNet5.conv1B, accumulate: acc, dSrc: nil)
    }

    // MARK: Public API

    /// Mean cross-entropy of the batch; writes d(mean loss)/dθ into `gradient`
    /// (`LeNet5.parameterCount` floats, overwritten).
    public func lossAndGradient(parameters: UnsafePointer<Float>, images: UnsafePointer<Float>,
                                labels: UnsafePointer<UInt8>, count: Int,
                                gradient: UnsafeMutablePointer<Float>) -> Float {
        precondition(count >= 1)
        let scale = 1 / Float(count)
        var total = 0.0
        var start = 0
        while start < count {
            let n = Swift.min(workspaceBatch, count - start)
            forward(parameters, images + start * LeNet5.imageSize, n)
            total += SoftmaxCrossEntropy.sum(logits: logitBuffer, labels: labels + start, batch: n,
                                             classes: LeNet5.classCount, dLogits: dLogits, scale: scale)
            backward(parameters, n, gradient, accumulate: start > 0)
            start += n
        }
        return Float(total / Double(count))
    }

    /// Mean cross-entropy of the batch (forward only).
    public func loss(parameters: UnsafePointer<Float>, images: UnsafePointer<Float>,
                     labels: UnsafePointer<UInt8>, count: Int) -> Float {
        Float(meanLoss(parameters: parameters, images: images, labels: labels, count: count))
    }

    /// The mean loss before rounding to Float (the per-image losses are reduced in Double
    /// from the Float logits). Finite-difference checks need the extra digits.
    public func meanLoss(parameters: UnsafePointer<Float>, images: UnsafePointer<Float>,
                         labels: UnsafePointer<UInt8>, count: Int) -> Double {
        precondition(count >= 1)
        var total = 0.0
        var start = 0
        while start < count {
            let n = Swift.min(workspaceBatch, count - start)
            forward(parameters, images + start * LeNet5.imageSize, n)
            total += SoftmaxCrossEntropy.sum(logits: logitBuffer, labels: labels + start, batch: n,
                                             classes: LeNet5.classCount)
            start += n
        }
        return total / Double(count)
    }

    /// Writes the logits of `count` images into `output` ([count × 10], row-major).
    public func logits(parameters: UnsafePointer<Float>, images: UnsafePointer<Float>, count: Int,
                       output: UnsafeMutablePointer<Float>) {
        var start = 0
        while start < count {
            let n = Swift.min(workspaceBatch, count - start)
            forward(parameters, images + start * LeNet5.imageSize, n)
            (output + start * LeNet5.classCount).update(from: logitBuffer, count: n * LeNet5.classCount)
            start += n
        }
    }

    /// Number of correctly classified images (argmax of the logits; the first maximum wins
    /// ties), processed in chunks of at most `workspaceBatch` ≤ `maxBatch` images.
    ///
    /// With `stopAbove: k`, evaluation stops after the first chunk at which the running count
    /// exceeds k; the result is then only guaranteed to be > k (it is a lower bound on the
    /// full count). If the full count is ≤ k, the result is exact.
    public func correctCount(parameters: UnsafePointer<Float>, images: UnsafePointer<Float>,
                             labels: UnsafePointer<UInt8>, count: Int, stopAbove: Int? = nil) -> Int {
        var correct = 0
        var start = 0
        while start < count {
            let n = Swift.min(workspaceBatch, count - start)
            forward(parameters, images + start * LeNet5.imageSize, n)
            correct += countArgmaxMatches(n, labels + start)
            start += n
            if let k = stopAbove, correct > k { return correct }
        }
        return correct
    }

    /// Whether more than `threshold` of the images are classified correctly. Stops as soon
    /// as the answer is certain either way (count already > threshold, or even all
    /// remaining images correct could not make it exceed the threshold).
    public func correctCountExceeds(_ threshold: Int, parameters: UnsafePointer<Float>,
                                    images: UnsafePointer<Float>, labels: UnsafePointer<UInt8>,
                                    count: Int) -> Bool {
        var correct = 0
        var start = 0
        while start < count {
            if correct > threshold { return true }
            if correct + (count - start) <= threshold { return false }
            let n = Swift.min(workspaceBatch, count - start)
            forward(parameters, images + start * LeNet5.imageSize, n)
            correct += countArgmaxMatches(n, labels + start)
            start += n
        }
        return correct > threshold
    }

    private func countArgmaxMatches(_ n: Int, _ labels: UnsafePointer<UInt8>) -> Int {
        var correct = 0
        for i in 0..<n {
            let z = logitBuffer + i * LeNet5.classCount
            var best = 0
            for j in 1..<LeNet5.classCount where z[j] > z[best] { best = j }
            if best == Int(labels[i]) { correct += 1 }
        }
        return correct
    }
}

// MARK: - Array conveniences

extension LeNet5Network {
    public func lossAndGradient(parameters: [Float], images: [Float], labels: [UInt8],
                                gradient: inout [Float]) -> Float {
        check(parameters, images, labels)
        if gradient.count != LeNet5.parameterCount {
            gradient = [Float](repeating: 0, count: LeNet5.parameterCount)
        }
        return parameters.withUnsafeBufferPointer { p in
            images.withUnsafeBufferPointer { x in
                labels.withUnsafeBufferPointer { y in
                    gradient.withUnsafeMutableBufferPointer { g in
                        lossAndGradient(parameters: p.baseAddress!, images: x.baseAddress!,
                                        labels: y.baseAddress!, count: y.count, gradient: g.baseAddress!)
                    }
                }
            }
        }
    }

    public func loss(parameters: [Float], images: [Float], labels: [UInt8]) -> Float {
        Float(meanLoss(parameters: parameters, images: images, labels: labels))
    }

    public func meanLoss(parameters: [Float], images: [Float], labels: [UInt8]) -> Double {
        check(parameters, images, labels)
        return parameters.withUnsafeBufferPointer { p in
            images.withUnsafeBufferPointer { x in
                labels.withUnsafeBufferPointer { y in
                    meanLoss(parameters: p.baseAddress!, images: x.baseAddress!, labels: y.baseAddress!, count: y.count)
                }
            }
        }
    }

    public func logits(parameters: [Float], images: [Float]) -> [Float] {
        precondition(parameters.count == LeNet5.parameterCount && images.count % LeNet5.imageSize == 0)
        let count = images.count / LeNet5.imageSize
        var out = [Float](repeating: 0, count: count * LeNet5.classCount)
        parameters.withUnsafeBufferPointer { p in
            images.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { o in
                    logits(parameters: p.baseAddress!, images: x.baseAddress!, count: count, output: o.baseAddress!)
                }
            }
        }
        return out
    }

    public func correctCount(parameters: [Float], images: [Float], labels: [UInt8], stopAbove: Int? = nil) -> Int {
        check(parameters, images, labels)
        return parameters.withUnsafeBufferPointer { p in
            images.withUnsafeBufferPointer { x in
                labels.withUnsafeBufferPointer { y in
                    correctCount(parameters: p.baseAddress!, images: x.baseAddress!, labels: y.baseAddress!,
                                 count: y.count, stopAbove: stopAbove)
                }
            }
        }
    }

    private func check(_ parameters: [Float], _ images: [Float], _ labels: [UInt8]) {
        precondition(parameters.count == LeNet5.parameterCount, "parameters must hold \(LeNet5.parameterCount) floats")
        precondition(images.count == labels.count * LeNet5.imageSize, "images must hold 784 floats per label")
        precondition(!labels.isEmpty, "empty batch")
    }
}
