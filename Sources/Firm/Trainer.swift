import Foundation
import Learning
import Random
import Runtime

/// A firm's learning state and the paper's per-round training rules.
///
/// `parameters` are the training iterate θ; the *deployed* model is the best parameters
/// seen so far (a firm never deploys a worse model), and its accuracy on the target set
/// is the firm's quality.
public final class Trainer {
    public let data: FirmData
    public let batchSize: Int
    public let learningRate: Float
    public let maxStepRetries: Int
    public let seed: UInt64
    public let firmIndex: Int

    public private(set) var parameters: [Float]
    public private(set) var bestParameters: [Float]
    /// Correct target-set predictions of the deployed (best) model.
    public private(set) var bestCorrect = 0
    /// Correct target-set predictions of the current iterate θ.
    public private(set) var rawCorrect = 0
    /// Target-set evaluations so far (full or stopped early).
    public private(set) var evaluations = 0
    /// Whether `bestCorrect` has been measured yet.
    private var deployed = false

    private let network: LeNet5Network
    private var gradient: [Float]
    private var helperSum: [Float]
    private var candidate: [Float]
    private var batchImages: [Float]
    private var batchLabels: [UInt8]
    /// Size of the batch in the buffers (the last of a pass may be short).
    private var currentBatch = 0

    public init(data: FirmData, activation: Activation, batchSize: Int, learningRate: Double,
                maxStepRetries: Int, seed: UInt64, firmIndex: Int) {
        self.data = data
        self.batchSize = batchSize
        self.learningRate = Float(learningRate)
        self.maxStepRetries = maxStepRetries
        self.seed = seed
        self.firmIndex = firmIndex
        network = LeNet5Network(activation: activation, maxBatch: max(batchSize, 1000))
        var rng = SplitMix64(seed: seed, stream: Stream.initialisation(firmIndex))
        parameters = LeNet5.initialParameters(seed: rng.next())
        bestParameters = parameters
        gradient = [Float](repeating: 0, count: LeNet5.parameterCount)
        helperSum = gradient
        candidate = gradient
        batchImages = [Float](repeating: 0, count: batchSize * LeNet5.imageSize)
        batchLabels = [UInt8](repeating: 0, count: batchSize)
    }

    /// Steps in one pass over the shard: ceil(shard / batch); the last batch may be short
    /// (1000 images at batch 32: 31 batches of 32 and one of 8, as PyTorch's DataLoader).
    public var stepsPerPass: Int { (data.shardSize + batchSize - 1) / batchSize }
    public var quality: Double { Double(bestCorrect) / Double(data.targetSize) }
    public var rawQuality: Double { Double(rawCorrect) / Double(data.targetSize) }

    // MARK: evaluation

    /// Correct predictions of `params` on the target set; with `stopAbove`, may stop as
    /// soon as the count exceeds it (then the result is only known to be larger).
    func evaluate(_ params: [Float], stopAbove: Int? = nil) -> Int {
        evaluations += 1
        return params.withUnsafeBufferPointer { p in
            data.targetImages.withUnsafeBufferPointer { x in
                data.targetLabels.withUnsafeBufferPointer { y in
                    network.correctCount(parameters: p.baseAddress!, images: x.baseAddress!, labels: y.baseAddress!,
                                         count: data.targetSize, stopAbove: stopAbove)
                }
            }
        }
    }

    /// Measures the current iterate and deploys it if it is the best so far.
    public func measure() {
        rawCorrect = evaluate(parameters)
        if rawCorrect > bestCorrect || !deployed {
            deployed = true
            bestCorrect = rawCorrect
            bestParameters = parameters
        }
    }

    // MARK: batches

    /// Shard order for one pass; `purpose` keeps the firm's own passes and the passes it
    /// makes while helping each learner on independent streams.
    func order(round: Int, purpose: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed, stream: Stream.batches(firm: firmIndex, round: round, purpose: purpose))
        return Array(0..<data.shardSize).shuffled(using: &rng)
    }

    /// Gathers batch `step` (modulo the pass length) of `order` into the batch buffers;
    /// returns its size.
    @discardableResult
    private func loadBatch(_ order: [Int], step: Int) -> Int {
        let perImage = LeNet5.imageSize
        let start = (step % max(1, stepsPerPass)) * batchSize
        let size = min(batchSize, data.shardSize - start)
        data.shardImages.withUnsafeBufferPointer { src in
            batchImages.withUnsafeMutableBufferPointer { dst in
                for b in 0..<size {
                    let i = order[start + b]
                    (dst.baseAddress! + b * perImage).update(from: src.baseAddress! + i * perImage, count: perImage)
                }
            }
        }
        for b in 0..<size { batchLabels[b] = data.shardLabels[order[start + b]] }
        currentBatch = size
        return size
    }

    /// Gradient of the mean loss of the loaded batch at `params`, into `out`.
    @discardableResult
    private func batchGradient(_ params: [Float], into out: inout [Float]) -> Float {
        params.withUnsafeBufferPointer { p in
            batchImages.withUnsafeBufferPointer { x in
                batchLabels.withUnsafeBufferPointer { y in
                    out.withUnsafeMutableBufferPointer { g in
                        network.lossAndGradient(parameters: p.baseAddress!, images: x.baseAddress!, labels: y.baseAddress!,
                                                count: currentBatch, gradient: g.baseAddress!)
                    }
                }
            }
        }
    }

    // MARK: solo and helping

    /// Solo SGD on the own shard before collaboration starts, then one measurement.
    public func pretrain(epochs: Int) {
        for epoch in 0..<epochs {
            let o = order(round: -1 - epoch, purpose: 0)
            for s in 0..<stepsPerPass {
                loadBatch(o, step: s)
                batchGradient(parameters, into: &gradient)
                sgd(&parameters, gradient, scale: 1)
            }
        }
        measure()
    }

    /// As a helper: the loss and gradient of a learner's parameters on this firm's batch
    /// `step` of the pass it makes for that learner in `round`. Raw data stays here.
    /// Steps beyond one pass (a pilot's later epochs) use a fresh order for each pass.
    public func help(parameters learnerParameters: [Float], round: Int, learner: Int, step: Int) -> (loss: Float, gradient: [Float]) {
        let pass = UInt64(step / max(1, stepsPerPass))
        loadBatch(order(round: round, purpose: UInt64(1 + learner) | (pass << 16)), step: step)
        let loss = batchGradient(learnerParameters, into: &helperSum)
        return (loss, helperSum)
    }

    // MARK: collaborative phases

    /// Counters of one training phase, reported to the broker.
    public struct PhaseReport: Sendable, Equatable {
        public var stepsTried = 0
        public var stepsAccepted = 0
        public var trainSeconds = 0.0
        public var evalSeconds = 0.0
        public var waitSeconds = 0.0
    }

    /// One collaborative step's direction: the average of the own batch gradient and the
    /// helpers' gradients at the current parameters, left in `gradient`.
    private func collaborativeGradient(step: Int, order o: [Int], collaborators: Collaborators, report: inout PhaseReport,
                                       at params: [Float]? = nil) throws {
        let at = params ?? parameters
        var t = Runtime.now()
        try collaborators.requestGradients(step: step, parameters: at)
        loadBatch(o, step: step)
        batchGradient(at, into: &gradient)
        report.trainSeconds += Runtime.now() - t
        t = Runtime.now()
        for i in helperSum.indices { helperSum[i] = 0 }
        let helpers = try collaborators.awaitGradients(step: step, into: &helperSum)
        report.waitSeconds += Runtime.now() - t
        t = Runtime.now()
        let scale = 1 / Float(1 + helpers)
        for i in gradient.indices { gradient[i] = (gradient[i] + helperSum[i]) * scale }
        report.trainSeconds += Runtime.now() - t
    }

    /// The top firm's phase: one full pass of collaborative SGD steps, then a measurement.
    public func topPhase(round: Int, collaborators: Collaborators) throws -> PhaseReport {
        var report = PhaseReport()
        let o = order(round: round, purpose: 0)
        for s in 0..<stepsPerPass {
            try collaborativeGradient(step: s, order: o, collaborators: collaborators, report: &report)
            let t = Runtime.now()
            sgd(&parameters, gradient, scale: 1)
            report.trainSeconds += Runtime.now() - t
            report.stepsTried += 1
            report.stepsAccepted += 1
        }
        let t = Runtime.now()
        measure()
        report.evalSeconds += Runtime.now() - t
        return report
    }

    /// A pilot estimate of the best achievable quality: a fresh model trained for `epochs`
    /// passes of collaborative SGD over the union of all shards (helpers send gradients,
    /// data stays put), measured after every epoch; returns the best correct count. The
    /// firm's own parameters and deployed model are untouched.
    public func pilotPhase(epochs: Int, collaborators: Collaborators) throws -> (correct: Int, report: PhaseReport) {
        var report = PhaseReport()
        var rng = SplitMix64(seed: seed, stream: Stream.pilot(firmIndex))
        var pilot = LeNet5.initialParameters(seed: rng.next())
        var best = 0
        for epoch in 0..<epochs {
            let o = order(round: -1_000_000 - epoch, purpose: 0)
            for s in 0..<stepsPerPass {
                try collaborativeGradient(step: epoch * stepsPerPass + s, order: o, collaborators: collaborators,
                                          report: &report, at: pilot)
                sgd(&pilot, gradient, scale: 1)
                report.stepsTried += 1
                report.stepsAccepted += 1
            }
            let t = Runtime.now()
            best = max(best, evaluate(pilot))
            report.evalSeconds += Runtime.now() - t
        }
        return (best, report)
    }

    /// A capped firm's phase: collaborative steps while the deployed quality is below
    /// `cap`, each step checked *after* it is taken. A step that overshoots the cap is
    /// retried at half the size (a point between the old and the new parameters), up to
    /// `maxStepRetries` times; if every retry overshoots the phase ends where it is.
    /// Parameters whose quality exceeds the cap are never kept.
    public func cappedPhase(round: Int, cap: Double, collaborators: Collaborators) throws -> PhaseReport {
        var report = PhaseReport()
        // Quality is a count over the target set: the cap allows at most this many correct.
        let maxCorrect = Int((cap * Double(data.targetSize)).nextUp.rounded(.down))
        let o = order(round: round, purpose: 0)
        for s in 0..<stepsPerPass {
            if bestCorrect >= maxCorrect { break }
            try collaborativeGradient(step: s, order: o, collaborators: collaborators, report: &report)
            var fraction: Float = 1
            var accepted = false
            for _ in 0...maxStepRetries {
                var t = Runtime.now()
                for i in candidate.indices { candidate[i] = parameters[i] - fraction * learningRate * gradient[i] }
                report.trainSeconds += Runtime.now() - t
                t = Runtime.now()
                let correct = evaluate(candidate, stopAbove: maxCorrect)
                report.evalSeconds += Runtime.now() - t
                report.stepsTried += 1
                if correct <= maxCorrect {
                    swap(&parameters, &candidate)
                    rawCorrect = correct
                    if correct > bestCorrect {
                        bestCorrect = correct
                        bestParameters = parameters
                    }
                    report.stepsAccepted += 1
                    accepted = true
                    break
                }
                fraction *= 0.5
            }
            if !accepted { break }
        }
        return report
    }

    private func sgd(_ params: inout [Float], _ grad: [Float], scale: Float) {
        params.withUnsafeMutableBufferPointer { p in
            grad.withUnsafeBufferPointer { g in
                SGD.step(parameters: p.baseAddress!, gradient: g.baseAddress!, learningRate: learningRate * scale, count: p.count)
            }
        }
    }
}

/// Named random streams derived from the topology's seed.
enum Stream {
    static func initialisation(_ firm: Int) -> UInt64 { 0x1000_0000 &+ UInt64(firm) }
    static func pilot(_ firm: Int) -> UInt64 { 0x2000_0000 &+ UInt64(firm) }
    static func batches(firm: Int, round: Int, purpose: UInt64) -> UInt64 {
        (UInt64(firm) << 48) ^ (purpose << 32) ^ UInt64(UInt32(truncatingIfNeeded: round))
    }
}
