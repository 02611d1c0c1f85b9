/// Placeholder until implemented.
enum RunCommand: Command {
    static let name = "run"
    static let summary = "(not yet implemented)"
    static let help = "oligopoly run: not yet implemented"
    static func run(_ argv: [String]) throws -> Int32 { throw UsageError("not yet implemented") }
}
