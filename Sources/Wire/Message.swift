import Foundation

/// Version of the wire format. A message whose header carries another version is
/// logged and dropped by the receiver (see docs/protocol.md).
public let wireVersion = 1

/// What a message is for. The raw value is the `type` field of the JSON header.
public enum MessageType: String, Codable, Sendable, CaseIterable {
    /// broker → all: "is your subscription live?" (synchronised pub-sub, zguide ch. 2)
    case hello
    /// firm → broker: subscription confirmed; carries the firm's starting quality.
    case ready
    /// broker → one firm: take this round's training phase (role, cap, target).
    case train
    /// learner → broker → each helper: evaluate my parameters on your batch.
    case gradRequest = "grad.request"
    /// helper → broker → learner: loss and gradient of the learner's model on the helper's batch.
    case gradReply = "grad.reply"
    /// learner → broker: the phase is over; the firm's new quality and counters.
    case trainDone = "train.done"
    /// broker → all: the round's market outcome (for monitors and logs).
    case roundResult = "round.result"
    /// broker → all: the run is over (or aborted); firms answer `bye` and exit.
    case shutdown
    /// firm → broker: last word, with the firm's resource figures.
    case bye
}

/// The role a firm plays in a training phase.
public enum TrainingRole: String, Codable, Sendable {
    /// The top-ranked firm: always collaborates, no cap.
    case top
    /// A lower firm: collaborates only up to `cap` (and stops at its target).
    case capped
    /// Before round 1, when the topology asks for it: train a fresh pilot model for
    /// `count` epochs on the union of all shards (helpers as usual) and report its best
    /// quality as `quality`; the firm's own model is untouched.
    case pilot
}

/// A decoded message: a topic, a JSON header and zero or more Float32 tensors.
///
/// On the wire this is a ZeroMQ multipart message:
/// frame 0 the topic (UTF-8), frame 1 the header (UTF-8 JSON), frames 2… one raw
/// little-endian Float32 array each.
public struct Message: Sendable, Equatable {
    public var topic: String
    public var header: Header
    public var tensors: [[Float]]

    public init(topic: String, header: Header, tensors: [[Float]] = []) {
        self.topic = topic
        self.header = header
        self.tensors = tensors
    }

    public var type: MessageType { header.type }
}

/// The JSON header. Common fields first; the rest are present only for the types that
/// use them (documented per type in docs/protocol.md). Unknown JSON keys are ignored,
/// so a newer sender may add optional fields without a version bump.
public struct Header: Codable, Sendable, Equatable {
    public var v: Int
    public var type: MessageType
    /// Sender: a firm id, or "broker".
    public var from: String
    /// Round number (0 = set-up, before collaboration).
    public var round: Int

    // train
    public var role: TrainingRole?
    public var cap: Double?
    public var target: Double?
    public var helpers: [String]?
    // grad.request / grad.reply
    public var step: Int?
    public var learner: String?
    public var loss: Double?
    public var count: Int?
    // ready / train.done
    public var quality: Double?
    public var rawQuality: Double?
    public var stepsTried: Int?
    public var stepsAccepted: Int?
    public var trainSeconds: Double?
    public var evalSeconds: Double?
    public var waitSeconds: Double?
    public var evaluations: Int?
    // round.result
    public var firms: [String]?
    public var qualities: [Double]?
    public var revenues: [Double]?
    // shutdown / bye
    public var reason: String?
    public var peakRSSBytes: Int?
    /// ready: the sender's process id (for the run summary).
    public var pid: Int?

    public init(type: MessageType, from: String, round: Int) {
        self.v = wireVersion
        self.type = type
        self.from = from
        self.round = round
    }

    enum CodingKeys: String, CodingKey {
        case v, type, from, round, role, cap, target, helpers, step, learner, loss, count, quality
        case rawQuality = "raw_quality", stepsTried = "steps_tried", stepsAccepted = "steps_accepted"
        case trainSeconds = "train_s", evalSeconds = "eval_s", waitSeconds = "wait_s"
        case evaluations, firms, qualities, revenues, reason
        case peakRSSBytes = "peak_rss_bytes", pid
    }
}

/// Topics. ZeroMQ subscriptions match by prefix, so every topic ends in "/" and
/// "firm/1/" never matches "firm/10/".
public enum Topic {
    public static let all = "all/"
    public static func firm(_ id: String) -> String { "firm/\(id)/" }
}
