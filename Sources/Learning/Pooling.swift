/// 2×2, stride-2 max pooling over planes stored channel-major ([channels, batch, h, w]).
///
/// The output element (c, b, i, j) is written at `dst[c·channelStride + b·imageStride +
/// i·(w/2) + j]`, so the same routine produces the next convolution's channel-major input
/// (pool 1) or the dense layer's [batch, c·h·w] rows in PyTorch flatten order (pool 2).
/// `codes` records which of the four inputs won (0…3, row-major, first maximum wins as
/// in PyTorch), one byte per output, plane-major.
struct MaxPool2x2 {
    let channels: Int
    let height: Int
    let width: Int

    var outHeight: Int { height / 2 }
    var outWidth: Int { width / 2 }

    func forward(batch: Int, src: UnsafePointer<Float>,
                 dst: UnsafeMutablePointer<Float>, channelStride: Int, imageStride: Int,
                 codes: UnsafeMutablePointer<UInt8>) {
        let (W, OH, OW) = (width, outHeight, outWidth)
        for c in 0..<channels {
            for b in 0..<batch {
                let p = c * batch + b
                let plane = src + p * height * width
                let out = dst + c * channelStride + b * imageStride
                let code = codes + p * OH * OW
                for i in 0..<OH {
                    let r0 = plane + 2 * i * W, r1 = r0 + W
                    // Branch-free (the winner is data-dependent, so branches mispredict):
                    // max of each row pair, then of the two; the code keeps the first
                    // maximum in row-major order.
                    for j in 0..<OW {
                        let v0 = r0[2 * j], v1 = r0[2 * j + 1], v2 = r1[2 * j], v3 = r1[2 * j + 1]
                        let topRight = v1 > v0, bottomRight = v3 > v2
                        let a = topRight ? v1 : v0, b = bottomRight ? v3 : v2
                        let bottom = b > a
                        out[i * OW + j] = bottom ? b : a
                        code[i * OW + j] = bottom ? (bottomRight ? 3 : 2) : (topRight ? 1 : 0)
                    }
                }
            }
        }
    }

    /// Routes the output gradient back to the winning inputs and multiplies by the
    /// activation's derivative there, in place: on entry `y` holds the activation outputs
    /// that were pooled, on exit it holds d(loss)/d(pre-activation) (zero at non-winners).
    func backward(batch: Int, dOut: UnsafePointer<Float>, channelStride: Int, imageStride: Int,
                  codes: UnsafePointer<UInt8>, activation: Activation, y: UnsafeMutablePointer<Float>) {
        let (W, OH, OW) = (width, outHeight, outWidth)
        for c in 0..<channels {
            for b in 0..<batch {
                let p = c * batch + b
                let plane = y + p * height * width
                let g = dOut + c * channelStride + b * imageStride
                let code = codes + p * OH * OW
                for i in 0..<OH {
                    let r0 = plane + 2 * i * W, r1 = r0 + W
                    for j in 0..<OW {
                        let d = g[i * OW + j], k = code[i * OW + j]
                        let q0 = r0 + 2 * j, q1 = r1 + 2 * j
                        let d0 = d * activation.derivative(output: q0[0]), d1 = d * activation.derivative(output: q0[1])
                        let d2 = d * activation.derivative(output: q1[0]), d3 = d * activation.derivative(output: q1[1])
                        q0[0] = k == 0 ? d0 : 0
                        q0[1] = k == 1 ? d1 : 0
                        q1[0] = k == 2 ? d2 : 0
                        q1[1] = k == 3 ? d3 : 0
                    }
                }
            }
        }
    }
}
