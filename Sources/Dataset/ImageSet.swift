/// Images with their labels: `pixels` holds `count * rows * cols` bytes, row-major,
/// image after image; `labels[i]` is the digit (0...9) of image i.
public struct ImageSet: Sendable {
    public let count: Int
    public let rows: Int
    public let cols: Int
    public let pixels: [UInt8]
    public let labels: [UInt8]

    public init(count: Int, rows: Int, cols: Int, pixels: [UInt8], labels: [UInt8]) {
        precondition(count >= 0 && rows > 0 && cols > 0, "ImageSet: bad shape \(count)x\(rows)x\(cols)")
        precondition(pixels.count == count * rows * cols, "ImageSet: \(pixels.count) pixels for \(count) images of \(rows)x\(cols)")
        precondition(labels.count == count, "ImageSet: \(labels.count) labels for \(count) images")
        self.count = count
        self.rows = rows
        self.cols = cols
        self.pixels = pixels
        self.labels = labels
    }

    /// Bytes per image.
    public var imageSize: Int { rows * cols }

    /// The pixels of image `i`.
    public func image(_ i: Int) -> ArraySlice<UInt8> {
        pixels[(i * imageSize)..<((i + 1) * imageSize)]
    }

    /// The images at `indices`, in that order (a firm's shard). Indices must be in 0..<count.
    public func subset(_ indices: [Int]) -> ImageSet {
        let size = imageSize
        var newLabels = [UInt8](repeating: 0, count: indices.count)
        let newPixels = [UInt8](unsafeUninitializedCapacity: indices.count * size) { dst, initialized in
            pixels.withUnsafeBufferPointer { src in
                labels.withUnsafeBufferPointer { lab in
                    for (k, i) in indices.enumerated() {
                        precondition(i >= 0 && i < count, "ImageSet.subset: index \(i) out of 0..<\(count)")
                        (dst.baseAddress! + k * size)
                            .initialize(from: src.baseAddress! + i * size, count: size)
                        newLabels[k] = lab[i]
                    }
                }
            }
            initialized = indices.count * size
        }
        return ImageSet(count: indices.count, rows: rows, cols: cols, pixels: newPixels, labels: newLabels)
    }

    /// The empirical CDF of the labels at `label`: the fraction of labels ≤ `label`.
    /// `labelCDF(at: 5)` is the shard's F(5).
    public func labelCDF(at label: UInt8) -> Double {
        Shards.cdf(labels, at: label)
    }
}
