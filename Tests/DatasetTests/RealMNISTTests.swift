import Dataset
import Foundation
import Testing

/// The real MNIST files at ../shared/data/mnist from the repository's root (on every developer
/// machine and in CI). Missing data is a failure, never a silent skip.
@Suite("Real MNIST")
struct RealMNISTTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dataDir = repoRoot.appendingPathComponent("../shared/data/mnist").standardizedFileURL

    /// The directory, or a recorded failure saying where it was looked for.
    static func directory() -> URL? {
        do {
            return try DataDirectory.resolve(flag: dataDir.path, environment: [:], currentDirectory: repoRoot)
        } catch {
            Issue.record("real MNIST not found: \(error). Expected the shared data at ../shared/data/mnist from the repo root \(repoRoot.path)")
            return nil
        }
    }

    @Test func trainAndTestCountsShapesAndLabels() throws {
        guard let dir = Self.directory() else { return }
        let start = Date()
        let train = try MNIST.load(.train, from: dir)
        let test = try MNIST.load(.test, from: dir)
        let seconds = Date().timeIntervalSince(start)
        print("loaded MNIST train+test in \(String(format: "%.3f", seconds)) s")
        #expect(train.count == 60_000 && train.rows == 28 && train.cols == 28)
        #expect(train.pixels.count == 47_040_000)
        #expect(test.count == 10_000 && test.rows == 28 && test.cols == 28)
        #expect(Array(test.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        // The class-group sizes the duopoly draws from.
        let low = train.labels.filter { $0 <= 5 }.count
        #expect(low == 36_017)
        let shards = try Shards.draw(labels: train.labels, specs: [ShardSpec(size: 1000, lowLabelFraction: 0.8),
                                                                   ShardSpec(size: 1000, lowLabelFraction: 0.2)], seed: 1)
        let firms = shards.map { train.subset($0) }
        #expect(firms.map { $0.labelCDF(at: 5) } == [0.8, 0.2])
    }

    @Test func t10kLabelsMatchREADMEDigest() throws {
        guard let dir = Self.directory() else { return }
        let url = try #require(DataDirectory.locate("t10k-labels-idx1-ubyte", in: dir))
        let bytes = try IDX.contents(of: url)
        #expect(bytes.count == 10_008)
        #expect(sha256Hex(bytes) == "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")
    }

    @Test func sha256KnownAnswers() {
        #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
