import Foundation

/// Message traffic of a run, summarised from its events.jsonl (one line per message hop).
public struct TrafficSummary: Sendable {
    public struct Row: Sendable, Equatable {
        public var messages = 0
        public var bytes = 0
    }
    public private(set) var byType: [String: Row] = [:]
    public private(set) var bySender: [String: Row] = [:]
    public private(set) var rounds = 0
    public private(set) var total = Row()
    public private(set) var seconds = 0.0

    /// Reads events.jsonl; a line that is not a JSON event is an error naming its number.
    public static func read(_ url: URL) throws -> TrafficSummary {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw MonitorError("\(url.path): cannot read (\(error.localizedDescription))")
        }
        var s = TrafficSummary()
        for (n, line) in text.split(separator: "\n").enumerated() {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let type = obj["type"] as? String, let sender = obj["sender"] as? String,
                  let bytes = obj["bytes"] as? Int, let round = obj["round"] as? Int else {
                throw MonitorError("\(url.path): line \(n + 1) is not an event")
            }
            s.byType[type, default: Row()].messages += 1
            s.byType[type, default: Row()].bytes += bytes
            s.bySender[sender, default: Row()].messages += 1
            s.bySender[sender, default: Row()].bytes += bytes
            s.total.messages += 1
            s.total.bytes += bytes
            s.rounds = max(s.rounds, round)
            s.seconds = max(s.seconds, obj["t"] as? Double ?? 0)
        }
        return s
    }

    public func table() -> String {
        func mib(_ b: Int) -> String { String(format: "%10.2f", Double(b) / 1_048_576) }
        var out = "messages by type\n" + "type".padding(toLength: 16, withPad: " ", startingAt: 0) + "  messages       MiB\n"
        for (k, v) in byType.sorted(by: { $0.value.bytes > $1.value.bytes }) {
            out += k.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%10d", v.messages) + mib(v.bytes) + "\n"
        }
        out += "\nmessages by sender\n" + "sender".padding(toLength: 16, withPad: " ", startingAt: 0) + "  messages       MiB\n"
        for (k, v) in bySender.sorted(by: { $0.key < $1.key }) {
            out += k.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%10d", v.messages) + mib(v.bytes) + "\n"
        }
        out += String(format: "\n%d messages, %.1f MiB over %d rounds in %.1f s", total.messages,
                      Double(total.bytes) / 1_048_576, rounds, seconds)
        return out
    }
}

public struct MonitorError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
