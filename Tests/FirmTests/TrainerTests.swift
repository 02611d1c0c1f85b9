import Dataset
import Firm
import Foundation
import Learning
import Testing
import Topology

/// The training rules of a firm, with helpers in the same process instead of sockets.
@Suite struct TrainerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let mnist = root.appendingPathComponent("../shared/data/mnist").standardizedFileURL

    static func topology() throws -> Topology {
        try Topology.parse(Data("""
            {"name": "unit", "seed": 5, "training": {"target_size": 1000, "learning_rate": 0.05},
             "firms": [{"id": "low", "shard_size": 160, "low_label_fraction": 0.8},
                       {"id": "high", "shard_size": 160, "low_label_fraction": 0.2, "pretrain_epochs": 3}]}
            """.utf8), file: "unit.json")
    }

    static func trainer(_ t: Topology, _ i: Int) throws -> Trainer {
        let data = try FirmData.load(topology: t, firmIndex: i, directory: mnist)
        return Trainer(data: data, activation: .tanh, batchSize: t.training.batchSize, learningRate: t.training.learningRate,
                       maxStepRetries: t.training.maxStepRetries, seed: t.seed, firmIndex: i)
    }

    /// Helpers answered in-process, exactly as a firm process would.
    final class LocalHelpers: Collaborators {
        let helpers: [Trainer]
        let learner: Int
        let round: Int
        var params: [Float] = []
        var requests = 0
        init(_ helpers: [Trainer], learner: Int, round: Int) { self.helpers = helpers; self.learner = learner; self.round = round }
        func requestGradients(step: Int, parameters: [Float]) throws { params = parameters; requests += 1 }
        func awaitGradients(step: Int, into sum: inout [Float]) throws -> Int {
            for h in helpers {
                let g = h.help(parameters: params, round: round, learner: learner, step: step).gradient
                for i in sum.indices { sum[i] += g[i] }
            }
            return helpers.count
        }
    }

    @Test func shardsAreDisjointAndSkewedAsTheTopologySays() throws {
        let t = try Self.topology()
        let low = try FirmData.load(topology: t, firmIndex: 0, directory: Self.mnist)
        let high = try FirmData.load(topology: t, firmIndex: 1, directory: Self.mnist)
        #expect(low.shardSize == 160 && high.shardSize == 160 && low.targetSize == 1000)
        #expect(low.shardLabels.filter { $0 <= 5 }.count == 128)
        #expect(high.shardLabels.filter { $0 <= 5 }.count == 32)
        // No image of one shard appears in the other.
        let imagesLow = Set(stride(from: 0, to: low.shardImages.count, by: 784).map { Array(low.shardImages[$0..<($0 + 784)]) })
        let shared = stride(from: 0, to: high.shardImages.count, by: 784).filter { imagesLow.contains(Array(high.shardImages[$0..<($0 + 784)])) }
        #expect(shared.count <= 1, "shards share \(shared.count) images")  // MNIST has a few exact duplicates at most
    }

    @Test func pretrainingRaisesQualityAndIsDeterministic() throws {
        let t = try Self.topology()
        let a = try Self.trainer(t, 1), b = try Self.trainer(t, 1), untrained = try Self.trainer(t, 0)
        a.pretrain(epochs: 10); b.pretrain(epochs: 10); untrained.pretrain(epochs: 0)
        #expect(a.parameters == b.parameters)
        #expect(a.quality > untrained.quality + 0.1, "\(a.quality) vs \(untrained.quality)")
    }

    @Test func topPhaseTakesOnePassOfCollaborativeStepsAndNeverDeploysWorse() throws {
        let t = try Self.topology()
        let high = try Self.trainer(t, 1), low = try Self.trainer(t, 0)
        high.pretrain(epochs: 3)
        var last = high.quality
        for round in 1...3 {
            let helpers = LocalHelpers([low], learner: 1, round: round)
            let r = try high.topPhase(round: round, collaborators: helpers)
            #expect(r.stepsTried == 5 && r.stepsAccepted == 5 && helpers.requests == 5)  // ceil(160/32)
            #expect(high.quality >= last)
            last = high.quality
        }
    }

    @Test func cappedPhaseNeverKeepsParametersAboveTheCap() throws {
        let t = try Self.topology()
        let low = try Self.trainer(t, 0), high = try Self.trainer(t, 1)
        low.pretrain(epochs: 0)
        let start = low.quality
        let cap = start + 0.05
        var accepted = 0
        for round in 1...4 {
            let r = try low.cappedPhase(round: round, cap: cap, collaborators: LocalHelpers([high], learner: 0, round: round))
            accepted += r.stepsAccepted
            #expect(low.quality <= cap && low.rawQuality <= cap)
            #expect(r.stepsAccepted <= r.stepsTried)
        }
        #expect(accepted > 0, "the capped firm never moved")
        #expect(low.quality > start)
    }

    @Test func pilotLearnsOnTheUnionAndLeavesTheFirmsOwnModelAlone() throws {
        let t = try Self.topology()
        let high = try Self.trainer(t, 1), low = try Self.trainer(t, 0)
        high.pretrain(epochs: 0)
        let before = high.parameters, quality = high.quality
        let helpers = LocalHelpers([low], learner: 1, round: 0)
        let (correct, report) = try high.pilotPhase(epochs: 10, collaborators: helpers)
        #expect(report.stepsAccepted == 50 && helpers.requests == 50)
        #expect(Double(correct) / 1000 > quality + 0.1, "pilot reached \(correct) of 1000")
        #expect(high.parameters == before && high.quality == quality)
    }

    @Test func aCapAtTheCurrentQualityStopsBeforeAnyStep() throws {
        let t = try Self.topology()
        let low = try Self.trainer(t, 0), high = try Self.trainer(t, 1)
        low.pretrain(epochs: 0)
        let helpers = LocalHelpers([high], learner: 0, round: 1)
        let r = try low.cappedPhase(round: 1, cap: low.quality, collaborators: helpers)
        #expect(r.stepsTried == 0 && helpers.requests == 0)
    }
}
