import Foundation

/// One CSV row of final figures per run directory (from its summary.json), for sweeps:
/// one table that pandas reads for every N.
public enum RunReport {
    public static let columns = ["run", "topology", "firms", "seed", "cap_policy", "rounds", "status",
                                 "final_qualities", "final_revenues", "nash_product", "rho", "rho_star",
                                 "revenue_decreases", "rounds_with_decrease", "firms_losing_revenue",
                                 "max_relative_loss", "steps_accepted", "wall_s", "max_peak_rss_mib"]

    /// The row of one run; qualities and revenues are joined with ';' in firm order.
    public static func row(runDirectory dir: URL) throws -> [String] {
        let url = dir.appendingPathComponent("summary.json")
        guard let data = try? Data(contentsOf: url),
              let s = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MonitorError("\(url.path): missing or not JSON (did the run finish?)")
        }
        let topology = (try? Data(contentsOf: dir.appendingPathComponent("topology.json")))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        let firms = s["firms"] as? [[String: Any]] ?? []
        func num(_ v: Any?) -> String {
            guard let n = v as? NSNumber else { return "" }
            return String(cString: n.objCType) == "d" ? "\(n.doubleValue)" : "\(n)"
        }
        let losses = try revenueLosses(dir)
        let peak = (s["processes"] as? [[String: Any]] ?? []).compactMap { $0["peak_rss_bytes"] as? Int }.max() ?? 0
        return [
            dir.lastPathComponent, s["topology"] as? String ?? "", "\(firms.count)", num(topology["seed"]),
            s["cap_policy"] as? String ?? "", num(s["rounds_completed"]), (s["status"] as? String ?? "").replacingOccurrences(of: ",", with: ";"),
            firms.map { num($0["final_quality"]) }.joined(separator: ";"),
            firms.map { num($0["final_revenue"]) }.joined(separator: ";"),
            num(s["nash_product"]), num(s["rho"]), num(s["rho_star"]), num(s["revenue_decreases"]),
            "\(losses.rounds)", "\(losses.firms)", String(format: "%.6g", losses.maxRelative),
            "\(firms.compactMap { $0["steps_accepted"] as? Int }.reduce(0, +))",
            String(format: "%.1f", (s["wall_s"] as? Double) ?? 0), String(format: "%.1f", Double(peak) / 1_048_576),
        ]
    }

    /// From rounds.csv: rounds in which some firm's revenue decreased, how many distinct
    /// firms ever lost, and the largest relative loss in one round.
    static func revenueLosses(_ dir: URL) throws -> (rounds: Int, firms: Int, maxRelative: Double) {
        let url = dir.appendingPathComponent("rounds.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw MonitorError("\(url.path): cannot read") }
        let lines = text.split(separator: "\n")
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              let r = header.firstIndex(of: "round"), let f = header.firstIndex(of: "firm"),
              let rev = header.firstIndex(of: "revenue"), let dec = header.firstIndex(of: "revenue_decreased") else {
            throw MonitorError("\(url.path): not a rounds.csv")
        }
        var last: [String: Double] = [:]
        var rounds = Set<String>(), firms = Set<String>()
        var maxRelative = 0.0
        for line in lines.dropFirst() {
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard c.count == header.count, let revenue = Double(c[rev]) else { continue }
            if c[dec] == "1" {
                rounds.insert(c[r])
                firms.insert(c[f])
                if let before = last[c[f]], before > 0 { maxRelative = max(maxRelative, (before - revenue) / before) }
            }
            last[c[f]] = revenue
        }
        return (rounds.count, firms.count, maxRelative)
    }
}
