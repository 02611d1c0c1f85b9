import Foundation

/// Writes the run directory: rounds.csv (one row per round and firm), market.csv (one row
/// per round), events.jsonl (one line per message hop) and summary.json. Rows are flushed
/// as they are written, so an aborted run keeps everything up to its last round.
final class RunRecorder {
    static let roundColumns = ["round", "firm", "rank", "quality", "raw_quality", "price", "demand", "revenue",
                               "cap", "permitted", "steps_tried", "steps_accepted", "revenue_decreased",
                               "target", "cap_status", "binding_firm", "not_permitted_because", "evaluations"]
    static let marketColumns = ["round", "rho", "rho_star", "nash_product", "decision_ms", "round_s", "train_s",
                                "eval_s", "wire_s", "messages", "bytes"]

    let directory: URL
    private let rounds: FileHandle
    private let market: FileHandle
    private let events: FileHandle
    private let start = Date()

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func open(_ name: String, header: String?) throws -> FileHandle {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: url.path, contents: header.map { Data(($0 + "\n").utf8) }) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
            }
            let h = try FileHandle(forWritingTo: url)
            h.seekToEndOfFile()
            return h
        }
        rounds = try open("rounds.csv", header: Self.roundColumns.joined(separator: ","))
        market = try open("market.csv", header: Self.marketColumns.joined(separator: ","))
        events = try open("events.jsonl", header: nil)
    }

    /// One row of rounds.csv; `values` in `roundColumns` order.
    func roundRow(_ values: [String]) { rounds.write(Data((values.joined(separator: ",") + "\n").utf8)) }

    func marketRow(_ values: [String]) { market.write(Data((values.joined(separator: ",") + "\n").utf8)) }

    /// One message hop: who sent it, what, for which round, how large.
    func event(sender: String, type: String, round: Int, bytes: Int, to: String? = nil, step: Int? = nil) {
        var line = "{\"t\":\(fmt(Date().timeIntervalSince(start), 6)),\"sender\":\"\(sender)\",\"type\":\"\(type)\",\"round\":\(round),\"bytes\":\(bytes)"
        if let to { line += ",\"to\":\"\(to)\"" }
        if let step { line += ",\"step\":\(step)" }
        events.write(Data((line + "}\n").utf8))
    }

    func writeJSON(_ name: String, _ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: directory.appendingPathComponent(name))
    }

    func close() {
        rounds.closeFile()
        market.closeFile()
        events.closeFile()
    }
}

/// A number with `digits` decimals, or "" for nil/NaN (an empty CSV cell).
func fmt(_ x: Double?, _ digits: Int = 6) -> String {
    guard let x, x.isFinite else { return "" }
    return String(format: "%.\(digits)f", x)
}

/// Full precision for CSV cells that are compared in tests (qualities, caps, revenues).
func exact(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "" }
    return "\(x)"
}
