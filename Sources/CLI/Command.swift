import Foundation
import Runtime

/// One subcommand of `oligopoly`: a name, a help text and one `run`.
public protocol Command {
    static var name: String { get }
    /// One line for the top-level listing.
    static var summary: String { get }
    /// The full `--help` text.
    static var help: String { get }
    /// Runs with the arguments after the subcommand name; returns the exit code.
    static func run(_ argv: [String]) throws -> Int32
    /// Commands with sub-commands print the help of the sub-command themselves.
    static var handlesOwnHelp: Bool { get }
}

extension Command {
    static var handlesOwnHelp: Bool { false }
}

/// Writes a line to standard error.
func printError(_ message: String) { Runtime.log(message) }

public enum CLI {
    /// Every subcommand; `oligopoly --help` lists them in this order.
    static let commands: [any Command.Type] = [
        RunCommand.self, BrokerCommand.self, FirmCommand.self, MonitorCommand.self,
        MarketCommand.self, ReportCommand.self, BenchCommand.self,
    ]

    static var usage: String {
        var s = "usage: oligopoly <command> [options]   (oligopoly <command> --help for details)\n\ncommands:\n"
        for c in commands { s += "  " + c.name.padding(toLength: 10, withPad: " ", startingAt: 0) + c.summary + "\n" }
        return s
    }

    public static func main() -> Never {
        let argv = Array(CommandLine.arguments.dropFirst())
        guard let first = argv.first else { printError(usage); exit(2) }
        if first == "--help" || first == "-h" || first == "help" { print(usage, terminator: ""); exit(0) }
        guard let command = commands.first(where: { $0.name == first }) else {
            printError("oligopoly: unknown command '\(first)'\n" + usage)
            exit(2)
        }
        let rest = Array(argv.dropFirst())
        if !command.handlesOwnHelp, rest.contains("--help") || rest.contains("-h") { print(command.help); exit(0) }
        do {
            exit(try command.run(rest))
        } catch let error as UsageError {
            printError("oligopoly \(command.name): \(error.description)")
            exit(2)
        } catch {
            printError("oligopoly \(command.name): \(error)")
            exit(1)
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so progress reaches a pipe
/// or a terminal as it happens.
func emit(_ line: String) { Runtime.say(line) }
