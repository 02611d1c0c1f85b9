import Learning
import Testing

@Suite struct InitialisationTests {
    @Test func parameterCountIsLeNet5() {
        #expect(LeNet5.parameterCount == 61_706)
        #expect(LeNet5.parameterCount == 156 + 2416 + 48120 + 10164 + 850)
        #expect(LeNet5.imageSize == 784)
        #expect(LeNet5.classCount == 10)
    }

    @Test func tensorsAreInStateDictOrder() {
        let names = LeNet5.tensors.map(\.name)
        #expect(names == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight",
                          "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
        var offset = 0
        for t in LeNet5.tensors {
            #expect(t.offset == offset)
            offset += t.count
        }
        #expect(offset == LeNet5.parameterCount)
        #expect(LeNet5.tensors.map(\.count) == [150, 6, 2400, 16, 48000, 120, 10080, 84, 840, 10])
    }

    @Test func boundsPerTensorAreOneOverSqrtFanIn() {
        let p = LeNet5.initialParameters(seed: 7)
        #expect(p.count == LeNet5.parameterCount)
        let fanIns = [25, 25, 150, 150, 400, 400, 120, 120, 84, 84]
        for (t, fanIn) in zip(LeNet5.tensors, fanIns) {
            #expect(t.fanIn == fanIn)
            let bound = 1 / Float(fanIn).squareRoot()
            let values = p[t.range]
            #expect(values.allSatisfy { abs($0) <= bound }, "\(t.name) exceeds ±\(bound)")
            // Uses the range: the extreme values are near the bound (bigger tensors nearer).
            let maxAbs = values.map(abs).max()!
            #expect(maxAbs > bound * (t.count >= 100 ? 0.95 : 0.5), "\(t.name) max |w| \(maxAbs) vs \(bound)")
            // Roughly centred.
            let mean = values.reduce(0, +) / Float(values.count)
            #expect(abs(mean) < bound * (t.count >= 100 ? 0.2 : 0.8), "\(t.name) mean \(mean)")
        }
    }

    @Test func deterministicFromSeed() {
        #expect(LeNet5.initialParameters(seed: 42) == LeNet5.initialParameters(seed: 42))
        let a = LeNet5.initialParameters(seed: 1), b = LeNet5.initialParameters(seed: 2)
        #expect(a != b)
        let same = zip(a, b).filter { $0 == $1 }.count
        #expect(same < 100)
    }

    @Test func normaliseMatchesTorchvisionTransform() {
        let x = normalise(pixels: [0, 255, 128])
        #expect(abs(x[0] - (-0.1307 / 0.3081)) < 1e-6)
        #expect(abs(x[1] - ((1 - 0.1307) / 0.3081)) < 1e-5)
        #expect(abs(x[2] - ((128.0 / 255 - 0.1307) / 0.3081)) < 1e-5)
    }

    @Test func sgdStepIsThetaMinusLearningRateTimesGradient() {
        var p: [Float] = [1, 2, 3]
        SGD.step(parameters: &p, gradient: [10, -10, 0.5], learningRate: 0.1)
        #expect(abs(p[0]) < 1e-6 && abs(p[1] - 3) < 1e-6 && abs(p[2] - 2.95) < 1e-6)
    }
}
