import Dataset
import Foundation
import Testing

@Suite("Data directory and MNIST loader")
struct LoaderTests {
    @Test func loadsGzipAndRawDirectories() throws {
        for gzip in [true, false] {
            try withTempDir { dir in
                try writeDataSet(in: dir, train: 30, test: 10, gzip: gzip)
                let train = try MNIST.load(.train, from: dir)
                let test = try MNIST.load(.test, from: dir)
                #expect(train.count == 30 && test.count == 10)
                #expect(train.rows == 28 && train.cols == 28)
                #expect(train.pixels == fixtureImages(30))
                #expect(test.labels == fixtureLabels(10))
            }
        }
    }

    @Test func countsDisagreeNamesBothFiles() throws {
        try withTempDir { dir in
            try writeDataSet(in: dir)
            try write(Gzip.compress(IDX.encodeLabels(fixtureLabels(29))), to: dir, "train-labels-idx1-ubyte.gz")
            let e = try #require(dataError { _ = try MNIST.load(.train, from: dir) })
            #expect(e.description.hasPrefix("train-images-idx3-ubyte.gz has 30 images but train-labels-idx1-ubyte.gz has 29 labels"))
        }
    }

    @Test func nonMNISTShapeRejectedUnlessAsked() throws {
        try withTempDir { dir in
            try writeDataSet(in: dir)
            try write(IDX.encodeImages(count: 10, rows: 4, cols: 5, pixels: fixtureImages(10, rows: 4, cols: 5)),
                      to: dir, "t10k-images-idx3-ubyte")
            // The raw file is preferred over the .gz of the same name.
            let e = try #require(dataError { _ = try MNIST.load(.test, from: dir) })
            #expect(e.description == "t10k-images-idx3-ubyte: images are 4x5, expected 28x28 for MNIST-shaped data")
            let any = try MNIST.load(.test, from: dir, shape: nil)
            #expect(any.rows == 4 && any.cols == 5 && any.count == 10)
        }
    }

    @Test func resolveOrderFlagThenEnvironmentThenDefault() throws {
        try withTempDir { root in
            for sub in ["flag", "env", "data/mnist", "data/fashion-mnist"] {
                let d = root.appendingPathComponent(sub)
                try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
                try writeDataSet(in: d, train: 2, test: 1)
            }
            let env = ["MNIST_DIR": root.appendingPathComponent("env").path]
            #expect(try DataDirectory.resolve(flag: "flag", environment: env, currentDirectory: root).lastPathComponent == "flag")
            #expect(try DataDirectory.resolve(flag: nil, environment: env, currentDirectory: root).lastPathComponent == "env")
            #expect(try DataDirectory.resolve(flag: "", environment: ["MNIST_DIR": ""], currentDirectory: root).path
                    == root.appendingPathComponent("data/mnist").path)
            #expect(try DataDirectory.resolve(flag: nil, environment: env, currentDirectory: root, kind: .fashionMNIST).path
                    == root.appendingPathComponent("data/fashion-mnist").path)
        }
    }

    @Test func missingDirectoryNamesIt() throws {
        try withTempDir { root in
            let e = try #require(dataError {
                _ = try DataDirectory.resolve(flag: nil, environment: [:], currentDirectory: root)
            })
            let expected = root.appendingPathComponent("data/mnist").path
            #expect(e.description.hasPrefix("MNIST data directory \(expected) (the default) does not exist"))
            let e2 = try #require(dataError {
                _ = try DataDirectory.resolve(flag: nil, environment: ["MNIST_DIR": "/nonexistent/mnist"], currentDirectory: root)
            })
            #expect(e2.description.hasPrefix("MNIST data directory /nonexistent/mnist (from $MNIST_DIR) does not exist"))
        }
    }

    @Test func missingFilesAreListed() throws {
        try withTempDir { root in
            try writeDataSet(in: root)
            try FileManager.default.removeItem(at: root.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
            try FileManager.default.removeItem(at: root.appendingPathComponent("train-images-idx3-ubyte.gz"))
            let e = try #require(dataError {
                _ = try DataDirectory.resolve(flag: root.path, environment: [:], currentDirectory: URL(fileURLWithPath: "/"))
            })
            #expect(e.description.hasPrefix("MNIST data directory \(root.path) (from --data) is missing train-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"))
            #expect(!e.description.contains("train-labels"))
            let e2 = try #require(dataError { _ = try MNIST.load(.test, from: root) })
            #expect(e2.description == "data directory \(root.path) is missing t10k-labels-idx1-ubyte[.gz]")
        }
    }

    @Test func subsetGathersImagesAndLabels() {
        let set = ImageSet(count: 4, rows: 1, cols: 2, pixels: [0, 1, 10, 11, 20, 21, 30, 31], labels: [3, 7, 1, 9])
        let s = set.subset([2, 0, 2])
        #expect(s.count == 3 && s.rows == 1 && s.cols == 2)
        #expect(s.pixels == [20, 21, 0, 1, 20, 21])
        #expect(s.labels == [1, 3, 1])
        #expect(Array(set.image(3)) == [30, 31])
        #expect(set.labelCDF(at: 5) == 0.5)
    }
}
