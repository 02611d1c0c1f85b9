import COpenBLAS

/// The only file that calls OpenBLAS. Everything is row-major, 32-bit `blasint`.
enum BLAS {
    /// C ← alpha·op(A)·op(B) + beta·C, row-major. op(A) is m×k, op(B) is k×n, C is m×n.
    @inline(__always)
    static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    /// y ← alpha·x + y.
    @inline(__always)
    static func saxpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(n))
    }
}

/// Process-wide settings of the learning core.
public enum Learning {
    /// Makes OpenBLAS run every call on the calling thread. A firm process calls this once at
    /// start-up: the simulator runs one firm per core, so BLAS threads would only compete.
    /// Nothing else about OpenBLAS (such as `OPENBLAS_CORETYPE`) is touched.
    public static func useSingleBLASThread() {
        BLAS.setThreads(1)
    }

    /// Sets the number of OpenBLAS threads (for benchmarks; firms use `useSingleBLASThread`).
    public static func useBLASThreads(_ count: Int) {
        precondition(count >= 1)
        BLAS.setThreads(count)
    }
}
