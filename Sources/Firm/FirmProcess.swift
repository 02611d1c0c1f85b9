import Bus
import Dataset
import Foundation
import Learning
import Runtime
import Topology
import Wire

/// Everything a firm process needs to start.
public struct FirmOptions: Sendable {
    public var topology: Topology
    public var firmID: String
    public var broadcast: String
    public var report: String
    public var dataDirectory: URL

    public init(topology: Topology, firmID: String, broadcast: String, report: String, dataDirectory: URL) {
        self.topology = topology
        self.firmID = firmID
        self.broadcast = broadcast
        self.report = report
        self.dataDirectory = dataDirectory
    }
}

/// A failure that ends a firm process with a one-line reason.
public struct FirmError: Error, CustomStringConvertible {
    public let description: String
    public let exitCode: Int32
}

/// One firm as an OS process: its own shard and training core; it talks to the broker
/// only (SUB for broadcasts and messages addressed to it, PUSH for everything it says).
public final class FirmProcess {
    let options: FirmOptions
    let index: Int
    let trainer: Trainer
    let context = Context()
    let inbox: Channel
    let outbox: Channel
    var pretrainSeconds = 0.0
    var pretrainEvalSeconds = 0.0
    var id: String { options.firmID }

    public init(_ options: FirmOptions) throws {
        self.options = options
        guard let index = options.topology.firms.firstIndex(where: { $0.id == options.firmID }) else {
            throw FirmError(description: "firm '\(options.firmID)' is not in topology '\(options.topology.name)'", exitCode: 2)
        }
        self.index = index
        let t = options.topology
        let data = try FirmData.load(topology: t, firmIndex: index, directory: options.dataDirectory)
        Learning.useSingleBLASThread()
        trainer = Trainer(data: data, activation: Activation(rawValue: t.training.activation) ?? .tanh,
                          batchSize: t.training.batchSize, learningRate: t.training.learningRate,
                          maxStepRetries: t.training.maxStepRetries, seed: t.seed, firmIndex: index)
        let sub = try Socket(context, .sub)
        try sub.subscribe(Topic.all)
        try sub.subscribe(Topic.firm(options.firmID))
        try sub.connect(options.broadcast)
        inbox = Channel(sub)
        let push = try Socket(context, .push, lingerMilliseconds: 5000)
        try push.connect(options.report)
        outbox = Channel(push)
    }

    /// Pre-trains, then serves the broker until it says `shutdown`. Returns the exit code.
    /// Interrupted (SIGINT/SIGTERM), it still says `bye` so the broker need not wait.
    public func run() throws -> Int32 {
        do {
            return try serve()
        } catch let e as FirmError where Runtime.interrupted != 0 {
            try? sendBye(round: 0)
            throw e
        }
    }

    private func sendBye(round: Int) throws {
        var h = Header(type: .bye, from: id, round: round)
        h.peakRSSBytes = Runtime.peakResidentBytes()
        h.evaluations = trainer.evaluations
        try outbox.send(Message(topic: Topic.all, header: h))
    }

    private func serve() throws -> Int32 {
        let start = Runtime.now()
        trainer.pretrain(epochs: options.topology.firms[index].pretrainEpochs)
        pretrainSeconds = Runtime.now() - start
        let brokerSilence = options.topology.timeoutSeconds * 2 + 60
        var lastHeard = Runtime.now()
        while true {
            if Runtime.interrupted != 0 {
                try? sendBye(round: 0)
                return 128 + Runtime.interrupted
            }
            guard let delivery = try inbox.receive(timeout: 1) else {
                if Runtime.now() - lastHeard > brokerSilence {
                    throw FirmError(description: "firm \(id): no word from the broker at \(options.broadcast) for \(Int(brokerSilence)) s", exitCode: 3)
                }
                continue
            }
            lastHeard = Runtime.now()
            let m = delivery.message
            switch m.type {
            case .hello:
                try sendReady()
            case .train:
                try train(m.header)
            case .gradRequest:
                try help(m)
            case .shutdown:
                try sendBye(round: m.header.round)
                return 0
            default:
                break
            }
        }
    }

    private func sendReady() throws {
        var h = Header(type: .ready, from: id, round: 0)
        h.quality = trainer.quality
        h.rawQuality = trainer.rawQuality
        h.trainSeconds = pretrainSeconds
        h.evaluations = trainer.evaluations
        h.count = trainer.data.shardSize
        h.pid = Int(getpid())
        try outbox.send(Message(topic: Topic.all, header: h))
    }

    private func help(_ m: Message) throws {
        guard let step = m.header.step, let learner = m.header.learner, let params = m.tensors.first,
              params.count == LeNet5.parameterCount,
              let learnerIndex = options.topology.firms.firstIndex(where: { $0.id == learner }) else {
            Runtime.log("firm \(id): dropped a malformed grad.request")
            return
        }
        let (loss, gradient) = trainer.help(parameters: params, round: m.header.round, learner: learnerIndex, step: step)
        var h = Header(type: .gradReply, from: id, round: m.header.round)
        h.step = step
        h.learner = learner
        h.loss = Double(loss)
        h.count = trainer.batchSize
        try outbox.send(Message(topic: Topic.all, header: h, tensors: [gradient]))
    }

    private func train(_ order: Header) throws {
        let round = order.round
        let helpers = order.helpers ?? []
        let collaborators = WireCollaborators(firm: self, round: round, helpers: helpers)
        let report: Trainer.PhaseReport
        var pilotQuality: Double?
        switch order.role ?? .top {
        case .top:
            report = try trainer.topPhase(round: round, collaborators: collaborators)
        case .capped:
            report = try trainer.cappedPhase(round: round, cap: order.cap ?? trainer.quality, collaborators: collaborators)
        case .pilot:
            let pilot = try trainer.pilotPhase(epochs: max(1, order.count ?? 1), collaborators: collaborators)
            report = pilot.report
            pilotQuality = Double(pilot.correct) / Double(trainer.data.targetSize)
        }
        var h = Header(type: .trainDone, from: id, round: round)
        // After the phase: the deployed quality it reached (or the pilot model's).
        h.quality = pilotQuality ?? trainer.quality
        h.rawQuality = trainer.rawQuality
        h.stepsTried = report.stepsTried
        h.stepsAccepted = report.stepsAccepted
        h.trainSeconds = report.trainSeconds
        h.evalSeconds = report.evalSeconds
        h.waitSeconds = report.waitSeconds
        h.evaluations = trainer.evaluations
        try outbox.send(Message(topic: Topic.all, header: h))
    }

    /// The helpers of one phase, reached through the broker.
    final class WireCollaborators: Collaborators {
        unowned let firm: FirmProcess
        let round: Int
        let helpers: [String]

        init(firm: FirmProcess, round: Int, helpers: [String]) {
            self.firm = firm
            self.round = round
            self.helpers = helpers
        }

        func requestGradients(step: Int, parameters: [Float]) throws {
            guard !helpers.isEmpty else { return }
            var h = Header(type: .gradRequest, from: firm.id, round: round)
            h.step = step
            h.learner = firm.id
            h.helpers = helpers
            try firm.outbox.send(Message(topic: Topic.all, header: h, tensors: [parameters]))
        }

        func awaitGradients(step: Int, into sum: inout [Float]) throws -> Int {
            var pending = Set(helpers)
            let deadline = Runtime.now() + firm.options.topology.timeoutSeconds * 2
            while !pending.isEmpty {
                if Runtime.interrupted != 0 { throw FirmError(description: "firm \(firm.id): interrupted", exitCode: 130) }
                guard let d = try firm.inbox.receive(timeout: 1) else {
                    if Runtime.now() > deadline {
                        throw FirmError(description: "firm \(firm.id): no gradient from \(pending.sorted().joined(separator: ", ")) for round \(round) step \(step)", exitCode: 3)
                    }
                    continue
                }
                let m = d.message
                switch m.type {
                case .gradReply where m.header.round == round && m.header.step == step && pending.contains(m.header.from):
                    guard let g = m.tensors.first, g.count == sum.count else { continue }
                    for i in sum.indices { sum[i] += g[i] }
                    pending.remove(m.header.from)
                case .shutdown:
                    throw FirmError(description: "firm \(firm.id): broker shut down the run during round \(round): \(m.header.reason ?? "")", exitCode: 1)
                case .hello:
                    try firm.sendReady()
                default:
                    continue
                }
            }
            return helpers.count
        }
    }
}
