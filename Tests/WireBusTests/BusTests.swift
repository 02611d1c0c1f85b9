import Bus
import Foundation
import Testing
import Wire

/// Real ZeroMQ sockets over loopback TCP.
@Suite struct BusTests {
    /// A bound PULL and a connected PUSH on an OS-chosen port.
    func pipe() throws -> (Context, Socket, Socket) {
        let context = Context()
        let pull = try Socket(context, .pull)
        try pull.bind("tcp://127.0.0.1:*")
        let push = try Socket(context, .push, lingerMilliseconds: 1000)
        try push.connect(pull.lastEndpoint)
        return (context, pull, push)
    }

    func bytes(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

    @Test func framesOfAnySizeArriveWhole() throws {
        let (_, pull, push) = try pipe()
        // 257 bytes, and a full LeNet-5 parameter vector: 61,706 Float32 = 246,824 bytes.
        for size in [0, 1, 255, 256, 257, 8192, 246_824, 1 << 22] {
            let frame = bytes(size)
            try push.send([Array("t/".utf8), frame])
            let got = try #require(try pull.receive(timeout: 10))
            #expect(got.count == 2)
            #expect(got[1].count == size)
            #expect(got[1] == frame)
        }
    }

    @Test func parameterVectorRoundTripsByteForByte() throws {
        let (_, pull, push) = try pipe()
        let params = (0..<61_706).map { Float(sin(Double($0))) * 0.3 }
        var h = Header(type: .gradRequest, from: "high", round: 1)
        h.step = 0
        let sender = Channel(push), receiver = Channel(pull)
        let sent = try sender.send(Message(topic: "firm/low/", header: h, tensors: [params]))
        let d = try #require(try receiver.receive(timeout: 10))
        #expect(d.frames[2].count == 246_824)
        #expect(d.frames[2] == Codec.floatBytes(params))
        #expect(d.message.tensors[0] == params)
        #expect(d.bytes == sent)
    }

    @Test func malformedMessageIsDroppedAndTheNextOneDelivered() throws {
        let (_, pull, push) = try pipe()
        let receiver = Channel(pull)
        var logged: [String] = []
        receiver.log = { logged.append($0) }
        try push.send([Array("t/".utf8), Array(#"{"v":99,"type":"hello","from":"x","round":0}"#.utf8)])
        try push.send([Array("garbage".utf8)])
        try Channel(push).send(Message(topic: "t/", header: Header(type: .hello, from: "broker", round: 0)))
        let d = try #require(try receiver.receive(timeout: 10))
        #expect(d.message.type == .hello)
        #expect(receiver.dropped == 2)
        #expect(logged.count == 2)
        #expect(logged[0].contains("version 99"))
    }

    @Test func receiveTimesOutWithNil() throws {
        let (_, pull, _) = try pipe()
        #expect(try pull.receive(timeout: 0.05) == nil)
    }

    @Test func subscriberGetsOnlyItsTopicsAfterSynchronising() throws {
        let context = Context()
        let pub = try Socket(context, .pub)
        try pub.bind("tcp://127.0.0.1:*")
        let sub = try Socket(context, .sub)
        try sub.subscribe("firm/1/")
        try sub.connect(pub.lastEndpoint)
        // Slow joiner: publish until the subscription is live (the broker's hello loop).
        var synced = false
        for _ in 0..<200 where !synced {
            try pub.send([Array("firm/1/".utf8), [0]])
            synced = try sub.receive(timeout: 0.05) != nil
        }
        #expect(synced)
        while try sub.receive(timeout: 0.05) != nil {}
        try pub.send([Array("firm/10/".utf8), [1]])
        try pub.send([Array("firm/1/".utf8), [2]])
        let got = try #require(try sub.receive(timeout: 5))
        #expect(got[1] == [2])
    }

    @Test func badEndpointIsATypedError() throws {
        let s = try Socket(Context(), .pub)
        #expect(throws: ZMQError.self) { try s.bind("nonsense://x") }
    }
}
