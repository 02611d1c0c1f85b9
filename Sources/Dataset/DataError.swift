import Foundation

/// Every failure of the data module: one line that names the file or directory and
/// what is wrong with it, fit to print as is.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    /// Line breaks are folded into spaces, so the description is always one line.
    public init(_ description: String) {
        self.description = description
            .split(whereSeparator: \.isNewline)
            .joined(separator: " ")
    }
}
