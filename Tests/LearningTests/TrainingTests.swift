import Learning
import Testing

@Suite struct TrainingTests {
    /// SGD on a learnable synthetic problem (class prototype + equal-scale noise) must cut the
    /// loss and classify held-out samples well. Fails if the gradient points the wrong way.
    @Test(arguments: Activation.allCases)
    func sgdLearnsSyntheticDigits(_ activation: Activation) {
        let train = syntheticDigits(320, seed: 100)
        let test = syntheticDigits(200, seed: 200)
        var p = LeNet5.initialParameters(seed: 9)
        let net = LeNet5Network(activation: activation, maxBatch: 200)
        let before = net.loss(parameters: p, images: test.images, labels: test.labels)
        let batch = 16
        var g = [Float](repeating: 0, count: LeNet5.parameterCount)
        for step in 0..<120 {
            let start = (step * batch) % 320
            let x = Array(train.images[(start * 784)..<((start + batch) * 784)])
            let y = Array(train.labels[start..<(start + batch)])
            _ = net.lossAndGradient(parameters: p, images: x, labels: y, gradient: &g)
            SGD.step(parameters: &p, gradient: g, learningRate: 0.05)
        }
        let after = net.loss(parameters: p, images: test.images, labels: test.labels)
        let correct = net.correctCount(parameters: p, images: test.images, labels: test.labels)
        print("\(activation): held-out loss \(before) → \(after), \(correct)/200 correct")
        #expect(before > 2)
        #expect(after < 0.3 * before)
        #expect(correct >= 180)
    }
}
