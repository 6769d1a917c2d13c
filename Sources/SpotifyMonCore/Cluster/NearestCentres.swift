/// Nearest and second-nearest centre of every point, by blocks through BLAS:
/// `‖x − c‖² = ‖x‖² + ‖c‖² − 2·x·c` with the dot products from one `dgemm` per block of rows
/// (as scikit-learn does). The nearest distance is then recomputed exactly from the point and
/// its centre, so callers get exact nearest distances and a second-nearest accurate to rounding.
public enum NearestCentres {
    /// Rows per block.
    static let block = 2048

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
        var dots = [Double](repeating: 0, count: Swift.min(block, n) * k)
        dots.withUnsafeMutableBufferPointer { db in cc.withUnsafeBufferPointer { cb in
            let dp = db.baseAddress!, ccp = cb.baseAddress!
            var start = 0
            while start < n {
                let rows = Swift.min(block, n - start)
                LinearAlgebra.gemm(m: rows, n: k, k: d, a: x.row(start), lda: d, b: centres, ldb: d, transB: true,
                                   c: dp, ldc: k)
                for r in 0..<rows {
                    let i = start + r
                    let row = dp + r * k
                    // Branch-free running best two (the order of centres is unpredictable).
                    var b1 = Double.infinity, b2 = Double.infinity, a = 0
                    for j in 0..<k {
                        let v = ccp[j] - 2 * row[j]
                        a = v < b1 ? j : a
                        b2 = Swift.min(b2, Swift.max(b1, v))
                        b1 = Swift.min(b1, v)
                    }
                    let xi = x.row(i)
                    var xx = 0.0
                    for t in 0..<d { xx += xi[t] * xi[t] }
                    labels[i] = Int32(a)
                    nearest[i] = Distance.squaredEuclidean(xi, centres + a * d, d)
                    second?[i] = Swift.max(0, b2 + xx)
                    if let sums, let counts {
                        counts[a] += 1
                        let sa = sums + a * d
                        for t in 0..<d { sa[t] += xi[t] }
                    }
                }
                start += rows
            }
        } }
    }
}
