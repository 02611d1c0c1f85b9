/// Placeholder until implemented.
enum MarketCommand: Command {
    static let name = "market"
    static let summary = "(not yet implemented)"
    static let help = "oligopoly market: not yet implemented"
    static func run(_ argv: [String]) throws -> Int32 { throw UsageError("not yet implemented") }
}
