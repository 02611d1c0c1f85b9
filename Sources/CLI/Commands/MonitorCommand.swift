/// Placeholder until implemented.
enum MonitorCommand: Command {
    static let name = "monitor"
    static let summary = "(not yet implemented)"
    static let help = "oligopoly monitor: not yet implemented"
    static func run(_ argv: [String]) throws -> Int32 { throw UsageError("not yet implemented") }
}
