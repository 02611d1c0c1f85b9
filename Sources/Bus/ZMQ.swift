import CZMQ
import Foundation

// The one file that calls libzmq. Everything else in the project talks to `Socket`.

/// A libzmq failure: the errno it set and zmq_strerror's text, plus what we were doing.
public struct ZMQError: Error, CustomStringConvertible, Equatable {
    public let errno: Int32
    public let operation: String

    public var description: String {
        "\(operation): \(String(cString: zmq_strerror(errno)))"
    }

    static func last(_ operation: String) -> ZMQError { ZMQError(errno: zmq_errno(), operation: operation) }
}

/// Owns a zmq context (one per process). Sockets keep their context alive.
public final class Context: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() {
        handle = zmq_ctx_new()
    }

    deinit { zmq_ctx_term(handle) }
}

/// The socket patterns this project uses (see docs/protocol.md).
public enum SocketKind: Sendable {
    case pub, sub, push, pull

    var raw: Int32 {
        switch self {
        case .pub: return ZMQ_PUB
        case .sub: return ZMQ_SUB
        case .push: return ZMQ_PUSH
        case .pull: return ZMQ_PULL
        }
    }
}

/// A ZeroMQ socket sending and receiving whole multipart messages.
///
/// Receiving goes through `zmq_msg_t`, so a frame of any size arrives whole (no fixed
/// receive buffer that could truncate it).
public final class Socket {
    private let context: Context
    private var handle: UnsafeMutableRawPointer?

    /// - Parameter lingerMilliseconds: how long `close` may wait to flush queued messages
    ///   (zmq ZMQ_LINGER); firms use a few seconds so their last `bye` is delivered.
    public init(_ context: Context, _ kind: SocketKind, lingerMilliseconds: Int32 = 0) throws {
        self.context = context
        guard let h = zmq_socket(context.handle, kind.raw) else { throw ZMQError.last("zmq_socket") }
        handle = h
        try setInt(ZMQ_LINGER, lingerMilliseconds, "ZMQ_LINGER")
        // No high-water-mark drops: a model or gradient must never be silently discarded.
        try setInt(ZMQ_SNDHWM, 0, "ZMQ_SNDHWM")
        try setInt(ZMQ_RCVHWM, 0, "ZMQ_RCVHWM")
    }

    deinit { close() }

    public func close() {
        if let h = handle { zmq_close(h); handle = nil }
    }

    private func setInt(_ option: Int32, _ value: Int32, _ name: String) throws {
        var v = value
        if zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) != 0 { throw ZMQError.last("zmq_setsockopt(\(name))") }
    }

    /// zmq_bind. `tcp://127.0.0.1:*` binds an ephemeral port; read it back with `lastEndpoint`.
    public func bind(_ endpoint: String) throws {
        if zmq_bind(handle, endpoint) != 0 { throw ZMQError.last("bind \(endpoint)") }
    }

    /// zmq_connect (asynchronous: succeeds before the peer exists).
    public func connect(_ endpoint: String) throws {
        if zmq_connect(handle, endpoint) != 0 { throw ZMQError.last("connect \(endpoint)") }
    }

    /// ZMQ_SUBSCRIBE with a topic prefix ("" = everything).
    public func subscribe(_ prefix: String) throws {
        let bytes = Array(prefix.utf8)
        if zmq_setsockopt(handle, ZMQ_SUBSCRIBE, bytes, bytes.count) != 0 { throw ZMQError.last("subscribe \(prefix)") }
    }

    /// ZMQ_LAST_ENDPOINT: the endpoint actually bound (with the chosen port).
    public var lastEndpoint: String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else { return "" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends all frames as one multipart message (zmq_send with ZMQ_SNDMORE). Blocks only
    /// when the peer's queue is full; with HWM 0 it queues.
    public func send(_ frames: [[UInt8]]) throws {
        for (i, frame) in frames.enumerated() {
            let flags: Int32 = i + 1 < frames.count ? ZMQ_SNDMORE : 0
            let rc = frame.withUnsafeBytes { raw in
                zmq_send(handle, raw.baseAddress, raw.count, flags)
            }
            if rc < 0 { throw ZMQError.last("zmq_send") }
        }
    }

    /// Waits up to `timeout` seconds (nil = forever) for a message; returns its frames,
    /// or nil on timeout. Interrupted waits (EINTR, e.g. a signal) return nil too.
    public func receive(timeout: Double?) throws -> [[UInt8]]? {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let ms: Int = timeout.map { max(0, Int(($0 * 1000).rounded(.up))) } ?? -1
        let rc = zmq_poll(&item, 1, ms)
        if rc < 0 {
            if zmq_errno() == EINTR { return nil }
            throw ZMQError.last("zmq_poll")
        }
        if rc == 0 { return nil }
        return try receiveNow()
    }

    private func receiveNow() throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var msg = zmq_msg_t()
        var more = true
        while more {
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            if zmq_msg_recv(&msg, handle, 0) < 0 { throw ZMQError.last("zmq_msg_recv") }
            let size = zmq_msg_size(&msg)
            let data = zmq_msg_data(&msg)
            frames.append(size == 0 ? [] : Array(UnsafeRawBufferPointer(start: data, count: size)))
            more = zmq_msg_more(&msg) != 0
        }
        return frames
    }
}

/// The linked libzmq version, e.g. "4.3.4".
public var zmqVersion: String {
    var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return "\(major).\(minor).\(patch)"
}
