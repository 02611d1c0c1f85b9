import Dataset
import Foundation
import Testing

@Suite("IDX reader")
struct IDXTests {
    @Test func readsRawImagesAndLabels() throws {
        try withTempDir { dir in
            let px = fixtureImages(5, rows: 3, cols: 4)
            let img = try write(IDX.encodeImages(count: 5, rows: 3, cols: 4, pixels: px), to: dir, "imgs")
            let lab = try write(IDX.encodeLabels([0, 9, 3, 5, 6]), to: dir, "labs")
            let r = try IDX.readImages(at: img)
            #expect(r.count == 5 && r.rows == 3 && r.cols == 4)
            #expect(r.pixels == px)
            #expect(try IDX.readLabels(at: lab) == [0, 9, 3, 5, 6])
        }
    }

    @Test func truncatedImageFileNamesFileAndSizes() throws {
        try withTempDir { dir in
            // Header says 60,000 images, pixel data stops after 1,000.
            let bytes = IDX.header(dims: [60_000, 28, 28]) + fixtureImages(1_000)
            let url = try write(bytes, to: dir, "t10k-images-idx3-ubyte")
            let e = try #require(dataError { _ = try IDX.readImages(at: url) })
            #expect(e.description == "t10k-images-idx3-ubyte: header says 60000 images of 28x28 (47040000 bytes) but only 784000 bytes of pixel data follow (truncated)")
            #expect(!e.description.contains("\n"))
        }
    }

    @Test func truncatedHeader() throws {
        try withTempDir { dir in
            let url = try write([0, 0, 8, 3, 0, 0], to: dir, "short-images")
            let e = try #require(dataError { _ = try IDX.readImages(at: url) })
            #expect(e.description.hasPrefix("short-images: "))
            #expect(e.description.contains("truncated"))
        }
    }

    @Test func littleEndianHeaderIsNamed() throws {
        try withTempDir { dir in
            var bytes: [UInt8] = [0x03, 0x08, 0x00, 0x00]
            for d: UInt32 in [2, 28, 28] { withUnsafeBytes(of: d.littleEndian) { bytes += $0 } }
            bytes += fixtureImages(2)
            let url = try write(bytes, to: dir, "le-images")
            let e = try #require(dataError { _ = try IDX.readImages(at: url) })
            #expect(e.description.hasPrefix("le-images: bad magic 03 08 00 00"))
            #expect(e.description.contains("little-endian"))
        }
    }

    @Test func wrongMagic() throws {
        try withTempDir { dir in
            let url = try write([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40), to: dir, "images.zip")
            let e = try #require(dataError { _ = try IDX.readImages(at: url) })
            #expect(e.description.hasPrefix("images.zip: bad magic 50 4b 03 04"))
            #expect(e.description.contains("not an IDX file"))
        }
    }

    @Test func wrongDataType() throws {
        try withTempDir { dir in
            let url = try write([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], to: dir, "floats")
            let e = try #require(dataError { _ = try IDX.readLabels(at: url) })
            #expect(e.description.contains("0x0d (float32) is not unsigned byte 0x08"))
        }
    }

    @Test func wrongNumberOfDimensions() throws {
        try withTempDir { dir in
            // A label file (1 dim) handed to the image reader, and an image file to the label reader.
            let labels = try write(IDX.encodeLabels([1, 2, 3]), to: dir, "train-labels-idx1-ubyte")
            let images = try write(IDX.encodeImages(count: 1, rows: 2, cols: 2, pixels: [1, 2, 3, 4]), to: dir, "train-images-idx3-ubyte")
            let e1 = try #require(dataError { _ = try IDX.readImages(at: labels) })
            #expect(e1.description == "train-labels-idx1-ubyte: header has 1 dimensions but images need 3 (magic 00 00 08 01, expected 00 00 08 03)")
            let e2 = try #require(dataError { _ = try IDX.readLabels(at: images) })
            #expect(e2.description.hasPrefix("train-images-idx3-ubyte: header has 3 dimensions but labels need 1"))
        }
    }

    @Test func zeroRowsRejected() throws {
        try withTempDir { dir in
            let url = try write(IDX.header(dims: [3, 0, 28]), to: dir, "flat")
            let e = try #require(dataError { _ = try IDX.readImages(at: url) })
            #expect(e.description.contains("0x28"))
        }
    }

    @Test func trailingBytes() throws {
        try withTempDir { dir in
            let img = try write(IDX.encodeImages(count: 2, rows: 28, cols: 28, pixels: fixtureImages(2)) + [1, 2, 3], to: dir, "img")
            let e = try #require(dataError { _ = try IDX.readImages(at: img) })
            #expect(e.description == "img: header says 2 images of 28x28 (1568 bytes) but 1571 bytes of pixel data follow (3 trailing bytes)")
            let lab = try write(IDX.encodeLabels([1, 2]) + [0], to: dir, "lab")
            let e2 = try #require(dataError { _ = try IDX.readLabels(at: lab) })
            #expect(e2.description == "lab: header says 2 labels (2 bytes) but 3 bytes of label data follow (1 trailing bytes)")
        }
    }

    @Test func labelAboveNineNamesFirstBadIndex() throws {
        try withTempDir { dir in
            let url = try write(IDX.encodeLabels([0, 1, 2, 12, 3, 200]), to: dir, "labels")
            let e = try #require(dataError { _ = try IDX.readLabels(at: url) })
            #expect(e.description == "labels: label 12 at index 3 is not a digit 0...9")
        }
    }

    @Test func gzipWithoutGzNameIsDetectedAndInflated() throws {
        try withTempDir { dir in
            let px = fixtureImages(50)
            let raw = IDX.encodeImages(count: 50, rows: 28, cols: 28, pixels: px)
            let gz = Gzip.compress(raw)
            #expect(gz.count < raw.count / 2)
            // Handed as if raw: no .gz in the name.
            let url = try write(gz, to: dir, "train-images-idx3-ubyte")
            let r = try IDX.readImages(at: url)
            #expect(r.count == 50 && r.rows == 28 && r.cols == 28)
            #expect(r.pixels == px)
            #expect(try IDX.contents(of: url) == raw)
            let labURL = try write(Gzip.compress(IDX.encodeLabels(fixtureLabels(50))), to: dir, "labels")
            #expect(try IDX.readLabels(at: labURL) == fixtureLabels(50))
        }
    }

    @Test func gzipNeedingGrowthAndConcatenatedMembers() throws {
        // Highly compressible data: the output buffer must grow from a wrong size hint;
        // two concatenated gzip members inflate to their concatenation (as gzip -d does).
        let a = IDX.header(dims: [100, 28, 28])
        let b = [UInt8](repeating: 7, count: 100 * 28 * 28)
        let joined = Gzip.compress(a) + Gzip.compress(b)
        #expect(try Gzip.decompress(joined, name: "x") == a + b)
        #expect(try Gzip.decompress(Gzip.compress([]), name: "empty") == [])
    }

    @Test func corruptGzipIsOneLineError() throws {
        try withTempDir { dir in
            var gz = Gzip.compress(IDX.encodeImages(count: 20, rows: 28, cols: 28, pixels: fixtureImages(20)))
            for i in stride(from: 20, to: gz.count - 20, by: 7) { gz[i] ^= 0x5A }
            let url = try write(gz, to: dir, "t10k-images-idx3-ubyte.gz")
            let e = try #require(dataError { _ = try IDX.readImages(at: url) })
            #expect(e.description.hasPrefix("t10k-images-idx3-ubyte.gz: corrupt gzip stream"))
            #expect(!e.description.contains("\n"))
        }
    }

    @Test func truncatedGzip() throws {
        try withTempDir { dir in
            let gz = Gzip.compress(IDX.encodeImages(count: 20, rows: 28, cols: 28, pixels: fixtureImages(20)))
            let url = try write(Array(gz.prefix(gz.count / 2)), to: dir, "cut.gz")
            let e = try #require(dataError { _ = try IDX.readImages(at: url) })
            #expect(e.description.hasPrefix("cut.gz: gzip stream ends early"))
            #expect(e.description.contains("truncated"))
        }
    }

    @Test func missingFile() throws {
        try withTempDir { dir in
            let e = try #require(dataError { _ = try IDX.readLabels(at: dir.appendingPathComponent("nope")) })
            #expect(e.description.hasPrefix("nope: cannot open"))
            #expect(e.description.contains("No such file"))
        }
    }

    @Test func dataErrorIsOneLine() {
        #expect(DataError("a\nb\r\nc").description == "a b c")
    }
}
