import Bus
import Foundation
import Market
import Runtime
import Topology
import Wire

/// Everything the broker needs to start.
public struct BrokerOptions: Sendable {
    public var topology: Topology
    public var runDirectory: URL
    public init(topology: Topology, runDirectory: URL) {
        self.topology = topology
        self.runDirectory = runDirectory
    }
}

/// Why the broker stopped a run early: one line naming the firm or the problem.
public struct BrokerError: Error, CustomStringConvertible {
    public let description: String
    public let exitCode: Int32
}

/// The round broker: owns the clock, ranks firms, computes caps with the market model,
/// relays collaboration traffic (a star: firms talk only to the broker), checks that no
/// revenue fell, and records everything.
///
/// Sockets: PUB (bind) for everything the broker says — topic "all/" for broadcasts,
/// "firm/<id>/" for one firm; PULL (bind) for everything firms say (each firm PUSHes).
public final class BrokerProcess {
    let options: BrokerOptions
    let topology: Topology
    let ids: [String]
    let context = Context()
    let publisher: Channel
    let reports: Channel
    let recorder: RunRecorder
    let startTime = Runtime.now()

    /// Endpoints actually bound (ports resolved).
    public let broadcastEndpoint: String
    public let reportEndpoint: String

    // State of the run.
    var qualities: [Double] = []
    var rawQualities: [Double] = []
    var evaluations: [Int] = []
    var pids: [Int] = []
    var peakRSS: [Int] = []
    var stepsTried: [Int] = []
    var stepsAccepted: [Int] = []
    var startQualities: [Double] = []
    var scheme: DefectionFreeScheme?
    var roundsDone = 0
    var revenueDecreaseCount = 0
    var violations: [String] = []
    /// The pilot model's quality, when the topology asks for a pilot estimate of q_top*.
    var pilotQuality: Double?
    /// q_top* as used, and where it came from.
    var topQuality = 1.0
    var topQualitySource = "topology"
    /// Firms that confirmed their subscription (only they are waited for at shutdown).
    var joined = Set<String>()
    /// Firms that already said `bye` (interrupted) before the shutdown.
    var departed = Set<String>()
    /// Qualities as of the last row written, so an aborted run's summary matches rounds.csv.
    var lastRecorded: (qualities: [Double], raw: [Double])?
    var messageCount = 0
    var byteCount = 0

    public init(_ options: BrokerOptions) throws {
        self.options = options
        topology = options.topology
        ids = topology.firms.map(\.id)
        let pub = try Socket(context, .pub)
        try pub.bind(topology.endpoints.broadcast)
        let pull = try Socket(context, .pull)
        try pull.bind(topology.endpoints.report)
        broadcastEndpoint = pub.lastEndpoint
        reportEndpoint = pull.lastEndpoint
        publisher = Channel(pub)
        reports = Channel(pull)
        recorder = try RunRecorder(directory: options.runDirectory)
        let n = ids.count
        qualities = Array(repeating: 0, count: n)
        rawQualities = qualities
        evaluations = Array(repeating: 0, count: n)
        pids = evaluations
        peakRSS = evaluations
        stepsTried = evaluations
        stepsAccepted = evaluations
    }

    // MARK: messaging

    private func say(_ header: Header, to topic: String, tensors: [[Float]] = []) throws {
        let bytes = try publisher.send(Message(topic: topic, header: header, tensors: tensors))
        count(sender: "broker", header.type.rawValue, header.round, bytes, to: topic)
    }

    private func count(sender: String, _ type: String, _ round: Int, _ bytes: Int, to: String? = nil, step: Int? = nil) {
        messageCount += 1
        byteCount += bytes
        recorder.event(sender: sender, type: type, round: round, bytes: bytes, to: to, step: step)
    }

    private func checkInterrupt() throws {
        if Runtime.interrupted != 0 {
            throw BrokerError(description: "interrupted by signal \(Runtime.interrupted)", exitCode: 128 + Runtime.interrupted)
        }
    }

    /// Next firm message; `silent` names who we are waiting for when time runs out.
    private func nextReport(waitingFor silent: () -> String) throws -> Delivery {
        let deadline = Runtime.now() + topology.timeoutSeconds
        while true {
            try checkInterrupt()
            if let d = try reports.receive(timeout: min(1, max(0, deadline - Runtime.now()))) {
                let h = d.message.header
                count(sender: h.from, h.type.rawValue, h.round, d.bytes, step: h.step)
                return d
            }
            if Runtime.now() >= deadline {
                throw BrokerError(description: "\(silent()) did not answer within \(fmt(topology.timeoutSeconds, 0)) s", exitCode: 3)
            }
        }
    }

    // MARK: the run

    /// Runs the whole experiment; returns the exit code. Writes the summary in every case.
    public func run(progress: (String) -> Void) -> Int32 {
        var status = "completed"
        var code: Int32 = 0
        do {
            try synchronise(progress: progress)
            for round in 1...max(1, topology.rounds) where round <= topology.rounds {
                try playRound(round, progress: progress)
            }
        } catch let e as BrokerError {
            restoreLastRecorded()
            status = "failed: \(e.description)"
            code = e.exitCode
            progress("broker: \(e.description)")
        } catch {
            restoreLastRecorded()
            status = "failed: \(error)"
            code = 1
            progress("broker: \(error)")
        }
        shutdown(reason: status)
        writeSummary(status: status)
        progress(summaryTable(status: status))
        recorder.close()
        return code
    }

    /// After an aborted round, report the state of the last round written to rounds.csv.
    private func restoreLastRecorded() {
        if let last = lastRecorded { (qualities, rawQualities) = last }
    }

    /// Synchronised pub-sub (zguide ch. 2, "Node Coordination"): PUB messages sent before
    /// a subscriber has joined are lost, so the broker repeats `hello` until every firm
    /// has answered `ready`; only then does round 1 start.
    private func synchronise(progress: (String) -> Void) throws {
        var ready = Set<String>()
        let deadline = Runtime.now() + topology.timeoutSeconds
        var lastHello = -1.0
        while ready.count < ids.count {
            try checkInterrupt()
            if Runtime.now() - lastHello > 0.25 {
                try say(Header(type: .hello, from: "broker", round: 0), to: Topic.all)
                lastHello = Runtime.now()
            }
            if let d = try reports.receive(timeout: 0.25) {
                let h = d.message.header
                count(sender: h.from, h.type.rawValue, h.round, d.bytes)
                guard h.type == .ready, let i = ids.firstIndex(of: h.from), !ready.contains(h.from) else { continue }
                ready.insert(h.from)
                joined.insert(h.from)
                qualities[i] = h.quality ?? 0
                rawQualities[i] = h.rawQuality ?? qualities[i]
                evaluations[i] = h.evaluations ?? 0
                pids[i] = h.pid ?? 0
                progress("broker: firm \(h.from) ready (pid \(pids[i]), q0 = \(fmt(qualities[i], 4)), pre-training \(fmt(h.trainSeconds, 1)) s)")
            }
            if Runtime.now() >= deadline {
                let missing = ids.filter { !ready.contains($0) }
                throw BrokerError(description: "firm(s) \(missing.joined(separator: ", ")) did not confirm their subscription within \(fmt(topology.timeoutSeconds, 0)) s", exitCode: 3)
            }
        }
        startQualities = qualities
        switch topology.topQuality {
        case .value(let v):
            topQuality = v
        case .pilot(let epochs):
            let top = DefectionFreeScheme.ranking(qualities)[0]
            progress("broker: estimating the top quality: firm \(ids[top]) trains a pilot model for \(epochs) epochs on the union of all shards")
            var order = Header(type: .train, from: "broker", round: 0)
            order.role = .pilot
            order.count = epochs
            order.helpers = ids.filter { $0 != ids[top] }
            let t = Runtime.now()
            _ = try runPhase(firm: top, order: order)
            let pilot = pilotQuality ?? 0
            topQuality = max(pilot, qualities.max() ?? 0)
            topQualitySource = "pilot: \(epochs) epochs on the union of the shards reached \(pilot)"
            progress("broker: pilot model reached q = \(fmt(pilot, 4)) in \(fmt(Runtime.now() - t, 1)) s; q_top* = \(fmt(topQuality, 4))")
        }
        let policy = Market.CapPolicy(rawValue: topology.capPolicy) ?? .exact
        let t = Runtime.now()
        let scheme = DefectionFreeScheme(startQualities: qualities, topQuality: topQuality, policy: policy)
        self.scheme = scheme
        let decisionMs = (Runtime.now() - t) * 1000
        let targetsText = zip(ids, scheme.targets).map { "\($0)* = \(fmt($1, 4))" }.joined(separator: ", ")
        progress("broker: Nash bargaining target \(targetsText) (q_top* = \(topQuality) from \(topQualitySource))\(scheme.reachable ? "" : " — NOT reachable from the start (Proposition 4)")")
        record(round: 0, roundStart: qualities, permissions: [:], phase: [:], decisionMs: decisionMs, roundSeconds: 0)
    }

    /// What a firm reported at the end of its phase in this round.
    struct PhaseResult {
        var tried = 0, accepted = 0
        var train = 0.0, eval = 0.0, wait = 0.0
    }

    private func playRound(_ round: Int, progress: (String) -> Void) throws {
        guard let scheme else { return }
        let roundStartTime = Runtime.now()
        let roundStart = qualities
        let order = DefectionFreeScheme.ranking(qualities)
        var permissions: [Int: DefectionFreeScheme.Permission] = [:]
        var phases: [Int: PhaseResult] = [:]
        var decision = 0.0
        for (position, firm) in order.enumerated() {
            var header = Header(type: .train, from: "broker", round: round)
            header.helpers = ids.indices.filter { $0 != firm }.map { ids[$0] }
            header.target = scheme.targets[firm]
            if position == 0 {
                header.role = .top
            } else {
                let t = Runtime.now()
                let p = scheme.permission(firm: firm, roundStart: roundStart, current: qualities, top: order[0])
                decision += Runtime.now() - t
                permissions[firm] = p
                guard p.permitted else { continue }
                header.role = .capped
                header.cap = p.effectiveCap
            }
            phases[firm] = try runPhase(firm: firm, order: header)
        }
        let t = Runtime.now()
        let decreases = DefectionFreeScheme.revenueDecreases(roundStart: roundStart, current: qualities)
        let broken = DefectionFreeScheme.violations(round: round, ids: ids, roundStart: roundStart, current: qualities)
        decision += Runtime.now() - t
        revenueDecreaseCount += decreases.filter { $0 }.count
        violations += broken
        roundsDone = round
        var result = Header(type: .roundResult, from: "broker", round: round)
        result.firms = ids
        result.qualities = qualities
        result.revenues = Market.revenues(qualities: qualities)
        try say(result, to: Topic.all)
        let roundSeconds = Runtime.now() - roundStartTime
        record(round: round, roundStart: roundStart, permissions: permissions, phase: phases,
               decisionMs: decision * 1000, roundSeconds: roundSeconds, decreases: decreases)
        progress(progressLine(round: round, permissions: permissions, phases: phases, seconds: roundSeconds, broken: broken))
    }

    /// Sends `order` to the firm and relays grad.request / grad.reply until it reports
    /// train.done.
    private func runPhase(firm: Int, order: Header) throws -> PhaseResult {
        let learner = ids[firm]
        try say(order, to: Topic.firm(learner))
        var pending = Set<String>()
        while true {
            let d = try nextReport(waitingFor: {
                pending.isEmpty ? "firm \(learner) (training in round \(order.round))"
                    : "firm(s) \(pending.sorted().joined(separator: ", ")) (helping \(learner) in round \(order.round))"
            })
            let h = d.message.header
            switch h.type {
            case .gradRequest where h.from == learner && h.round == order.round:
                for helper in h.helpers ?? [] where ids.contains(helper) && helper != learner {
                    let bytes = try publisher.forward(d.frames, topic: Topic.firm(helper))
                    count(sender: "broker", h.type.rawValue, h.round, bytes, to: helper, step: h.step)
                    pending.insert(helper)
                }
            case .gradReply where h.learner == learner && h.round == order.round:
                pending.remove(h.from)
                let bytes = try publisher.forward(d.frames, topic: Topic.firm(learner))
                count(sender: "broker", h.type.rawValue, h.round, bytes, to: learner, step: h.step)
            case .trainDone where h.from == learner && h.round == order.round:
                let r = PhaseResult(tried: h.stepsTried ?? 0, accepted: h.stepsAccepted ?? 0,
                                    train: h.trainSeconds ?? 0, eval: h.evalSeconds ?? 0, wait: h.waitSeconds ?? 0)
                if order.role == .pilot {
                    pilotQuality = h.quality  // the firm's own model did not change
                    return r
                }
                qualities[firm] = h.quality ?? qualities[firm]
                rawQualities[firm] = h.rawQuality ?? rawQualities[firm]
                evaluations[firm] = h.evaluations ?? evaluations[firm]
                stepsTried[firm] += r.tried
                stepsAccepted[firm] += r.accepted
                return r
            case .ready:
                continue  // a late answer to a repeated hello
            case .bye:
                departed.insert(h.from)  // an interrupted firm's last word
                if let i = ids.firstIndex(of: h.from) { peakRSS[i] = h.peakRSSBytes ?? 0 }
            default:
                Runtime.log("broker: ignored \(h.type.rawValue) from \(h.from) for round \(h.round)")
            }
        }
    }

    private func shutdown(reason: String) {
        var h = Header(type: .shutdown, from: "broker", round: roundsDone)
        h.reason = reason
        try? say(h, to: Topic.all)
        // Collect last words (peak memory) for a short while; a firm that is gone is not waited for.
        var remaining = joined.subtracting(departed)
        let deadline = Runtime.now() + (Runtime.interrupted != 0 ? 3 : 10)
        while !remaining.isEmpty && Runtime.now() < deadline {
            guard let d = try? reports.receive(timeout: 0.5) else { continue }
            let m = d.message.header
            count(sender: m.from, m.type.rawValue, m.round, d.bytes)
            if m.type == .bye, let i = ids.firstIndex(of: m.from) {
                peakRSS[i] = m.peakRSSBytes ?? 0
                evaluations[i] = m.evaluations ?? evaluations[i]
                remaining.remove(m.from)
            }
        }
    }
}
