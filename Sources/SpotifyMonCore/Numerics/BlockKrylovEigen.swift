/// A symmetric sparse matrix in compressed-row form.
public struct SparseSymmetric: Sendable {
    /// Size.
    public var n: Int
    /// Row starts (`n + 1`).
    public var rowStart: [Int]
    /// Column of each entry.
    public var col: [Int32]
    /// Value of each entry.
    public var val: [Double]

    /// `Y = (A + shift·I)·X` for `count` vectors stored as rows of length `n` (`X`, `Y`:
    /// `count × n`). The block is transposed once so that each stored entry updates all
    /// vectors from contiguous memory (sparse × dense block, far fewer index loads).
    public func multiplyBlock(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int, shift: Double) {
        if count == 1 { multiply(x, y, shift: shift); return }
        // Rows of the transposed block padded to a multiple of four, so that every row is
        // accumulated in SIMD registers four vectors at a time (no partial lanes).
        let w4 = (count + 3) & ~3
        var xt = [Double](repeating: 0, count: n * w4)
        xt.withUnsafeMutableBufferPointer { tb in
            let t = tb.baseAddress!
            for c in 0..<count { for i in 0..<n { t[i * w4 + c] = x[c * n + i] } }
            rowStart.withUnsafeBufferPointer { rs in col.withUnsafeBufferPointer { cb in val.withUnsafeBufferPointer { vb in
                @inline(__always) func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> { SIMD4(p[0], p[1], p[2], p[3]) }
                for i in 0..<n {
                    let own = t + i * w4
                    var c = 0
                    // Eight vectors per sweep over the row's entries (two accumulators: each
                    // index and value is loaded once for both), then a last four.
                    while c + 8 <= w4 {
                        var acc0 = shift * load(own + c), acc1 = shift * load(own + c + 4)
                        for e in rs[i]..<rs[i + 1] {
                            let v = vb[e], src = t + Int(cb[e]) * w4 + c
                            acc0 += v * load(src); acc1 += v * load(src + 4)
                        }
                        for q in 0..<Swift.min(4, count - c) { y[(c + q) * n + i] = acc0[q] }
                        for q in 0..<Swift.min(4, count - c - 4) { y[(c + 4 + q) * n + i] = acc1[q] }
                        c += 8
                    }
                    if c < w4 {
                        var acc = shift * load(own + c)
                        for e in rs[i]..<rs[i + 1] { acc += vb[e] * load(t + Int(cb[e]) * w4 + c) }
                        for q in 0..<Swift.min(4, count - c) { y[(c + q) * n + i] = acc[q] }
                    }
                }
            } } }
        }
    }

    /// `y = (A + shift·I)·x` for one vector.
    @inlinable
    public func multiply(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, shift: Double) {
        rowStart.withUnsafeBufferPointer { rs in col.withUnsafeBufferPointer { cb in val.withUnsafeBufferPointer { vb in
            for i in 0..<n {
                var s = shift * x[i]
                for e in rs[i]..<rs[i + 1] { s += vb[e] * x[Int(cb[e])] }
                y[i] = s
            }
        } } }
    }
}

/// The largest eigenpairs of a symmetric positive semi-definite operator by a restarted block
/// Krylov method: each cycle builds an orthonormal basis of [X, AX, …, AᵠX] (block
/// Gram–Schmidt through BLAS, twice), projects A on it and solves the small dense problem
/// with LAPACK (`dsyevd`, Rayleigh–Ritz); the best Ritz vectors start the next cycle. Blocks
/// handle repeated eigenvalues (e.g. a graph with several components).
public enum BlockKrylovEigen {
    /// Eigenvalues (descending) and eigenvectors (`count` rows of length `n`).
    public static func largest(n: Int, count: Int, block: Int, steps: Int, maxCycles: Int, tol: Double,
                               rng: inout Xoshiro256,
                               apply: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void,
                               applyBlock: ((UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void)? = nil) throws
        -> (values: [Double], vectors: [Double]) {
        let count = Swift.min(count, n)
        let b = Swift.min(Swift.max(block, count), n)
        let q = Swift.max(1, Swift.min(steps, n / b - 1))
        let mMax = b * (q + 1)
        var basis = [Double](repeating: 0, count: mMax * n)   // rows: basis vectors
        var images = [Double](repeating: 0, count: mMax * n)  // rows: A · basis vectors
        var x = [Double](repeating: 0, count: b * n)
        for t in 0..<(b * n) { x[t] = rng.nextGaussian() }
        var coef = [Double](repeating: 0, count: mMax * b), coefPass = coef
        var values = [Double](repeating: 0, count: count)
        var vectors = [Double](repeating: 0, count: count * n)
        for cycle in 0..<Swift.max(1, maxCycles) {
            var m = 0
            var cur = x
            var step = 0
            // Rayleigh–Ritz matrix T = Q·(AQ)ᵀ, filled from the Gram–Schmidt coefficients:
            // the images of block j are `cur` when block j + 1 is orthonormalised, and
            // `cur = Cᵀ·Q + L·Q_{j+1}` gives their coordinates on the basis (C: projections on
            // the earlier blocks, L: the Cholesky QR factor), so column c of T is read off,
            // not recomputed with an m × m × n product. Only the last block's images (never
            // orthonormalised) need one m × b × n product; any fallback to Gram–Schmidt by
            // vector breaks the relation and computes T in full.
            var t = Matrix(rows: mMax, cols: mMax)
            var fullT = false
            var prevStart = -1, prevAdded = 0  // the block whose images are the first rows of `cur`
            while step <= q && m + b <= mMax {
                // Orthogonalise `cur` against the basis (two passes) and within itself.
                let (added, factor) = orthonormalise(&cur, rows: b, n: n, against: &basis, m: m, coef: &coef,
                                                     scratch: &coefPass, rng: &rng)
                if prevStart >= 0 {
                    if let factor {
                        for r in 0..<prevAdded {
                            let c = prevStart + r
                            for i in 0..<m { t[i, c] = coef[i * b + r] }
                            for s in 0..<added { t[m + s, c] = factor[r * b + s] }
                        }
                    } else { fullT = true }
                }
                if added == 0 { break }
                for r in 0..<added { for t in 0..<n { basis[(m + r) * n + t] = cur[r * n + t] } }
                basis.withUnsafeBufferPointer { bb in images.withUnsafeMutableBufferPointer { ib in
                    if let applyBlock {
                        applyBlock(bb.baseAddress! + m * n, ib.baseAddress! + m * n, added)
                    } else {
                        for r in 0..<added { apply(bb.baseAddress! + (m + r) * n, ib.baseAddress! + (m + r) * n) }
                    }
                } }
                // Next block: the images of this one.
                cur = [Double](repeating: 0, count: b * n)
                for r in 0..<added { for t in 0..<n { cur[r * n + t] = images[(m + r) * n + t] } }
                for r in added..<b { for t in 0..<n { cur[r * n + t] = rng.nextGaussian() } }
                prevStart = m; prevAdded = added
                m += added
                step += 1
            }
            // The columns T lacks: all of them after a fallback, else the last block's.
            let (c0, width) = fullT || prevStart < 0 ? (0, m) : (prevStart, m - prevStart)
            var cols = [Double](repeating: 0, count: m * width)
            basis.withUnsafeBufferPointer { bb in images.withUnsafeBufferPointer { ib in cols.withUnsafeMutableBufferPointer { cb in
                LinearAlgebra.gemm(m: m, n: width, k: n, a: bb.baseAddress!, lda: n, b: ib.baseAddress! + c0 * n, ldb: n,
                                   transB: true, c: cb.baseAddress!, ldc: width)
            } } }
            for i in 0..<m { for c in 0..<width { t[i, c0 + c] = cols[i * width + c] } }
            t = rayleighRitzBlock(t, m)
            let (w, v) = try LinearAlgebra.symmetricEigen(t)
            // Top b Ritz vectors: X = Vᵀ_top · Q, and their images.
            let take = Swift.min(b, m)
            var sel = [Double](repeating: 0, count: take * m)
            for r in 0..<take { let col = m - 1 - r; for i in 0..<m { sel[r * m + i] = v[i, col] } }
            var newX = [Double](repeating: 0, count: b * n)
            var newAX = [Double](repeating: 0, count: take * n)
            sel.withUnsafeBufferPointer { sb in basis.withUnsafeBufferPointer { bb in images.withUnsafeBufferPointer { ib in
                newX.withUnsafeMutableBufferPointer { xb in newAX.withUnsafeMutableBufferPointer { ab in
                    LinearAlgebra.gemm(m: take, n: n, k: m, a: sb.baseAddress!, lda: m, b: bb.baseAddress!, ldb: n,
                                       c: xb.baseAddress!, ldc: n)
                    LinearAlgebra.gemm(m: take, n: n, k: m, a: sb.baseAddress!, lda: m, b: ib.baseAddress!, ldb: n,
                                       c: ab.baseAddress!, ldc: n)
                } }
            } } }
            var converged = true
            for r in 0..<Swift.min(count, take) {
                let theta = w[m - 1 - r]
                var res = 0.0
                for i in 0..<n { let e = newAX[r * n + i] - theta * newX[r * n + i]; res += e * e }
                if res.squareRoot() > tol * Swift.max(abs(theta), 1e-12) { converged = false }
                values[r] = theta
            }
            for r in take..<b { for i in 0..<n { newX[r * n + i] = rng.nextGaussian() } }
            x = newX
            for t in 0..<(Swift.min(count, take) * n) { vectors[t] = newX[t] }
            if converged || cycle == maxCycles - 1 { break }
        }
        return (values, vectors)
    }

    /// The leading `m × m` block of `t`, symmetrised (the average of T and Tᵀ).
    static func rayleighRitzBlock(_ t: Matrix, _ m: Int) -> Matrix {
        var out = Matrix(rows: m, cols: m)
        for i in 0..<m { for j in 0..<m { out[i, j] = 0.5 * (t[i, j] + t[j, i]) } }
        return out
    }

    /// Cholesky QR, twice (CholQR2): `G = Y·Yᵀ` (BLAS), `L = chol(G)` (LAPACK), `Y ← L⁻¹·Y`.
    /// Returns the combined factor `L₁·L₂` (`b × b` lower triangular, row-major: the old `Y`
    /// is `L₁·L₂` times the new one), or nil (leaving `y` untouched) when the block is
    /// numerically rank-deficient.
    static func choleskyQR(_ y: inout [Double], rows b: Int, n: Int) -> [Double]? {
        var out = [Double](repeating: 0, count: b * n)
        let saved = y
        var factor = [Double](repeating: 0, count: b * b)
        for i in 0..<b { factor[i * b + i] = 1 }
        for _ in 0..<2 {
            var g = Matrix(rows: b, cols: b)
            y.withUnsafeBufferPointer { yb in g.data.withUnsafeMutableBufferPointer { gb in
                LinearAlgebra.gemm(m: b, n: b, k: n, a: yb.baseAddress!, lda: n, b: yb.baseAddress!, ldb: n, transB: true,
                                   c: gb.baseAddress!, ldc: b)
            } }
            guard let l = try? LinearAlgebra.cholesky(g) else { y = saved; return nil }
            for i in 0..<b where !(l[i, i] * l[i, i] > 1e-10 * Swift.max(g[i, i], 1e-300)) { y = saved; return nil }
            // factor ← factor · L (both lower triangular).
            var next = [Double](repeating: 0, count: b * b)
            for r in 0..<b { for c in 0...r { var v = 0.0; for s in c...r { v += factor[r * b + s] * l.data[s * b + c] }; next[r * b + c] = v } }
            factor = next
            // L⁻¹ by forward substitution (b is small).
            var inv = [Double](repeating: 0, count: b * b)
            for c in 0..<b {
                for r in c..<b {
                    var s = r == c ? 1.0 : 0.0
                    for m in c..<r { s -= l.data[r * b + m] * inv[m * b + c] }
                    inv[r * b + c] = s / l.data[r * b + r]
                }
            }
            inv.withUnsafeBufferPointer { ib in y.withUnsafeBufferPointer { yb in out.withUnsafeMutableBufferPointer { ob in
                LinearAlgebra.gemm(m: b, n: n, k: b, a: ib.baseAddress!, lda: b, b: yb.baseAddress!, ldb: n,
                                   c: ob.baseAddress!, ldc: n)
            } } }
            swap(&y, &out)
        }
        return factor
    }

    /// Orthonormalises the `rows` vectors of `y` against `basis[0..<m]` and each other;
    /// returns how many independent vectors remain (moved to the front of `y`) and, when the
    /// block stayed whole, its coordinates: `coef` (`m × rows`, both passes summed) holds the
    /// projections on the basis and the factor `L` (`rows × rows`) those on the new vectors,
    /// `y_old = coefᵀ·Q + L·y_new`. The factor is nil after a fallback to Gram–Schmidt by vector.
    static func orthonormalise(_ y: inout [Double], rows: Int, n: Int, against basis: inout [Double], m: Int,
                               coef: inout [Double], scratch: inout [Double], rng: inout Xoshiro256) -> (Int, [Double]?) {
        if m > 0 {
            /// One pass: C = Q·Yᵀ (m × rows); Y -= Cᵀ·Q.
            func project(_ c: inout [Double]) {
                basis.withUnsafeBufferPointer { bb in y.withUnsafeMutableBufferPointer { yb in c.withUnsafeMutableBufferPointer { cb in
                    LinearAlgebra.gemm(m: m, n: rows, k: n, a: bb.baseAddress!, lda: n, b: yb.baseAddress!, ldb: n, transB: true,
                                       c: cb.baseAddress!, ldc: rows)
                    LinearAlgebra.gemm(m: rows, n: n, k: m, alpha: -1, a: cb.baseAddress!, lda: rows, transA: true,
                                       b: bb.baseAddress!, ldb: n, beta: 1, c: yb.baseAddress!, ldc: n)
                } } }
            }
            project(&coef)
            project(&scratch)
            for i in 0..<(m * rows) { coef[i] += scratch[i] }
        }
        if let factor = choleskyQR(&y, rows: rows, n: n) { return (rows, factor) }
        var kept = 0
        for r in 0..<rows {
            // Modified Gram–Schmidt against the kept vectors of this block.
            var norm0 = 0.0
            for t in 0..<n { norm0 += y[r * n + t] * y[r * n + t] }
            for _ in 0..<2 {
                for s in 0..<kept {
                    var dot = 0.0
                    for t in 0..<n { dot += y[s * n + t] * y[r * n + t] }
                    for t in 0..<n { y[r * n + t] -= dot * y[s * n + t] }
                }
            }
            var norm = 0.0
            for t in 0..<n { norm += y[r * n + t] * y[r * n + t] }
            if norm <= 1e-20 * Swift.max(norm0, 1e-300) || norm == 0 { continue }
            let inv = 1 / norm.squareRoot()
            for t in 0..<n { y[kept * n + t] = y[r * n + t] * inv }
            kept += 1
        }
        _ = rng
        return (kept, nil)
    }
}
