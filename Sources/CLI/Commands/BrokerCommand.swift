/// Placeholder until implemented.
enum BrokerCommand: Command {
    static let name = "broker"
    static let summary = "(not yet implemented)"
    static let help = "oligopoly broker: not yet implemented"
    static func run(_ argv: [String]) throws -> Int32 { throw UsageError("not yet implemented") }
}
