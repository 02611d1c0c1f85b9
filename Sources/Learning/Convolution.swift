/// A stride-1 convolution by im2col + one sgemm over the whole batch, channel-major:
/// input [inChannels, B, H, W] → output [outChannels, B, OH, OW], weights
/// [outChannels, inChannels, k, k] (PyTorch's `Conv2d.weight` layout, which is exactly the
/// [outChannels × rows] matrix the sgemm wants).
struct Convolution {
    let geometry: ConvGeometry
    let outChannels: Int

    var weightCount: Int { outChannels * geometry.rows }

    /// Unfolds `src` into `col`, then out ← W·col: the raw convolution, without bias or
    /// activation (`MaxPool2x2` adds both after pooling). With padding, `padded` is a
    /// zero-bordered scratch buffer ([channels·batch] padded planes, border zeroed once).
    func forward(batch: Int, src: UnsafePointer<Float>, padded: UnsafeMutablePointer<Float>?,
                 col: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>,
                 out: UnsafeMutablePointer<Float>) {
        if geometry.pad > 0 {
            guard let padded else { preconditionFailure("padded convolution needs a padding buffer") }
            padPlanes(geometry, batch: batch, src: src, dst: padded)
            im2col(geometry, batch: batch, paddedSrc: padded, col: col)
        } else {
            im2col(geometry, batch: batch, paddedSrc: src, col: col)
        }
        let n = geometry.columns(batch: batch), k = geometry.rows
        BLAS.sgemm(m: outChannels, n: n, k: k, a: weight, lda: k, b: col, ldb: n, beta: 0, c: out, ldc: n)
    }

    /// Given dz = d(loss)/d(pre-activation) [outChannels × columns] and the forward pass's
    /// column matrix, writes (or adds) dW = dz·colᵀ and db = row sums of dz. If `dSrc` is
    /// given, also computes the input gradient: `col` is overwritten with Wᵀ·dz (it is no
    /// longer needed) and folded back by col2im into `dSrc`.
    func backward(batch: Int, dz: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>,
                  weight: UnsafePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
                  dBias: UnsafeMutablePointer<Float>, accumulate: Bool,
                  dSrc: UnsafeMutablePointer<Float>?) {
        let n = geometry.columns(batch: batch), k = geometry.rows
        BLAS.sgemm(transB: true, m: outChannels, n: k, k: n, a: dz, lda: n, b: col, ldb: n,
                   beta: accumulate ? 1 : 0, c: dWeight, ldc: k)
        for oc in 0..<outChannels {
            let s = rowSum(dz + oc * n, count: n)
            dBias[oc] = accumulate ? dBias[oc] + s : s
        }
        if let dSrc {
            BLAS.sgemm(transA: true, m: k, n: n, k: outChannels, a: weight, lda: k, b: dz, ldb: n,
                       beta: 0, c: col, ldc: n)
            col2im(geometry, batch: batch, col: col, dst: dSrc)
        }
    }
}

/// Σ p[0..<count], 16 lanes at a time.
@inline(__always)
func rowSum(_ p: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD16<Float>(repeating: 0)
    var i = 0
    while i + 16 <= count {
        acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    var s = acc.sum()
    while i < count { s += p[i]; i += 1 }
    return s
}
