import Foundation

/// Why a received multipart message was not accepted. Receivers log these and drop the
/// message; they never crash on them.
public enum DecodeError: Error, CustomStringConvertible, Equatable {
    case tooFewFrames(Int)
    case badTopic
    case badHeader(String)
    case unsupportedVersion(Int)
    case badTensor(frame: Int, bytes: Int)

    public var description: String {
        switch self {
        case .tooFewFrames(let n): return "message has \(n) frame(s); need at least topic and header"
        case .badTopic: return "topic frame is not UTF-8"
        case .badHeader(let why): return "header is not a valid v\(wireVersion) JSON header: \(why)"
        case .unsupportedVersion(let v): return "unsupported wire version \(v) (this build speaks \(wireVersion))"
        case .badTensor(let frame, let bytes): return "tensor frame \(frame) has \(bytes) bytes, not a multiple of 4"
        }
    }
}

/// Encodes and decodes `Message`s to and from ZeroMQ frames.
public enum Codec {
    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    public static func encode(_ message: Message) -> [[UInt8]] {
        var frames: [[UInt8]] = [Array(message.topic.utf8)]
        // Encoding a struct of plain fields cannot fail.
        frames.append(Array(try! encoder.encode(message.header)))
        for t in message.tensors { frames.append(floatBytes(t)) }
        return frames
    }

    public static func decode(_ frames: [[UInt8]]) throws -> Message {
        guard frames.count >= 2 else { throw DecodeError.tooFewFrames(frames.count) }
        guard let topic = String(validating: frames[0], as: UTF8.self) else { throw DecodeError.badTopic }
        // Check the version before the full decode, so a v2 header with new required
        // fields is reported as a version mismatch rather than as malformed.
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(frames[1])) } catch {
            throw DecodeError.badHeader("not JSON")
        }
        guard let object = json as? [String: Any] else { throw DecodeError.badHeader("not a JSON object") }
        guard let v = object["v"] as? Int else { throw DecodeError.badHeader("no integer field \"v\"") }
        guard v == wireVersion else { throw DecodeError.unsupportedVersion(v) }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(frames[1])) } catch {
            throw DecodeError.badHeader(describe(error))
        }
        var tensors: [[Float]] = []
        tensors.reserveCapacity(frames.count - 2)
        for i in 2..<frames.count {
            guard frames[i].count % 4 == 0 else { throw DecodeError.badTensor(frame: i, bytes: frames[i].count) }
            tensors.append(floats(frames[i]))
        }
        return Message(topic: topic, header: header, tensors: tensors)
    }

    /// Raw little-endian Float32 bytes (the host is little-endian on every supported platform;
    /// the byte swap below keeps it correct elsewhere).
    public static func floatBytes(_ values: [Float]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * 4)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
        }
        return out
    }

    public static func floats(_ bytes: [UInt8]) -> [Float] {
        let n = bytes.count / 4
        return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<n {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                }
            }
            initialized = n
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "bad value at \(c.codingPath.map { $0.stringValue }.joined(separator: ".")): \(c.debugDescription)"
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        default: return "\(error)"
        }
    }
}
