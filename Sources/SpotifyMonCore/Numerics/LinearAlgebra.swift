import COpenBLAS

/// The core's only door to BLAS and LAPACK (OpenBLAS through CBLAS / LAPACKE).
///
/// Engines call these, never `cblas_*` or `LAPACKE_*` directly, so that the numeric
/// conventions (row-major, error handling) live in one file.
public enum LinearAlgebra {
    /// Errors from LAPACK routines.
    public enum Failure: Error, Equatable {
        /// The matrix is not positive definite (Cholesky failed at this leading minor).
        case notPositiveDefinite(Int)
        /// An iterative routine did not converge, or an argument was illegal.
        case lapack(routine: String, info: Int32)
    }

    /// Dot product of `n` entries of two buffers.
    @inlinable
    public static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
        cblas_ddot(Int32(n), x, 1, y, 1)
    }

    /// `y ← alpha·A·x + beta·y` with `A` row-major `m × n` at `a`.
    @inlinable
    public static func gemv(m: Int, n: Int, alpha: Double = 1, a: UnsafePointer<Double>, x: UnsafePointer<Double>,
                            beta: Double = 0, y: UnsafeMutablePointer<Double>, transpose: Bool = false) {
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(n),
                    x, 1, beta, y, 1)
    }

    /// `C ← alpha·op(A)·op(B) + beta·C` on raw row-major buffers; `op(A)` is `m × k`, `op(B)` is `k × n`.
    @inlinable
    public static func gemm(m: Int, n: Int, k: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, lda: Int, transA: Bool = false,
                            b: UnsafePointer<Double>, ldb: Int, transB: Bool = false,
                            beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `A·B` (or with either transposed).
    public static func multiply(_ a: Matrix, _ b: Matrix, transA: Bool = false, transB: Bool = false) -> Matrix {
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
        let n = transB ? b.rows : b.cols
        precondition(k == (transB ? b.cols : b.rows), "multiply: inner sizes differ")
        var c = Matrix(rows: m, cols: n)
        if m == 0 || n == 0 || k == 0 { return c }
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: a.cols, transA: transA,
                         b: pb.baseAddress!, ldb: b.cols, transB: transB, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }

    /// `AᵀA` for a row-major `A` (a symmetric rank-k update; the full matrix is returned).
    public static func gram(_ a: Matrix) -> Matrix {
        let n = a.cols
        var c = Matrix(rows: n, cols: n)
        if a.rows == 0 || n == 0 { return c }
        a.data.withUnsafeBufferPointer { pa in
            c.data.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(a.rows), 1.0,
                            pa.baseAddress!, Int32(n), 0.0, pc.baseAddress!, Int32(n))
            }
        }
        for i in 0..<n { for j in 0..<i { c.data[i * n + j] = c.data[j * n + i] } }
        return c
    }

    /// Eigen-decomposition of a symmetric matrix (LAPACK `dsyevd`).
    /// - Returns: eigenvalues in ascending order and the matching eigenvectors as the
    ///   *columns* of a row-major matrix.
    public static func symmetricEigen(_ a: Matrix) throws -> (values: [Double], vectors: Matrix) {
        precondition(a.rows == a.cols, "symmetricEigen: matrix must be square")
        let n = a.rows
        var v = a
        var w = [Double](repeating: 0, count: n)
        if n == 0 { return (w, v) }
        let info = v.data.withUnsafeMutableBufferPointer { pv in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(n),
                               pv.baseAddress!, Int32(n), pw.baseAddress!)
            }
        }
        if info != 0 { throw Failure.lapack(routine: "dsyevd", info: info) }
        return (w, v)
    }

    /// The eigenvalues and eigenvectors `il...iu` (1-based, ascending) of a symmetric matrix
    /// (LAPACK `dsyevr`): cheaper than the full decomposition when few are needed.
    public static func symmetricEigen(_ a: Matrix, smallest count: Int) throws -> (values: [Double], vectors: Matrix) {
        let n = a.rows
        let m = Swift.min(Swift.max(count, 0), n)
        var work = a
        var w = [Double](repeating: 0, count: n)
        var z = Matrix(rows: n, cols: Swift.max(m, 1))
        var isuppz = [Int32](repeating: 0, count: 2 * Swift.max(n, 1))
        var found: Int32 = 0
        if n == 0 || m == 0 { return ([], Matrix(rows: n, cols: 0)) }
        let info = work.data.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                z.data.withUnsafeMutableBufferPointer { pz in
                    isuppz.withUnsafeMutableBufferPointer { ps in
                        LAPACKE_dsyevr(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "I")),
                                       Int8(UInt8(ascii: "U")), Int32(n), pa.baseAddress!, Int32(n), 0, 0,
                                       1, Int32(m), 0, &found, pw.baseAddress!, pz.baseAddress!, Int32(m),
                                       ps.baseAddress!)
                    }
                }
            }
        }
        if info != 0 { throw Failure.lapack(routine: "dsyevr", info: info) }
        return (Array(w[0..<Int(found)]), z)
    }

    /// Lower Cholesky factor `L` with `A = L·Lᵀ` (LAPACK `dpotrf`); the upper triangle is zeroed.
    public static func cholesky(_ a: Matrix) throws -> Matrix {
        precondition(a.rows == a.cols, "cholesky: matrix must be square")
        let n = a.rows
        var l = a
        if n == 0 { return l }
        let info = l.data.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), p.baseAddress!, Int32(n))
        }
        if info > 0 { throw Failure.notPositiveDefinite(Int(info)) }
        if info < 0 { throw Failure.lapack(routine: "dpotrf", info: info) }
        for i in 0..<n { for j in (i + 1)..<n { l.data[i * n + j] = 0 } }
        return l
    }

    /// Least-squares solution of `A·x ≈ b` (LAPACK `dgels`, QR); `A` is `m × n` with `m ≥ n`.
    public static func leastSquares(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        precondition(a.rows == b.count, "leastSquares: sizes differ")
        let m = a.rows, n = a.cols
        if n == 0 { return [] }
        var qa = a
        var rhs = b
        if rhs.count < n { rhs += [Double](repeating: 0, count: n - rhs.count) }
        let info = qa.data.withUnsafeMutableBufferPointer { pa in
            rhs.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dgels(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), 1,
                              pa.baseAddress!, Int32(n), pb.baseAddress!, 1)
            }
        }
        if info != 0 { throw Failure.lapack(routine: "dgels", info: info) }
        return Array(rhs[0..<n])
    }

    /// Restricts OpenBLAS to one thread: the library runs inside a host process whose
    /// threads it must not multiply. Called once when an engine is created.
    public static func useSingleThread() {
        openblas_set_num_threads(1)
    }
}
