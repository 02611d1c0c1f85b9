import Foundation

/// A command-line usage error: one line naming the flag and the bad value. Exit code 2.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// The hand-written flag parser shared by every subcommand.
///
/// Flags are `--name value` or `--name=value`; booleans are `--name`. Anything not
/// starting with `--` is positional. Every flag a command reads must be declared, so an
/// unknown or misspelt flag is an error naming it, never silently ignored.
public struct Arguments {
    public private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
    private var switches: Set<String> = []
    public let wantsHelp: Bool

    /// - Parameters:
    ///   - options: flags that take a value.
    ///   - flags: boolean flags.
    public init(_ argv: [String], options: Set<String>, flags: Set<String> = []) throws {
        var help = false
        var i = 0
        while i < argv.count {
            let arg = argv[i]
            i += 1
            if arg == "--help" || arg == "-h" { help = true; continue }
            guard arg.hasPrefix("--"), arg.count > 2 else { positionals.append(arg); continue }
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if flags.contains(name) {
                if inline != nil { throw UsageError("--\(name) takes no value") }
                switches.insert(name)
            } else if options.contains(name) {
                if values[name] != nil { throw UsageError("--\(name) given twice") }
                if let inline { values[name] = inline; continue }
                guard i < argv.count else { throw UsageError("--\(name) needs a value") }
                values[name] = argv[i]
                i += 1
            } else {
                throw UsageError("unknown flag --\(name) (see --help)")
            }
        }
        wantsHelp = help
    }

    public func flag(_ name: String) -> Bool { switches.contains(name) }

    public func string(_ name: String) -> String? { values[name] }

    public func int(_ name: String, range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let raw = values[name] else { return nil }
        guard let v = Int(raw) else { throw UsageError("--\(name): '\(raw)' is not an integer") }
        if let range, !range.contains(v) {
            throw UsageError("--\(name): \(v) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    /// A finite number, optionally restricted to a closed range.
    public func double(_ name: String, range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let raw = values[name] else { return nil }
        return try Arguments.parseNumber(raw, flag: name, range: range)
    }

    /// A comma-separated list of finite numbers, each optionally within `range`.
    public func doubles(_ name: String, range: ClosedRange<Double>? = nil) throws -> [Double]? {
        guard let raw = values[name] else { return nil }
        let parts = raw.split(separator: ",", omittingEmptySubsequences: false)
        return try parts.map {
            try Arguments.parseNumber($0.trimmingCharacters(in: .whitespaces), flag: name, range: range)
        }
    }

    static func parseNumber(_ raw: String, flag: String, range: ClosedRange<Double>?) throws -> Double {
        guard let v = Double(raw), v.isFinite else {
            throw UsageError("--\(flag): '\(raw)' is not a finite number")
        }
        if let range, !range.contains(v) {
            throw UsageError("--\(flag): \(raw) is outside [\(range.lowerBound), \(range.upperBound)]")
        }
        return v
    }

    /// Exactly `count` positionals, or a usage error naming what is missing or extra.
    public func requirePositionals(_ names: [String]) throws -> [String] {
        if positionals.count < names.count {
            throw UsageError("missing \(names[positionals.count]) (see --help)")
        }
        if positionals.count > names.count {
            throw UsageError("unexpected argument '\(positionals[names.count])' (see --help)")
        }
        return positionals
    }
}
