import Foundation

/// The IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/):
/// magic 00 00 08 NDIM, then NDIM big-endian UInt32 dimensions, then unsigned bytes.
/// Files may be raw or gzip-compressed; gzip is recognised by its content (1f 8b),
/// never by the file's name.
public enum IDX {
    /// Reads images: an IDX file of unsigned bytes with 3 dimensions (count, rows, cols).
    /// Any rows, cols > 0 are accepted; pixels are row-major, image after image.
    public static func readImages(at url: URL) throws -> (count: Int, rows: Int, cols: Int, pixels: [UInt8]) {
        let name = url.lastPathComponent
        var bytes = try contents(of: url)
        let dims = try parseHeader(bytes, name: name, ndim: 3, what: "images")
        let (count, rows, cols) = (dims[0], dims[1], dims[2])
        guard rows > 0, cols > 0 else {
            throw DataError("\(name): header says images of \(rows)x\(cols); rows and cols must be > 0")
        }
        let headerSize = 4 + 4 * 3
        try checkLength(bytes.count - headerSize, dims: dims, name: name,
                        what: "\(count) images of \(rows)x\(cols)", data: "pixel data")
        bytes.removeFirst(headerSize)               // in place: one memmove, no second buffer
        return (count, rows, cols, bytes)
    }

    /// Reads labels: an IDX file of unsigned bytes with 1 dimension; every label must be 0...9.
    public static func readLabels(at url: URL) throws -> [UInt8] {
        let name = url.lastPathComponent
        var bytes = try contents(of: url)
        let dims = try parseHeader(bytes, name: name, ndim: 1, what: "labels")
        let headerSize = 4 + 4
        try checkLength(bytes.count - headerSize, dims: dims, name: name,
                        what: "\(dims[0]) labels", data: "label data")
        bytes.removeFirst(headerSize)
        let bad = bytes.withUnsafeBufferPointer { $0.firstIndex(where: { $0 > 9 }) }
        if let bad {
            throw DataError("\(name): label \(bytes[bad]) at index \(bad) is not a digit 0...9")
        }
        return bytes
    }

    /// The file's bytes, inflated when they start with the gzip magic 1f 8b.
    public static func contents(of url: URL) throws -> [UInt8] {
        let name = url.lastPathComponent
        let raw = try readFile(url)
        return Gzip.isGzip(raw) ? try Gzip.decompress(raw, name: name) : raw
    }

    // MARK: Writing (fixtures, tools)

    /// An IDX image file: header + pixels.
    public static func encodeImages(count: Int, rows: Int, cols: Int, pixels: [UInt8]) -> [UInt8] {
        header(dims: [count, rows, cols]) + pixels
    }

    /// An IDX label file: header + labels.
    public static func encodeLabels(_ labels: [UInt8]) -> [UInt8] {
        header(dims: [labels.count]) + labels
    }

    /// Magic 00 00 08 NDIM and the big-endian dimensions.
    public static func header(dims: [Int]) -> [UInt8] {
        var out: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
        for d in dims {
            let v = UInt32(d)
            out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
        }
        return out
    }

    // MARK: Parsing

    static func parseHeader(_ b: [UInt8], name: String, ndim: Int, what: String) throws -> [Int] {
        let expected = String(format: "00 00 08 %02x", ndim)
        guard b.count >= 4 else {
            throw DataError("\(name): file is \(b.count) bytes, too short for an IDX magic number (truncated)")
        }
        let magic = b[0..<4].map { String(format: "%02x", $0) }.joined(separator: " ")
        if b[0] != 0 || b[1] != 0 {
            if b[2] == 0, b[3] == 0, b[1] == 0x08 {
                throw DataError("\(name): bad magic \(magic): the header was written little-endian; IDX is big-endian (expected \(expected) for \(what))")
            }
            throw DataError("\(name): bad magic \(magic), not an IDX file (expected \(expected) for \(what))")
        }
        guard b[2] == 0x08 else {
            let types: [UInt8: String] = [0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64"]
            let t = types[b[2]].map { " (\($0))" } ?? ""
            throw DataError("\(name): bad magic \(magic): data type 0x\(String(format: "%02x", b[2]))\(t) is not unsigned byte 0x08 (expected \(expected) for \(what))")
        }
        guard Int(b[3]) == ndim else {
            throw DataError("\(name): header has \(b[3]) dimensions but \(what) need \(ndim) (magic \(magic), expected \(expected))")
        }
        let headerSize = 4 + 4 * ndim
        guard b.count >= headerSize else {
            throw DataError("\(name): file is \(b.count) bytes, shorter than its \(headerSize)-byte IDX header (truncated)")
        }
        return (0..<ndim).map { i in
            let o = 4 + 4 * i
            return Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
        }
    }

    static func checkLength(_ available: Int, dims: [Int], name: String, what: String, data: String) throws {
        var expected = 1
        for d in dims {
            let (p, overflow) = expected.multipliedReportingOverflow(by: d)
            guard !overflow else { throw DataError("\(name): header says \(what), an impossible size") }
            expected = p
        }
        if available < expected {
            throw DataError("\(name): header says \(what) (\(expected) bytes) but only \(available) bytes of \(data) follow (truncated)")
        }
        if available > expected {
            throw DataError("\(name): header says \(what) (\(expected) bytes) but \(available) bytes of \(data) follow (\(available - expected) trailing bytes)")
        }
    }

    /// The whole file, read with POSIX calls straight into the array's storage.
    static func readFile(_ url: URL) throws -> [UInt8] {
        let name = url.lastPathComponent
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw DataError("\(name): cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw DataError("\(name): cannot stat \(url.path): \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw DataError("\(name): \(url.path) is not a regular file")
        }
        let size = Int(st.st_size)
        var readError: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            var total = 0
            while total < size {
                let n = read(fd, buf.baseAddress! + total, size - total)
                if n > 0 { total += n; continue }
                if n == 0 { break }                       // file shrank under us
                if errno == EINTR { continue }
                readError = errno
                break
            }
            initialized = total
        }
        if readError != 0 {
            throw DataError("\(name): read error on \(url.path): \(String(cString: strerror(readError)))")
        }
        return bytes
    }
}
