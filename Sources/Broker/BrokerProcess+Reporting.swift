import Foundation
import Market
import Runtime

extension BrokerProcess {
    /// ρ of the firm ranked second against the top firm (for N = 2 the paper's ρ = q_l/q_h),
    /// and the same ratio of the Nash bargaining targets.
    func rho(_ q: [Double]) -> (rho: Double?, rhoStar: Double?) {
        guard q.count >= 2, let scheme else { return (nil, nil) }
        let order = DefectionFreeScheme.ranking(q)
        let top = order[0], second = order[1]
        let rho = q[top] > 0 ? q[second] / q[top] : nil
        let star = scheme.targets[top] > 0 ? scheme.targets[second] / scheme.targets[top] : nil
        return (rho, star)
    }

    /// Appends the round's rows to rounds.csv and market.csv.
    func record(round: Int, roundStart: [Double], permissions: [Int: DefectionFreeScheme.Permission],
                phase: [Int: PhaseResult], decisionMs: Double, roundSeconds: Double, decreases: [Bool]? = nil) {
        lastRecorded = (qualities, rawQualities)
        let eq = Market.equilibrium(qualities: qualities)
        let ranks = DefectionFreeScheme.ranks(qualities)
        let roundRanks = DefectionFreeScheme.ranks(roundStart)
        for i in ids.indices {
            let p = permissions[i]
            let isTop = round > 0 && roundRanks[i] == 1
            let status = isTop ? "top" : (p?.marketCap.status.rawValue ?? "")
            let binding = p?.marketCap.bindingFirm.map { ids.indices.contains($0) ? ids[$0] : "\($0)" } ?? ""
            recorder.roundRow([
                "\(round)", ids[i], "\(ranks[i])", exact(qualities[i]), exact(rawQualities[i]),
                exact(eq.prices[i]), exact(eq.demands[i]), exact(eq.revenues[i]),
                exact(p?.effectiveCap), (isTop || p?.permitted == true) ? "1" : "0",
                "\(phase[i]?.tried ?? 0)", "\(phase[i]?.accepted ?? 0)", (decreases?[i] ?? false) ? "1" : "0",
                exact(scheme?.targets[i]), status, binding, p?.reason ?? "", "\(evaluations[i])",
            ])
        }
        let (r, rs) = rho(qualities)
        let results = Array(phase.values)
        let nash = round == 0 ? 0 : Market.nashProduct(qualities: qualities, start: startQualities)
        recorder.marketRow([
            "\(round)", exact(r), exact(rs), exact(nash), fmt(decisionMs, 3), fmt(roundSeconds, 3),
            fmt(results.reduce(0) { $0 + $1.train }, 3), fmt(results.reduce(0) { $0 + $1.eval }, 3),
            fmt(results.reduce(0) { $0 + $1.wait }, 3), "\(messageCount)", "\(byteCount)",
        ])
    }

    func progressLine(round: Int, permissions: [Int: DefectionFreeScheme.Permission], phases: [Int: PhaseResult],
                      seconds: Double, broken: [String]) -> String {
        let revenues = Market.revenues(qualities: qualities)
        var s = "round \(round)/\(topology.rounds)"
        for i in ids.indices {
            s += "  \(ids[i]) q=\(fmt(qualities[i], 4)) R=\(fmt(revenues[i], 5))"
            if let p = phases[i] { s += " steps \(p.accepted)/\(p.tried)" }
            if let p = permissions[i] {
                s += p.permitted ? " cap=\(fmt(p.effectiveCap, 4))" : " (held: \(p.reason ?? ""))"
            }
        }
        let (r, rs) = rho(qualities)
        s += "  rho=\(fmt(r, 4))/\(fmt(rs, 4))  \(fmt(seconds, 2)) s  [\(fmt(Runtime.now() - startTime, 0)) s]"
        if !broken.isEmpty { s += "  VIOLATION: " + broken.joined(separator: "; ") }
        return s
    }

    func writeSummary(status: String) {
        let revenues = Market.revenues(qualities: qualities)
        let startRevenues = startQualities.isEmpty ? revenues : Market.revenues(qualities: startQualities)
        let (r, rs) = rho(qualities)
        var firms: [[String: Any]] = []
        for i in ids.indices {
            firms.append([
                "id": ids[i], "pid": pids[i],
                "start_quality": startQualities.isEmpty ? NSNull() : startQualities[i],
                "final_quality": qualities[i], "final_raw_quality": rawQualities[i],
                "start_revenue": startRevenues[i], "final_revenue": revenues[i],
                "target_quality": scheme.map { $0.targets[i] as Any } ?? NSNull(),
                "steps_tried": stepsTried[i], "steps_accepted": stepsAccepted[i],
                "evaluations": evaluations[i], "peak_rss_bytes": peakRSS[i],
            ])
        }
        let summary: [String: Any] = [
            "topology": topology.name, "status": status,
            "rounds_planned": topology.rounds, "rounds_completed": roundsDone,
            "cap_policy": topology.capPolicy, "scheme": topology.scheme,
            "top_quality": ["value": topQuality, "source": topQualitySource],
            "nash_target_reachable": scheme?.reachable as Any? ?? NSNull(),
            "rho": r as Any? ?? NSNull(), "rho_star": rs as Any? ?? NSNull(),
            "nash_product": startQualities.isEmpty ? 0 : Market.nashProduct(qualities: qualities, start: startQualities),
            "revenue_decreases": revenueDecreaseCount,
            "invariant_violations": violations,
            "firms": firms,
            "processes": [["name": "broker", "pid": Int(getpid()), "peak_rss_bytes": Runtime.peakResidentBytes()]]
                + ids.indices.map { ["name": "firm \(ids[$0])", "pid": pids[$0], "peak_rss_bytes": peakRSS[$0]] as [String: Any] },
            "messages": messageCount, "bytes": byteCount,
            "wall_s": Runtime.now() - startTime,
        ]
        do { try recorder.writeJSON("summary.json", summary) } catch {
            Runtime.log("broker: could not write summary.json: \(error)")
        }
    }

    func summaryTable(status: String) -> String {
        let revenues = Market.revenues(qualities: qualities)
        let startRevenues = startQualities.isEmpty ? revenues : Market.revenues(qualities: startQualities)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var out = "\nrun \(topology.name): \(status) after \(roundsDone) of \(topology.rounds) rounds in \(fmt(Runtime.now() - startTime, 1)) s\n"
        out += "firm".padding(toLength: 10, withPad: " ", startingAt: 0)
            + [pad("q start", 9), pad("q final", 9), pad("target", 9), pad("R start", 10), pad("R final", 10),
               pad("accepted/tried", 16), pad("evals", 7), pad("peak MiB", 9)].joined() + "\n"
        for i in ids.indices {
            out += ids[i].padding(toLength: 10, withPad: " ", startingAt: 0)
            out += pad(fmt(startQualities.isEmpty ? nil : startQualities[i], 4), 9) + pad(fmt(qualities[i], 4), 9)
            out += pad(fmt(scheme?.targets[i], 4), 9) + pad(fmt(startRevenues[i], 5), 10) + pad(fmt(revenues[i], 5), 10)
            out += pad("\(stepsAccepted[i])/\(stepsTried[i])", 16) + pad("\(evaluations[i])", 7)
            out += pad(fmt(Double(peakRSS[i]) / 1_048_576, 1), 9) + "\n"
        }
        let (r, rs) = rho(qualities)
        out += "rho = \(fmt(r, 4)) (target \(fmt(rs, 4)));  revenue decreases: \(revenueDecreaseCount);  invariant violations: \(violations.count);  messages: \(messageCount) (\(fmt(Double(byteCount) / 1_048_576, 1)) MiB)\n"
        out += "run directory: \(options.runDirectory.path)"
        return out
    }
}
