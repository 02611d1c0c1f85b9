import Foundation
import Testing
import Wire

@Suite struct CodecTests {
    func header(_ type: MessageType = .gradReply) -> Header {
        var h = Header(type: type, from: "low", round: 7)
        h.step = 3
        h.learner = "high"
        h.loss = 2.25
        return h
    }

    @Test func roundTripKeepsHeaderAndTensors() throws {
        let tensor: [Float] = [0, 1.5, -2, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0]
        let m = Message(topic: Topic.firm("high"), header: header(), tensors: [tensor, []])
        let back = try Codec.decode(Codec.encode(m))
        #expect(back == m)
        #expect(back.tensors[0].map(\.bitPattern) == tensor.map(\.bitPattern))
    }

    @Test func tensorsAreLittleEndianFloat32() {
        let frames = Codec.encode(Message(topic: "t/", header: header(), tensors: [[1.0]]))
        #expect(frames[2] == [0x00, 0x00, 0x80, 0x3F])
    }

    @Test func unknownVersionIsRejectedAsSuch() throws {
        var frames = Codec.encode(Message(topic: "t/", header: header()))
        frames[1] = Array(#"{"v":2,"type":"grad.reply","from":"x","round":1}"#.utf8)
        #expect(throws: DecodeError.unsupportedVersion(2)) { try Codec.decode(frames) }
    }

    @Test func malformedMessagesAreRejectedNotCrashing() throws {
        #expect(throws: DecodeError.tooFewFrames(1)) { try Codec.decode([[1, 2]]) }
        #expect(throws: DecodeError.self) { try Codec.decode([Array("t/".utf8), Array("not json".utf8)]) }
        #expect(throws: DecodeError.self) { try Codec.decode([Array("t/".utf8), Array(#"{"v":1,"type":"nonsense","from":"x","round":1}"#.utf8)]) }
        #expect(throws: DecodeError.self) { try Codec.decode([Array("t/".utf8), Array(#"{"v":1,"type":"hello"}"#.utf8)]) }
        var frames = Codec.encode(Message(topic: "t/", header: header()))
        frames.append([1, 2, 3])
        #expect(throws: DecodeError.badTensor(frame: 2, bytes: 3)) { try Codec.decode(frames) }
    }

    @Test func unknownHeaderFieldsAreIgnored() throws {
        let frames = [Array("t/".utf8), Array(#"{"v":1,"type":"hello","from":"broker","round":0,"future":true}"#.utf8)]
        #expect(try Codec.decode(frames).type == .hello)
    }
}
