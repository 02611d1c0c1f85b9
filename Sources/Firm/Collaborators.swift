/// The other firms, as seen by a firm taking a collaborative step: they evaluate its
/// model on their own data and send back gradients. Split in two so the firm can
/// compute its own gradient while the helpers compute theirs.
public protocol Collaborators: AnyObject {
    /// Sends the current parameters to every helper for `step`.
    func requestGradients(step: Int, parameters: [Float]) throws
    /// Waits for every helper's gradient of `step`, adds them into `sum`, and returns how
    /// many were added.
    func awaitGradients(step: Int, into sum: inout [Float]) throws -> Int
}
