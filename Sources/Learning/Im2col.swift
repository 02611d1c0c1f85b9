/// Geometry of a square-kernel, stride-1 convolution over a batch stored channel-major:
/// the input is [channels, batch, height, width] (for one input channel that is the plain
/// [batch, height, width] image layout). The column matrix is
/// [(channels·kernel·kernel) × (batch·outHeight·outWidth)], row index c·k·k + kh·k + kw,
/// so one sgemm [outChannels × rows]·[rows × columns] convolves the whole batch and
/// leaves the output channel-major too: [outChannels, batch, outHeight, outWidth].
struct ConvGeometry {
    let channels: Int
    let height: Int
    let width: Int
    let kernel: Int
    let pad: Int

    var outHeight: Int { height + 2 * pad - kernel + 1 }
    var outWidth: Int { width + 2 * pad - kernel + 1 }
    var paddedHeight: Int { height + 2 * pad }
    var paddedWidth: Int { width + 2 * pad }
    var rows: Int { channels * kernel * kernel }
    func columns(batch: Int) -> Int { batch * outHeight * outWidth }
}

/// Copies the interior of each plane into a buffer of zero-bordered planes
/// ([channels·batch] planes of paddedHeight × paddedWidth). Only the interior is written,
/// so the border must have been zeroed once when the buffer was made.
func padPlanes(_ g: ConvGeometry, batch: Int, src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) {
    let (H, W, P, PW) = (g.height, g.width, g.pad, g.paddedWidth)
    let planeSize = g.paddedHeight * PW
    for plane in 0..<(g.channels * batch) {
        let s = src + plane * H * W
        let d = dst + plane * planeSize + P * PW + P
        for y in 0..<H { copyRow(d + y * PW, s + y * W, W) }
    }
}

/// Unfolds zero-bordered planes (`padPlanes`' output, or the plain input when pad is 0)
/// into the column matrix `col`: col[c·k·k + kh·k + kw][b, y, x] = src[c, b][y + kh][x + kw].
/// Every element of `col` is written.
func im2col(_ g: ConvGeometry, batch: Int, paddedSrc src: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>) {
    let (K, OH, OW, PW) = (g.kernel, g.outHeight, g.outWidth, g.paddedWidth)
    let planeSize = g.paddedHeight * PW
    let n = g.columns(batch: batch)
    for c in 0..<g.channels {
        for kh in 0..<K {
            for kw in 0..<K {
                var dst = col + ((c * K + kh) * K + kw) * n
                for b in 0..<batch {
                    let from = src + (c * batch + b) * planeSize + kh * PW + kw
                    for y in 0..<OH {
                        copyRow(dst, from + y * PW, OW)
                        dst += OW
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2col` for an unpadded convolution: accumulates the column-matrix
/// gradient `col` back onto the input layout. `dst` ([channels, batch, height, width]) is
/// overwritten, not added to.
func col2im(_ g: ConvGeometry, batch: Int, col: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) {
    precondition(g.pad == 0, "col2im is only needed for the unpadded conv2")
    let (H, W, K) = (g.height, g.width, g.kernel)
    let (OH, OW) = (g.outHeight, g.outWidth)
    let n = g.columns(batch: batch)
    dst.update(repeating: 0, count: g.channels * batch * H * W)
    for c in 0..<g.channels {
        for kh in 0..<K {
            for kw in 0..<K {
                var src = col + ((c * K + kh) * K + kw) * n
                for b in 0..<batch {
                    let plane = dst + (c * batch + b) * H * W + kh * W + kw
                    for y in 0..<OH {
                        addRow(plane + y * W, src, OW)
                        src += OW
                    }
                }
            }
        }
    }
}

// MARK: - Short row kernels
// The rows here are 10, 14 or 28 floats; a memmove call or a scalar loop per row costs more
// than the copy. Fixed-width SIMD moves (overlapping where the width is not a multiple)
// handle the common widths.

private typealias F4 = SIMD4<Float>
private typealias F8 = SIMD8<Float>
private typealias F16 = SIMD16<Float>

@inline(__always)
private func load<V: SIMD>(_ p: UnsafePointer<Float>, _: V.Type) -> V where V.Scalar == Float {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

@inline(__always)
private func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
}

/// dst[0..<n] = src[0..<n] (non-overlapping).
@inline(__always)
func copyRow(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    switch n {
    case 28:
        let a = load(src, F16.self), b = load(src + 12, F16.self)
        store(a, dst); store(b, dst + 12)
    case 14:
        let a = load(src, F8.self), b = load(src + 6, F8.self)
        store(a, dst); store(b, dst + 6)
    case 10:
        let a = load(src, F8.self), b = load(src + 6, F4.self)
        store(a, dst); store(b, dst + 6)
    default:
        var i = 0
        while i < n { dst[i] = src[i]; i += 1 }
    }
}

/// dst[0..<n] += src[0..<n].
@inline(__always)
func addRow(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    if n == 10 {
        store(load(dst, F8.self) + load(src, F8.self), dst)
        dst[8] += src[8]; dst[9] += src[9]
    } else {
        var i = 0
        while i < n { dst[i] += src[i]; i += 1 }
    }
}
