/// The market of the paper: consumers with taste θ ~ U[0,1] buy the product that
/// maximises θq − p (or nothing, utility 0); firms compete on price given their
/// qualities (Bertrand–Nash). Everything here is a pure function of qualities in [0,1].
///
/// All arrays are in input order: index i is firm i, whatever its rank.
public enum Market {
    /// Equilibrium prices, demands and revenues, in input order.
    public struct Equilibrium: Sendable, Equatable {
        public let prices: [Double]
        public let demands: [Double]
        public let revenues: [Double]
        public init(prices: [Double], demands: [Double], revenues: [Double]) {
            self.prices = prices
            self.demands = demands
            self.revenues = revenues
        }
    }

    /// How the cap on a firm's quality is computed in a round.
    public enum CapPolicy: String, Sendable, CaseIterable {
        /// The exact N-firm cap: no firm's revenue falls below its round-start value.
        case exact
        /// The duopoly cap against each higher-ranked firm, ignoring third firms (for study;
        /// NOT safe for three or more firms).
        case duopolyPairwise = "duopoly-pairwise"
    }

    /// What a cap means.
    public enum CapStatus: String, Sendable {
        /// A regular cap.
        case ok
        /// The duopoly high firm's quality fell, no point keeps its revenue; the low firm stays put.
        case infeasible
        /// Some firm's revenue is already below its round-start value at the mover's current quality.
        case startInfeasible = "start-infeasible"
        /// Every round-start revenue was 0: nobody can lose, the cap is the next higher quality.
        case noRevenueBefore = "no-revenue-before"
        /// The top firm improves freely (cap 1).
        case top
    }

    /// A cap on one firm's quality for this round.
    public struct Cap: Sendable, Equatable {
        /// The highest quality the firm may reach this round.
        public let value: Double
        public let status: CapStatus
        /// The firm (input index) whose revenue constraint binds at the cap, if any.
        public let bindingFirm: Int?
        public init(value: Double, status: CapStatus, bindingFirm: Int?) {
            self.value = value
            self.status = status
            self.bindingFirm = bindingFirm
        }
    }

    /// A Nash bargaining solution: qualities and revenues in input order.
    public struct Bargaining: Sendable, Equatable {
        public let qualities: [Double]
        public let revenues: [Double]
        /// Whether the protocol (qualities only rise, ratio only rises) can reach it from the start.
        public let reachable: Bool
        public init(qualities: [Double], revenues: [Double], reachable: Bool) {
            self.qualities = qualities
            self.revenues = revenues
            self.reachable = reachable
        }
    }
}
