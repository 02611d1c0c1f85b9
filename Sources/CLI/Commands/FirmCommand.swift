/// Placeholder until implemented.
enum FirmCommand: Command {
    static let name = "firm"
    static let summary = "(not yet implemented)"
    static let help = "oligopoly firm: not yet implemented"
    static func run(_ argv: [String]) throws -> Int32 { throw UsageError("not yet implemented") }
}
