/// Placeholder until implemented.
enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "(not yet implemented)"
    static let help = "oligopoly bench: not yet implemented"
    static func run(_ argv: [String]) throws -> Int32 { throw UsageError("not yet implemented") }
}
