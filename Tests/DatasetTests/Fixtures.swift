import Dataset
import Foundation

/// A fresh temporary directory, removed when `body` returns.
func withTempDir<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("oligopoly-dataset-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

@discardableResult
func write(_ bytes: [UInt8], to dir: URL, _ name: String) throws -> URL {
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

/// `count` deterministic 28x28 images (pixel = (image*7 + offset) mod 256) and labels image mod 10.
func fixtureImages(_ count: Int, rows: Int = 28, cols: Int = 28) -> [UInt8] {
    (0..<(count * rows * cols)).map { UInt8(truncatingIfNeeded: ($0 / (rows * cols)) * 7 + $0 % (rows * cols)) }
}
func fixtureLabels(_ count: Int) -> [UInt8] { (0..<count).map { UInt8($0 % 10) } }

/// Writes the four MNIST-named files of a small data set (gzip or raw) into `dir`.
func writeDataSet(in dir: URL, train: Int = 30, test: Int = 10, gzip: Bool = true) throws {
    for (split, n) in [(Split.train, train), (Split.test, test)] {
        let img = IDX.encodeImages(count: n, rows: 28, cols: 28, pixels: fixtureImages(n))
        let lab = IDX.encodeLabels(fixtureLabels(n))
        try write(gzip ? Gzip.compress(img) : img, to: dir, split.imagesFile + (gzip ? ".gz" : ""))
        try write(gzip ? Gzip.compress(lab) : lab, to: dir, split.labelsFile + (gzip ? ".gz" : ""))
    }
}

/// The error a throwing call raised, as a DataError (nil when it did not throw one).
func dataError(_ body: () throws -> Void) -> DataError? {
    do { try body(); return nil } catch let e as DataError { return e } catch { return nil }
}

/// SHA-256 (FIPS 180-4), for checking the real files against the README's digests
/// (Foundation on Linux has no CryptoKit).
func sha256Hex(_ message: [UInt8]) -> String {
    let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    var data = message
    let bitLength = UInt64(message.count) * 8
    data.append(0x80)
    while data.count % 64 != 56 { data.append(0) }
    for i in (0..<8).reversed() { data.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    var w = [UInt32](repeating: 0, count: 64)
    data.withUnsafeBufferPointer { d in
        for chunk in stride(from: 0, to: d.count, by: 64) {
            for t in 0..<16 {
                let o = chunk + 4 * t
                w[t] = UInt32(d[o]) << 24 | UInt32(d[o + 1]) << 16 | UInt32(d[o + 2]) << 8 | UInt32(d[o + 3])
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, dd, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                (hh, g, f, e, dd, c, b, a) = (g, f, e, dd &+ t1, c, b, a, t1 &+ t2)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= dd
            h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
    }
    return h.map { String(format: "%08x", $0) }.joined()
}
