import Foundation
import Wire

/// A message as it arrived, with its size on the wire (all frames) for the traffic log.
public struct Delivery: Sendable {
    public let message: Message
    /// The frames as received, so a relay can forward them without re-encoding.
    public let frames: [[UInt8]]
    public var bytes: Int { frames.reduce(0) { $0 + $1.count } }
}

/// A socket that speaks `Message`s: encodes on send, decodes on receive, and logs and
/// drops anything malformed or of another wire version instead of failing.
public final class Channel {
    public let socket: Socket
    /// Where dropped messages are reported (default: standard error).
    public var log: (String) -> Void = { try? FileHandle.standardError.write(contentsOf: Data(($0 + "\n").utf8)) }
    /// Count of messages dropped as malformed or of unknown version.
    public private(set) var dropped = 0

    public init(_ socket: Socket) { self.socket = socket }

    /// Sends a message; returns the number of bytes put on the wire.
    @discardableResult
    public func send(_ message: Message) throws -> Int {
        let frames = Codec.encode(message)
        try socket.send(frames)
        return frames.reduce(0) { $0 + $1.count }
    }

    /// Re-sends received frames under another topic (the relay in the broker's star);
    /// returns the bytes put on the wire.
    @discardableResult
    public func forward(_ frames: [[UInt8]], topic: String) throws -> Int {
        var out = frames
        out[0] = Array(topic.utf8)
        try socket.send(out)
        return out.reduce(0) { $0 + $1.count }
    }

    /// The next well-formed message within `timeout` seconds (nil = wait forever), or nil.
    public func receive(timeout: Double?) throws -> Delivery? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            let remaining = deadline.map { max(0, $0.timeIntervalSinceNow) }
            guard let frames = try socket.receive(timeout: remaining) else {
                if let deadline, Date() < deadline { continue }  // interrupted, time left
                return nil
            }
            do {
                let message = try Codec.decode(frames)
                return Delivery(message: message, frames: frames)
            } catch {
                dropped += 1
                log("dropped a message: \(error)")
            }
        }
    }
}
