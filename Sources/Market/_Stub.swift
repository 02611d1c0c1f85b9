// TEMPORARY stub matching the agreed API; replaced by the real model at merge.
public enum Market {
    public struct Equilibrium: Sendable, Equatable { public let prices: [Double]; public let demands: [Double]; public let revenues: [Double] }
    public static func equilibrium(qualities: [Double]) -> Equilibrium { Equilibrium(prices: qualities, demands: qualities, revenues: qualities) }
    public static func revenues(qualities: [Double]) -> [Double] { qualities }
    public static func ratioCap(a: Double, b: Double) -> Double { a }
    public enum CapPolicy: String, Sendable, CaseIterable { case exact; case duopolyPairwise = "duopoly-pairwise" }
    public enum CapStatus: String, Sendable { case ok, infeasible, startInfeasible = "start-infeasible", noRevenueBefore = "no-revenue-before", top }
    public struct Cap: Sendable, Equatable { public let value: Double; public let status: CapStatus; public let bindingFirm: Int? }
    public static func cap(firm: Int, previous: [Double], current: [Double], policy: CapPolicy) -> Cap { Cap(value: current[firm] + 0.01, status: .ok, bindingFirm: nil) }
    public struct Bargaining: Sendable, Equatable { public let qualities: [Double]; public let revenues: [Double]; public let reachable: Bool }
    public static func nashBargaining(start: [Double], top: Double) -> Bargaining { Bargaining(qualities: start.map { _ in 0.4 }, revenues: start, reachable: true) }
    public static func nashProduct(qualities: [Double], start: [Double]) -> Double { 0 }
}
