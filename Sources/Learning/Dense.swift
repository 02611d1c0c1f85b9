/// A fully connected layer on row-major batches: y[B×out] = x[B×in]·Wᵀ + b with
/// W stored [out × in] (PyTorch's `Linear.weight` layout).
struct Dense {
    let inputs: Int
    let outputs: Int

    var weightCount: Int { inputs * outputs }

    /// y ← x·Wᵀ + b (no activation).
    func forward(batch: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>) {
        for r in 0..<batch { (y + r * outputs).update(from: bias, count: outputs) }
        BLAS.sgemm(transB: true, m: batch, n: outputs, k: inputs,
                   a: x, lda: inputs, b: weight, ldb: inputs, beta: 1, c: y, ldc: outputs)
    }

    /// Given dy = d(loss)/dy, writes (or, if `accumulate`, adds) dW = dyᵀ·x and db = Σ_rows dy,
    /// and, if `dx` is given, dx = dy·W.
    func backward(batch: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                  dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
                  accumulate: Bool, dx: UnsafeMutablePointer<Float>?) {
        BLAS.sgemm(transA: true, m: outputs, n: inputs, k: batch,
                   a: dy, lda: outputs, b: x, ldb: inputs,
                   beta: accumulate ? 1 : 0, c: dWeight, ldc: inputs)
        if !accumulate { dBias.update(repeating: 0, count: outputs) }
        for r in 0..<batch {
            let row = dy + r * outputs
            for j in 0..<outputs { dBias[j] += row[j] }
        }
        if let dx {
            BLAS.sgemm(m: batch, n: inputs, k: outputs,
                       a: dy, lda: outputs, b: weight, ldb: inputs, beta: 0, c: dx, ldc: inputs)
        }
    }
}
