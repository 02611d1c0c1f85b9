import Foundation
import Market

/// `oligopoly market`: the market model by hand — equilibrium, caps, bargaining, B(a, b).
enum MarketCommand: Command {
    static let name = "market"
    static let handlesOwnHelp = true
    static let summary = "market model: equilibrium, quality caps, Nash bargaining, B(a,b)"

    static let equilibriumHelp = """
        usage: oligopoly market equilibrium --q Q [--json]
          Bertrand-Nash prices p, demands D and revenues R, in input order.
          --q Q     comma-separated qualities in [0,1], e.g. 0.1,0.3,0.6
          --json    print {"p": [...], "D": [...], "R": [...]}
        """
    static let capHelp = """
        usage: oligopoly market cap --prev Q --cur Q --firm I [--policy exact|duopoly-pairwise] [--json]
          Cap on firm I's quality this round (I is 0-based: the position in --prev/--cur),
          from round-start qualities --prev and current --cur.
          --policy  exact (default; no firm's revenue falls below its round-start value) or
                    duopoly-pairwise (duopoly cap against each higher firm; NOT safe for N >= 3)
          --json    print {"cap": x, "status": "...", "binding_firm": i or null}
        """
    static let nbsHelp = """
        usage: oligopoly market nbs --q0 Q [--top T] [--json]
          Nash bargaining solution from start qualities Q, top firm at T (default 1).
          --json    print {"q_star": [...], "R_star": [...], "reachable": bool}
        """
    static let bHelp = """
        usage: oligopoly market b --a A --b B [--json]
          Stable duopoly ratio cap B(a,b), a = q_l/q_h before the round, b = q_h,t/q_h,t-1.
          --json    print {"B": x}
        """

    static let help = """
        usage: oligopoly market <equilibrium|cap|nbs|b> [options]

        """ + [equilibriumHelp, capHelp, nbsHelp, bHelp].joined(separator: "\n")

    static func run(_ argv: [String]) throws -> Int32 {
        guard let sub = argv.first else { throw UsageError("missing sub-command: equilibrium, cap, nbs or b (see --help)") }
        let rest = Array(argv.dropFirst())
        switch sub {
        case "equilibrium": return try equilibrium(rest)
        case "cap": return try cap(rest)
        case "nbs": return try nbs(rest)
        case "b": return try ratio(rest)
        case "--help", "-h", "help": print(help); return 0
        default: throw UsageError("unknown sub-command '\(sub)' (equilibrium, cap, nbs, b)")
        }
    }

    // MARK: sub-commands

    static func equilibrium(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["q"], flags: ["json"])
        if args.wantsHelp { print(equilibriumHelp); return 0 }
        _ = try args.requirePositionals([])
        let q = try required(args.doubles("q", range: 0...1), "q")
        let e = Market.equilibrium(qualities: q)
        if args.flag("json") {
            print("{\"p\": \(json(e.prices)), \"D\": \(json(e.demands)), \"R\": \(json(e.revenues))}")
        } else {
            print(table(["firm", "q", "p", "D", "R"],
                        q.indices.map { ["\($0)", "\(q[$0])", "\(e.prices[$0])", "\(e.demands[$0])", "\(e.revenues[$0])"] }))
        }
        return 0
    }

    static func cap(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["prev", "cur", "firm", "policy"], flags: ["json"])
        if args.wantsHelp { print(capHelp); return 0 }
        _ = try args.requirePositionals([])
        let prev = try required(args.doubles("prev", range: 0...1), "prev")
        let cur = try required(args.doubles("cur", range: 0...1), "cur")
        guard prev.count == cur.count else {
            throw UsageError("--prev has \(prev.count) qualities but --cur has \(cur.count)")
        }
        let firm = try required(args.int("firm", range: 0...(cur.count - 1)), "firm")
        let policyName = args.string("policy") ?? "exact"
        guard let policy = Market.CapPolicy(rawValue: policyName) else {
            throw UsageError("--policy: '\(policyName)' is not exact or duopoly-pairwise")
        }
        let c = Market.cap(firm: firm, previous: prev, current: cur, policy: policy)
        let binding = c.bindingFirm.map { "\($0)" }
        if args.flag("json") {
            print("{\"cap\": \(c.value), \"status\": \"\(c.status.rawValue)\", \"binding_firm\": \(binding ?? "null")}")
        } else {
            print(table(["cap", "status", "binding firm"], [["\(c.value)", c.status.rawValue, binding ?? "-"]]))
        }
        return 0
    }

    static func nbs(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["q0", "top"], flags: ["json"])
        if args.wantsHelp { print(nbsHelp); return 0 }
        _ = try args.requirePositionals([])
        let q0 = try required(args.doubles("q0", range: 0...1), "q0")
        let top = try args.double("top", range: 0...1) ?? 1.0
        guard top > 0 else { throw UsageError("--top: must be > 0 (the best achievable top quality), got \(top)") }
        let b = Market.nashBargaining(start: q0, top: top)
        if args.flag("json") {
            print("{\"q_star\": \(json(b.qualities)), \"R_star\": \(json(b.revenues)), \"reachable\": \(b.reachable)}")
        } else {
            print(table(["firm", "q0", "q*", "R*"],
                        q0.indices.map { ["\($0)", "\(q0[$0])", "\(b.qualities[$0])", "\(b.revenues[$0])"] }))
            print("reachable: \(b.reachable)")
        }
        return 0
    }

    static func ratio(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["a", "b"], flags: ["json"])
        if args.wantsHelp { print(bHelp); return 0 }
        _ = try args.requirePositionals([])
        let a = try required(args.double("a", range: 0...1), "a")
        let b = try required(args.double("b"), "b")
        guard b > 0 else { throw UsageError("--b: \(b) must be positive") }
        let value = Market.ratioCap(a: a, b: b)
        if args.flag("json") { print("{\"B\": \(value)}") } else { print("B(\(a), \(b)) = \(value)") }
        return 0
    }

    // MARK: helpers

    static func required<T>(_ value: T?, _ flag: String) throws -> T {
        guard let value else { throw UsageError("missing --\(flag) (see --help)") }
        return value
    }

    /// A JSON array of doubles; Swift's description round-trips.
    static func json(_ xs: [Double]) -> String { "[" + xs.map { "\($0)" }.joined(separator: ", ") + "]" }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max()! }
        return all.map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
