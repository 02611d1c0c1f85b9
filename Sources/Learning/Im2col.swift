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
    var rows: Int { channels * kernel * kernel }
    func columns(batch: Int) -> Int { batch * outHeight * outWidth }
}

/// Unfolds `src` ([channels, batch, height, width]) into the column matrix `col`.
/// Every element of `col` is written (zeros where the kernel overlaps the padding).
func im2col(_ g: ConvGeometry, batch: Int, src: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>) {
    let (H, W, K, P) = (g.height, g.width, g.kernel, g.pad)
    let (OH, OW) = (g.outHeight, g.outWidth)
    let n = g.columns(batch: batch)
    for c in 0..<g.channels {
        for kh in 0..<K {
            for kw in 0..<K {
                var dst = col + ((c * K + kh) * K + kw) * n
                // Output columns x whose input column x + kw − P lies inside the image.
                let x0 = Swift.max(0, P - kw), x1 = Swift.min(OW, W + P - kw)
                for b in 0..<batch {
                    let plane = src + (c * batch + b) * H * W
                    for y in 0..<OH {
                        let ih = y + kh - P
                        if ih < 0 || ih >= H {
                            dst.update(repeating: 0, count: OW)
                        } else {
                            var x = 0
                            while x < x0 { dst[x] = 0; x += 1 }
                            (dst + x0).update(from: plane + ih * W + (x0 + kw - P), count: x1 - x0)
                            x = x1
                            while x < OW { dst[x] = 0; x += 1 }
                        }
                        dst += OW
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: accumulates the column-matrix gradient `col` back onto the
/// input layout. `dst` ([channels, batch, height, width]) is overwritten, not added to.
func col2im(_ g: ConvGeometry, batch: Int, col: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) {
    let (H, W, K, P) = (g.height, g.width, g.kernel, g.pad)
    let (OH, OW) = (g.outHeight, g.outWidth)
    let n = g.columns(batch: batch)
    dst.update(repeating: 0, count: g.channels * batch * H * W)
    for c in 0..<g.channels {
        for kh in 0..<K {
            for kw in 0..<K {
                var src = col + ((c * K + kh) * K + kw) * n
                let x0 = Swift.max(0, P - kw), x1 = Swift.min(OW, W + P - kw)
                let len = x1 - x0
                for b in 0..<batch {
                    let plane = dst + (c * batch + b) * H * W
                    for y in 0..<OH {
                        let ih = y + kh - P
                        if ih >= 0 && ih < H {
                            let d = plane + ih * W + (x0 + kw - P)
                            let s = src + x0
                            var x = 0
                            while x < len { d[x] += s[x]; x += 1 }
                        }
                        src += OW
                    }
                }
            }
        }
    }
}
