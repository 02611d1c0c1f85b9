import CZlib
import Foundation

/// gzip (RFC 1952) by content, through zlib.
public enum Gzip {
    /// True when `bytes` start with the gzip magic 1f 8b.
    public static func isGzip<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var it = bytes.makeIterator()
        return it.next() == 0x1F && it.next() == 0x8B
    }

    /// Inflates a whole gzip file (one or more members) into one buffer.
    /// The buffer is sized from the trailer's ISIZE (a hint, bounded by the deflate ratio)
    /// and doubled when that is not enough. `name` only labels errors.
    public static func decompress(_ input: [UInt8], name: String) throws -> [UInt8] {
        guard input.count < Int(UInt32.max) else {
            throw DataError("\(name): gzip file of \(input.count) bytes is too large (limit 4 GiB)")
        }
        guard isGzip(input) else {
            throw DataError("\(name): not a gzip stream (no 1f 8b magic)")
        }
        // ISIZE: the uncompressed size of the last member mod 2^32, little-endian.
        var hint = 0
        if input.count >= 18 {
            let n = input.count
            hint = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        }
        let ratioBound = input.count &* 1032 &+ 1024       // deflate cannot expand further
        var out = [UInt8](repeating: 0, count: max(4096, min(hint, ratioBound, 1 << 30) + 64))
        var produced = 0

        var stream = z_stream()
        var rc = inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw DataError("\(name): zlib inflateInit2 failed (code \(rc))") }
        defer { inflateEnd(&stream) }

        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress!)
            stream.avail_in = uInt(inBuf.count)
            while true {
                if produced == out.count {
                    guard out.count < (1 << 32) else {
                        throw DataError("\(name): gzip stream inflates past 4 GiB; refusing")
                    }
                    out.append(contentsOf: repeatElement(0, count: out.count))
                }
                rc = out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress! + produced
                    let room = min(outBuf.count - produced, Int(UInt32.max))
                    stream.avail_out = uInt(room)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return status
                }
                switch rc {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let rest = Int(stream.avail_in)
                    if rest == 0 { return }
                    let offset = inBuf.count - rest
                    let tail = inBuf[offset...]
                    if isGzip(tail) {                      // concatenated member
                        inflateReset(&stream)
                        continue
                    }
                    if tail.allSatisfy({ $0 == 0 }) { return }   // block padding, as gzip(1) allows
                    throw DataError("\(name): \(rest) bytes of trailing garbage after the gzip stream")
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        throw DataError("\(name): gzip stream ends early after \(produced) uncompressed bytes (truncated .gz file)")
                    }
                    continue                               // out of output room: grow
                case Z_DATA_ERROR:
                    let why = stream.msg.map { String(cString: $0) } ?? "invalid data"
                    throw DataError("\(name): corrupt gzip stream (zlib: \(why)) after \(produced) uncompressed bytes")
                case Z_MEM_ERROR:
                    throw DataError("\(name): out of memory while inflating the gzip stream")
                default:
                    throw DataError("\(name): zlib inflate failed (code \(rc))")
                }
            }
        }
        out.removeLast(out.count - produced)
        return out
    }

    /// gzip-compresses `bytes` (for fixtures and tools; the loader only reads).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        var rc = deflateInit2_(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "deflateInit2 failed: \(rc)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 64
        var out = [UInt8](repeating: 0, count: bound)
        bytes.withUnsafeBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress ?? UnsafePointer(outBuf.baseAddress!))
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress!
                stream.avail_out = uInt(outBuf.count)
                rc = deflate(&stream, Z_FINISH)
            }
        }
        precondition(rc == Z_STREAM_END, "deflate did not finish: \(rc)")
        out.removeLast(Int(stream.avail_out))
        return out
    }
}
