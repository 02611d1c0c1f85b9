import Random

/// LeNet-5 as in the paper's experiments (PyTorch layer for layer):
/// conv 6@5×5 pad 2 → act → maxpool 2 → conv 16@5×5 → act → maxpool 2 → flatten (c,h,w)
/// → fc 400→120 → act → fc 120→84 → act → fc 84→10, softmax cross-entropy.
///
/// Parameters are one flat [Float] in PyTorch `state_dict` order (see `tensors`);
/// gradients use the same layout.
public enum LeNet5 {
    public static let imageSize = 784
    public static let classCount = 10

    /// One parameter tensor inside the flat parameter vector.
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        /// Index of the first element in the flat vector.
        public let offset: Int
        /// Inputs feeding one output unit (in_channels·k·k or in_features): PyTorch's
        /// default initialisation draws weights and biases from U(±1/√fanIn).
        public let fanIn: Int
        public var count: Int { shape.reduce(1, *) }
        public var range: Range<Int> { offset..<(offset + count) }
    }

    /// The ten tensors in `state_dict` order.
    public static let tensors: [Tensor] = {
        let specs: [(String, [Int], Int)] = [
            ("conv1.weight", [6, 1, 5, 5], 25), ("conv1.bias", [6], 25),
            ("conv2.weight", [16, 6, 5, 5], 150), ("conv2.bias", [16], 150),
            ("fc1.weight", [120, 400], 400), ("fc1.bias", [120], 400),
            ("fc2.weight", [84, 120], 120), ("fc2.bias", [84], 120),
            ("fc3.weight", [10, 84], 84), ("fc3.bias", [10], 84),
        ]
        var offset = 0
        return specs.map { name, shape, fanIn in
            let t = Tensor(name: name, shape: shape, offset: offset, fanIn: fanIn)
            offset += t.count
            return t
        }
    }()

    /// 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706.
    public static let parameterCount: Int = tensors.last!.range.upperBound

    /// PyTorch-default initialisation: every weight and bias of a layer uniform in
    /// ±1/√fanIn, drawn tensor by tensor in `state_dict` order from `SplitMix64(seed:)`.
    /// (The values are not PyTorch's — its generator differs — only the distribution is.)
    public static func initialParameters(seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        var p = [Float](repeating: 0, count: parameterCount)
        for t in tensors {
            let bound = 1 / Float(t.fanIn).squareRoot()
            for i in t.range { p[i] = (2 * rng.nextUnitFloat() - 1) * bound }
        }
        return p
    }

    // Offsets of each tensor, for the executor.
    static let conv1W = tensors[0].offset, conv1B = tensors[1].offset
    static let conv2W = tensors[2].offset, conv2B = tensors[3].offset
    static let fc1W = tensors[4].offset, fc1B = tensors[5].offset
    static let fc2W = tensors[6].offset, fc2B = tensors[7].offset
    static let fc3W = tensors[8].offset, fc3B = tensors[9].offset
}

/// Normalises raw MNIST pixels as torchvision's usual transform does:
/// (x/255 − 0.1307)/0.3081. Call once per data set, not per step.
public func normalise(pixels: [UInt8]) -> [Float] {
    pixels.map { (Float($0) / 255 - 0.1307) / 0.3081 }
}

/// Plain stochastic gradient descent.
public enum SGD {
    /// θ ← θ − learningRate·g over `count` floats.
    public static func step(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                            learningRate: Float, count: Int) {
        BLAS.saxpy(count: count, alpha: -learningRate, x: gradient, y: parameters)
    }

    public static func step(parameters: inout [Float], gradient: [Float], learningRate: Float) {
        precondition(parameters.count == gradient.count)
        let n = parameters.count
        parameters.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                step(parameters: p.baseAddress!, gradient: g.baseAddress!, learningRate: learningRate, count: n)
            }
        }
    }
}
