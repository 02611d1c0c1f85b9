/// 2×2, stride-2 max pooling over planes stored channel-major ([channels, batch, h, w]),
/// fused with the convolution's bias.
///
/// The activations used here (tanh, relu) are monotone non-decreasing and the bias is one
/// constant per channel, so max-pool(act(z + b)) = act(max-pool(z) + b): the network pools
/// the raw sgemm output and adds the bias and applies the activation to the pooled values
/// only, a quarter as many. The winner and the output are those of PyTorch's order of
/// operations (up to ties between inputs whose activations round to the same float, which
/// have the same output and hence the same gradient).
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

    /// dst ← max-pool(src) + bias[channel] (no activation).
    func forward(batch: Int, src: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 dst: UnsafeMutablePointer<Float>, channelStride: Int, imageStride: Int,
                 codes: UnsafeMutablePointer<UInt8>) {
        let (W, OH, OW) = (width, outHeight, outWidth)
        for c in 0..<channels {
            let b0 = bias[c]
            for b in 0..<batch {
                let p = c * batch + b
                let plane = src + p * height * width
                let out = dst + c * channelStride + b * imageStride
                let code = codes + p * OH * OW
                for i in 0..<OH {
                    let r0 = plane + 2 * i * W, r1 = r0 + W
                    let o = out + i * OW, k = code + i * OW
                    if W == 28 {
                        // 14 outputs as two overlapping groups of 8 (j 0..<8 and 6..<14).
                        pool8(r0, r1, b0, o, k)
                        pool8(r0 + 12, r1 + 12, b0, o + 6, k + 6)
                        continue
                    }
                    if W == 10 {
                        // 5 outputs: 4 at once, then 1 (no over-write: rows are packed).
                        pool4(r0, r1, b0, o, k)
                        pool1(r0 + 8, r1 + 8, b0, o + 4, k + 4)
                        continue
                    }
                    for j in 0..<OW { pool1(r0 + 2 * j, r1 + 2 * j, b0, o + j, k + j) }
                }
            }
        }
    }

    /// One window, branch-free (the winner is data-dependent, so branches mispredict):
    /// max of each row pair, then of the two; the code keeps the first maximum in
    /// row-major order.
    @inline(__always)
    private func pool1(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ bias: Float,
                       _ out: UnsafeMutablePointer<Float>, _ code: UnsafeMutablePointer<UInt8>) {
        let v0 = r0[0], v1 = r0[1], v2 = r1[0], v3 = r1[1]
        let topRight = v1 > v0, bottomRight = v3 > v2
        let a = topRight ? v1 : v0, b = bottomRight ? v3 : v2
        let bottom = b > a
        out[0] = (bottom ? b : a) + bias
        code[0] = bottom ? (bottomRight ? 3 : 2) : (topRight ? 1 : 0)
    }

    /// Eight adjacent windows at once: the same selection as `pool1`, lane-wise.
    @inline(__always)
    private func pool8(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ bias: Float,
                       _ out: UnsafeMutablePointer<Float>, _ code: UnsafeMutablePointer<UInt8>) {
        let top = UnsafeRawPointer(r0).loadUnaligned(as: SIMD16<Float>.self)
        let bottom = UnsafeRawPointer(r1).loadUnaligned(as: SIMD16<Float>.self)
        let v0 = top.evenHalf, v1 = top.oddHalf, v2 = bottom.evenHalf, v3 = bottom.oddHalf
        let topRight = v1 .> v0, bottomRight = v3 .> v2
        let a = v0.replacing(with: v1, where: topRight), b = v2.replacing(with: v3, where: bottomRight)
        let useBottom = b .> a
        let m = a.replacing(with: b, where: useBottom) + bias
        UnsafeMutableRawPointer(out).storeBytes(of: m, as: SIMD8<Float>.self)
        let zero = SIMD8<Int32>(repeating: 0)
        let topCode = zero.replacing(with: 1, where: topRight)
        let bottomCode = SIMD8<Int32>(repeating: 2).replacing(with: 3, where: bottomRight)
        let k = topCode.replacing(with: bottomCode, where: useBottom)
        UnsafeMutableRawPointer(code).storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: k), as: SIMD8<UInt8>.self)
    }

    /// Four adjacent windows at once (see `pool8`).
    @inline(__always)
    private func pool4(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ bias: Float,
                       _ out: UnsafeMutablePointer<Float>, _ code: UnsafeMutablePointer<UInt8>) {
        let top = UnsafeRawPointer(r0).loadUnaligned(as: SIMD8<Float>.self)
        let bottom = UnsafeRawPointer(r1).loadUnaligned(as: SIMD8<Float>.self)
        let v0 = top.evenHalf, v1 = top.oddHalf, v2 = bottom.evenHalf, v3 = bottom.oddHalf
        let topRight = v1 .> v0, bottomRight = v3 .> v2
        let a = v0.replacing(with: v1, where: topRight), b = v2.replacing(with: v3, where: bottomRight)
        let useBottom = b .> a
        let m = a.replacing(with: b, where: useBottom) + bias
        UnsafeMutableRawPointer(out).storeBytes(of: m, as: SIMD4<Float>.self)
        let zero = SIMD4<Int32>(repeating: 0)
        let topCode = zero.replacing(with: 1, where: topRight)
        let bottomCode = SIMD4<Int32>(repeating: 2).replacing(with: 3, where: bottomRight)
        let k = topCode.replacing(with: bottomCode, where: useBottom)
        UnsafeMutableRawPointer(code).storeBytes(of: SIMD4<UInt8>(truncatingIfNeeded: k), as: SIMD4<UInt8>.self)
    }

    /// Given the gradient `dOut` with respect to the pooled activations `pooled` (same
    /// layout), writes d(loss)/d(pre-activation) for every input position into `dz`
    /// ([channels, batch, h, w], fully overwritten): dOut·act′(pooled) at the winner,
    /// zero elsewhere.
    func backward(batch: Int, dOut: UnsafePointer<Float>, pooled: UnsafePointer<Float>,
                  channelStride: Int, imageStride: Int, codes: UnsafePointer<UInt8>,
                  activation: Activation, dz: UnsafeMutablePointer<Float>) {
        let (W, OH, OW) = (width, outHeight, outWidth)
        for c in 0..<channels {
            for b in 0..<batch {
                let p = c * batch + b
                let plane = dz + p * height * width
                let offset = c * channelStride + b * imageStride
                let g = dOut + offset, y = pooled + offset
                let code = codes + p * OH * OW
                for i in 0..<OH {
                    let r0 = plane + 2 * i * W, r1 = r0 + W
                    for j in 0..<OW {
                        let d = g[i * OW + j] * activation.derivative(output: y[i * OW + j])
                        let k = code[i * OW + j]
                        r0[2 * j] = k == 0 ? d : 0
                        r0[2 * j + 1] = k == 1 ? d : 0
                        r1[2 * j] = k == 2 ? d : 0
                        r1[2 * j + 1] = k == 3 ? d : 0
                    }
                }
            }
        }
    }
}
