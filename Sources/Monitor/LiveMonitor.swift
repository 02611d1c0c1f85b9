import Bus
import Foundation
import Wire

/// Watches a running broker's broadcast socket (a plain SUB to every topic) and prints
/// one line per message: the zguide's passive "monitor" subscriber. It sees everything
/// the broker publishes, including relayed gradient traffic.
public enum LiveMonitor {
    /// Prints lines until `limit` messages were seen, `seconds` passed, or a shutdown.
    public static func watch(endpoint: String, limit: Int?, seconds: Double?, print: (String) -> Void) throws -> Int {
        let context = Context()
        let sub = try Socket(context, .sub)
        try sub.subscribe("")
        try sub.connect(endpoint)
        let channel = Channel(sub)
        let start = Date()
        var seen = 0
        while limit.map({ seen < $0 }) ?? true {
            let remaining = seconds.map { $0 - Date().timeIntervalSince(start) }
            if let r = remaining, r <= 0 { break }
            guard let d = try channel.receive(timeout: min(remaining ?? 1, 1)) else { continue }
            seen += 1
            let h = d.message.header
            var line = String(format: "%9.3f  ", Date().timeIntervalSince(start))
            line += "\(d.message.topic.padding(toLength: 12, withPad: " ", startingAt: 0)) \(h.type.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) from \(h.from) round \(h.round)"
            if let s = h.step { line += " step \(s)" }
            if let q = h.quality { line += String(format: " q=%.4f", q) }
            line += " \(d.bytes) bytes"
            print(line)
            if h.type == .shutdown { break }
        }
        return seen
    }
}
