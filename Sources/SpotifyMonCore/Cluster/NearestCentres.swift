/// Nearest and second-nearest centre of every point, by blocks through BLAS:
/// `‖x − c‖² = ‖x‖² + ‖c‖² − 2·x·c` with the dot products from one `dgemm` per block of rows
/// (as scikit-learn does). The nearest distance is then recomputed exactly from the point and
/// its centre, so callers get exact nearest distances and a second-nearest accurate to rounding.
public enum NearestCentres {
    /// Rows per block.
    static let block = 2048

    /// A bound, relative to ‖x‖² + ‖y‖², on the rounding error of a dot-form squared distance
    /// `‖x‖² + ‖y‖² − 2·x·y` in `d` dimensions (any summation order, with or without FMA): each
    /// d-term sum errs by at most γ_d = d·ε/(1 − d·ε) of its absolute terms (the dot product's
    /// by γ_d·‖x‖‖y‖ ≤ γ_d·(‖x‖² + ‖y‖²)/2), and the two additions by a few ε; this is twice
    /// that total, (4d + 16)·ε.
    public static func dotFormSlack(_ d: Int) -> Double { Double(4 * d + 16) * Double.ulpOfOne }

    /// Fills `labels`, `nearest` (squared distance to the nearest centre, exact) and, if given,
    /// `second` (squared distance to the second nearest, ∞ when k = 1) for every point. With
    /// `sums` (`k × d`) and `counts` (`k`), also adds every point to its centre's running sum
    /// and count in the same pass (while its block is in cache).
    public static func assign(_ x: PointMatrix, centres: UnsafePointer<Double>, k: Int,
                              labels: UnsafeMutablePointer<Int32>, nearest: UnsafeMutablePointer<Double>,
                              second: UnsafeMutablePointer<Double>?, sums: UnsafeMutablePointer<Double>? = nil,
                              counts: UnsafeMutablePointer<Int>? = nil) {
        let n = x.n, d = x.d
        guard n > 0, k > 0 else { return }
        var cc = [Double](repeating: 0, count: k)
        for j in 0..<k { var s = 0.0; for t in 0..<d { s += centres[j * d + t] * centres[j * d + t] }; cc[j] = s }
        // Centres transposed (d × k), so that the product is a plain `nn` one (OpenBLAS's
        // small-matrix kernels, no packing of the point block).
        var ct = [Double](repeating: 0, count: d * k)
        for j in 0..<k { for t in 0..<d { ct[t * k + j] = centres[j * d + t] } }
        var dots = [Double](repeating: 0, count: Swift.min(block, n) * k)
        dots.withUnsafeMutableBufferPointer { db in cc.withUnsafeBufferPointer { cb in ct.withUnsafeBufferPointer { tb in
            let dp = db.baseAddress!, ccp = cb.baseAddress!
            /// Point `i` with nearest centre `a` and the dot forms of its best two distances.
            @inline(__always) func finish(_ i: Int, _ a: Int, _ b1: Double, _ b2: Double) {
                let xi = x.row(i)
                labels[i] = Int32(truncatingIfNeeded: a)
                let near = Distance.squaredEuclidean(xi, centres + a * d, d)
                nearest[i] = near
                // ‖x‖² is the exact nearest distance minus its dot form (to rounding).
                second?[i] = Swift.max(0, b2 + (near - b1))
                if let sums, let counts {
                    counts[a] += 1
                    let sa = sums + a * d
                    for t in 0..<d { sa[t] += xi[t] }
                }
            }
            var start = 0
            while start < n {
                let rows = Swift.min(block, n - start)
                LinearAlgebra.gemm(m: rows, n: k, k: d, a: x.row(start), lda: d, b: tb.baseAddress!, ldb: k,
                                   c: dp, ldc: k)
                // Running best two of four rows at a time in SIMD lanes: four independent
                // chains instead of one serial min-chain per row (branch-free selects).
                var r = 0
                while r + 4 <= rows {
                    var b1 = SIMD4<Double>(repeating: .infinity), b2 = b1
                    var am = SIMD4<Int64>(repeating: 0)
                    let row = dp + r * k
                    for j in 0..<k {
                        let dv = SIMD4<Double>(row[j], row[k + j], row[2 * k + j], row[3 * k + j])
                        let v = SIMD4<Double>(repeating: ccp[j]) - 2 * dv
                        let lt = v .< b1
                        let m = v.replacing(with: b1, where: lt)
                        b2 = b2.replacing(with: m, where: m .< b2)
                        b1 = b1.replacing(with: v, where: lt)
                        am = am.replacing(with: Int64(j), where: lt)
                    }
                    for q in 0..<4 { finish(start + r + q, Int(am[q]), b1[q], b2[q]) }
                    r += 4
                }
                while r < rows {
                    let row = dp + r * k
                    var b1 = Double.infinity, b2 = Double.infinity, a = 0
                    for j in 0..<k {
                        let v = ccp[j] - 2 * row[j]
                        a = v < b1 ? j : a
                        b2 = Swift.min(b2, Swift.max(b1, v))
                        b1 = Swift.min(b1, v)
                    }
                    finish(start + r, a, b1, b2)
                    r += 1
                }
                start += rows
            }
        } } }
    }
}
