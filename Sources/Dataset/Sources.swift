import Foundation

/// Which data set a run uses. Fashion-MNIST has the same file names and IDX format as MNIST.
public enum DatasetKind: String, Sendable, CaseIterable {
    case mnist
    case fashionMNIST = "fashion-mnist"

    /// The directory used when neither `--data` nor the environment names one,
    /// relative to the current directory: data/mnist or data/fashion-mnist.
    public var defaultDirectory: String { "data/\(rawValue)" }

    /// The environment variable naming the directory: MNIST_DIR or FASHION_MNIST_DIR.
    public var environmentVariable: String {
        switch self {
        case .mnist: "MNIST_DIR"
        case .fashionMNIST: "FASHION_MNIST_DIR"
        }
    }

    public var displayName: String {
        switch self {
        case .mnist: "MNIST"
        case .fashionMNIST: "Fashion-MNIST"
        }
    }
}

public enum Split: String, Sendable, CaseIterable {
    case train, test

    /// The base names (without .gz) of the split's files.
    public var imagesFile: String { self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte" }
    public var labelsFile: String { self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte" }
}

public enum DataDirectory {
    /// The four base names every data directory must hold, each raw or with .gz.
    public static let requiredFiles: [String] =
        Split.allCases.flatMap { [$0.imagesFile, $0.labelsFile] }

    /// `--data DIR`, else $MNIST_DIR, else data/mnist (relative to the current directory). Throws a one-line DataError naming the directory and which files are missing.
    /// For `kind: .fashionMNIST` the variable is $FASHION_MNIST_DIR and the default data/fashion-mnist.
    /// An empty flag or variable counts as unset; relative paths are taken from `currentDirectory`.
    public static func resolve(flag: String?, environment: [String: String], currentDirectory: URL,
                               kind: DatasetKind = .mnist) throws -> URL {
        let path: String
        let origin: String
        if let flag, !flag.isEmpty {
            (path, origin) = (flag, "from --data")
        } else if let env = environment[kind.environmentVariable], !env.isEmpty {
            (path, origin) = (env, "from $\(kind.environmentVariable)")
        } else {
            (path, origin) = (kind.defaultDirectory, "the default")
        }
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path, isDirectory: true)
            : currentDirectory.appendingPathComponent(path, isDirectory: true)
        let hint = "run scripts/setup-data.sh or pass --data DIR"

        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw DataError("\(kind.displayName) data directory \(url.path) (\(origin)) does not exist; \(hint)")
        }
        guard isDir.boolValue else {
            throw DataError("\(kind.displayName) data directory \(url.path) (\(origin)) is not a directory; \(hint)")
        }
        let missing = requiredFiles.filter { locate($0, in: url) == nil }
        guard missing.isEmpty else {
            let list = missing.map { "\($0)[.gz]" }.joined(separator: ", ")
            throw DataError("\(kind.displayName) data directory \(url.path) (\(origin)) is missing \(list); \(hint)")
        }
        return url
    }

    /// `dir/base` if it exists, else `dir/base.gz`, else nil.
    public static func locate(_ base: String, in directory: URL) -> URL? {
        for name in [base, base + ".gz"] {
            let url = directory.appendingPathComponent(name)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
                return url
            }
        }
        return nil
    }
}

public enum MNIST {
    /// Loads train or test split from a directory holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] (accept both with and without .gz; Fashion-MNIST uses the same names).
    /// Images must be 28x28 (MNIST-shaped).
    public static func load(_ split: Split, from directory: URL) throws -> ImageSet {
        try load(split, from: directory, shape: (28, 28))
    }

    /// As `load(_:from:)`, with the image shape required (`nil`: any rows, cols > 0).
    public static func load(_ split: Split, from directory: URL, shape: (rows: Int, cols: Int)?) throws -> ImageSet {
        func find(_ base: String) throws -> URL {
            guard let url = DataDirectory.locate(base, in: directory) else {
                throw DataError("data directory \(directory.path) is missing \(base)[.gz]")
            }
            return url
        }
        let imagesURL = try find(split.imagesFile)
        let labelsURL = try find(split.labelsFile)
        let images = try IDX.readImages(at: imagesURL)
        if let shape, images.rows != shape.rows || images.cols != shape.cols {
            throw DataError("\(imagesURL.lastPathComponent): images are \(images.rows)x\(images.cols), expected \(shape.rows)x\(shape.cols) for MNIST-shaped data")
        }
        let labels = try IDX.readLabels(at: labelsURL)
        guard labels.count == images.count else {
            throw DataError("\(imagesURL.lastPathComponent) has \(images.count) images but \(labelsURL.lastPathComponent) has \(labels.count) labels (in \(directory.path))")
        }
        return ImageSet(count: images.count, rows: images.rows, cols: images.cols,
                        pixels: images.pixels, labels: labels)
    }
}
