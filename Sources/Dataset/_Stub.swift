// TEMPORARY stub matching the agreed API; replaced by the real reader at merge.
import Foundation
public struct DataError: Error, CustomStringConvertible, Equatable { public let description: String }
public struct ImageSet: Sendable { public let count: Int; public let rows: Int; public let cols: Int; public let pixels: [UInt8]; public let labels: [UInt8]
    public func subset(_ indices: [Int]) -> ImageSet { ImageSet(count: indices.count, rows: rows, cols: cols, pixels: indices.flatMap { Array(pixels[($0*784)..<($0*784+784)]) }, labels: indices.map { labels[$0] }) } }
public enum DatasetKind: String, Sendable, CaseIterable { case mnist; case fashionMNIST = "fashion-mnist" }
public enum Split: String, Sendable { case train, test }
public enum DataDirectory { public static func resolve(flag: String?, environment: [String: String], currentDirectory: URL) throws -> URL { URL(fileURLWithPath: flag ?? "data/mnist") } }
public enum MNIST { public static func load(_ split: Split, from directory: URL) throws -> ImageSet { let n = split == .train ? 6000 : 1000; return ImageSet(count: n, rows: 28, cols: 28, pixels: [UInt8](repeating: 3, count: n*784), labels: (0..<n).map { UInt8($0 % 10) }) } }
public struct ShardSpec: Sendable, Equatable { public var size: Int; public var lowLabelFraction: Double; public init(size: Int, lowLabelFraction: Double) { self.size = size; self.lowLabelFraction = lowLabelFraction } }
public enum Shards { public static func draw(labels: [UInt8], specs: [ShardSpec], seed: UInt64) throws -> [[Int]] { var s = 0; return specs.map { sp in defer { s += sp.size }; return Array(s..<(s+sp.size)) } } }
