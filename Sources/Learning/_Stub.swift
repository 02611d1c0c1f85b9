// TEMPORARY stub matching the agreed API; replaced by the real core at merge.
public enum Activation: String, Sendable, CaseIterable { case tanh, relu }
public enum LeNet5 {
    public static let parameterCount = 61_706
    public static let imageSize = 784
    public static let classCount = 10
    public static func initialParameters(seed: UInt64) -> [Float] { [Float](repeating: 0.01, count: parameterCount) }
}
public final class LeNet5Network {
    public init(activation: Activation, maxBatch: Int) {}
    public func lossAndGradient(parameters: UnsafePointer<Float>, images: UnsafePointer<Float>, labels: UnsafePointer<UInt8>, count: Int, gradient: UnsafeMutablePointer<Float>) -> Float { for i in 0..<LeNet5.parameterCount { gradient[i] = parameters[i] * 0.1 }; return 1 }
    public func correctCount(parameters: UnsafePointer<Float>, images: UnsafePointer<Float>, labels: UnsafePointer<UInt8>, count: Int, stopAbove: Int? = nil) -> Int { Int(abs(parameters[0]) * 1000) % count }
}
public enum SGD { public static func step(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, learningRate: Float, count: Int) { for i in 0..<count { parameters[i] -= learningRate * gradient[i] } } }
public func normalise(pixels: [UInt8]) -> [Float] { pixels.map { (Float($0) / 255 - 0.1307) / 0.3081 } }
public enum Learning { public static func useSingleBLASThread() {} }
