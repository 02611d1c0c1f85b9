import Dataset
import Foundation
import Learning
import Topology

/// What one firm holds: its own training shard (never sent anywhere) and the target set
/// on which its quality is measured. Images are normalised once, here.
public struct FirmData: Sendable {
    public let shardImages: [Float]
    public let shardLabels: [UInt8]
    public let targetImages: [Float]
    public let targetLabels: [UInt8]

    public var shardSize: Int { shardLabels.count }
    public var targetSize: Int { targetLabels.count }

    public init(shardImages: [Float], shardLabels: [UInt8], targetImages: [Float], targetLabels: [UInt8]) {
        self.shardImages = shardImages
        self.shardLabels = shardLabels
        self.targetImages = targetImages
        self.targetLabels = targetLabels
    }

    /// Loads the data set from `directory`, draws every firm's shard from the topology's
    /// seed (so all processes agree and the shards are disjoint) and keeps firm `index`'s.
    public static func load(topology: Topology, firmIndex index: Int, directory: URL) throws -> FirmData {
        let train = try MNIST.load(.train, from: directory)
        let test = try MNIST.load(.test, from: directory)
        let specs = topology.firms.map { ShardSpec(size: $0.shardSize, lowLabelFraction: $0.lowLabelFraction) }
        let shards = try Shards.draw(labels: train.labels, specs: specs, seed: topology.seed)
        let shard = train.subset(shards[index])
        let targetCount = topology.training.targetSize == 0 ? test.count : min(topology.training.targetSize, test.count)
        let target = targetCount == test.count ? test : test.subset(Array(0..<targetCount))
        return FirmData(shardImages: normalise(pixels: shard.pixels), shardLabels: shard.labels,
                        targetImages: normalise(pixels: target.pixels), targetLabels: target.labels)
    }
}
