import Learning
import Testing

@Suite struct EvaluationTests {
    func argmax(_ z: ArraySlice<Float>) -> Int {
        var best = z.startIndex
        for j in z.indices where z[j] > z[best] { best = j }
        return best - z.startIndex
    }

    /// Labels equal to the argmax for every third image, wrong otherwise.
    func fixture() -> (p: [Float], images: [Float], labels: [UInt8], expected: Int, logits: [Float]) {
        let count = 50
        let p = LeNet5.initialParameters(seed: 11)
        let images = gaussians(count * 784, seed: 12)
        let logits = LeNet5Network(activation: .tanh, maxBatch: count, chunk: count).logits(parameters: p, images: images)
        var labels = [UInt8]()
        var expected = 0
        for i in 0..<count {
            let a = argmax(logits[(i * 10)..<(i * 10 + 10)])
            if i % 3 == 0 { labels.append(UInt8(a)); expected += 1 } else { labels.append(UInt8((a + 1) % 10)) }
        }
        return (p, images, labels, expected, logits)
    }

    @Test func logitsDoNotDependOnChunking() {
        let f = fixture()
        let chunked = LeNet5Network(activation: .tanh, maxBatch: 8, chunk: 3).logits(parameters: f.p, images: f.images)
        let diff = zip(chunked, f.logits).map { abs($0 - $1) }.max()!
        #expect(diff < 1e-5)
    }

    @Test func correctCountAgreesWithArgmax() {
        let f = fixture()
        #expect(f.expected == 17)
        for maxBatch in [1, 8, 50, 64] {
            let net = LeNet5Network(activation: .tanh, maxBatch: maxBatch, chunk: maxBatch)
            #expect(net.correctCount(parameters: f.p, images: f.images, labels: f.labels) == f.expected)
        }
    }

    @Test func earlyExitReturnsMoreThanK() {
        let f = fixture()
        let net = LeNet5Network(activation: .tanh, maxBatch: 8, chunk: 8)
        // Chunks of 8 hold 3 correct each (2 in some): the count passes 5 after two chunks.
        let early = net.correctCount(parameters: f.p, images: f.images, labels: f.labels, stopAbove: 5)
        #expect(early > 5 && early < f.expected)
        // Thresholds at or above the true count never stop early: the result is exact.
        #expect(net.correctCount(parameters: f.p, images: f.images, labels: f.labels, stopAbove: f.expected) == f.expected)
        #expect(net.correctCount(parameters: f.p, images: f.images, labels: f.labels, stopAbove: 1000) == f.expected)
        f.p.withUnsafeBufferPointer { p in
            f.images.withUnsafeBufferPointer { x in
                f.labels.withUnsafeBufferPointer { y in
                    for k in [0, 5, 16, 17, 18, 40, 49, 50] {
                        let exceeds = net.correctCountExceeds(k, parameters: p.baseAddress!, images: x.baseAddress!,
                                                              labels: y.baseAddress!, count: 50)
                        #expect(exceeds == (f.expected > k), "threshold \(k)")
                    }
                }
            }
        }
    }
}
