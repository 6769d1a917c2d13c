/// Spectral clustering (Ng–Jordan–Weiss, as scikit-learn runs it with a nearest-neighbour
/// affinity): a symmetric k-NN graph `W = ½(C + Cᵀ)` from a k-d tree, the normalised
/// adjacency `D^{-1/2} W D^{-1/2}` as a sparse matrix, its top `k` eigenvectors by a block
/// Krylov method with LAPACK Rayleigh–Ritz (no dense n×n matrix), the embedding `U / √deg`,
/// and k-means on it.
public enum SpectralClustering {
    /// Labels of `x` in `k` clusters.
    public static func fit(_ x: PointMatrix, k: Int, neighbors: Int, nInit: Int, rng: inout Xoshiro256) throws -> [Int32] {
        let n = x.n
        let k = Swift.max(1, Swift.min(k, n))
        if n <= k { return (0..<n).map { Int32($0) } }
        let graph = affinity(x, neighbors: neighbors)
        let (_, vecs) = try BlockKrylovEigen.largest(
            n: n, count: k, block: k + 2, steps: 3, maxCycles: 60, tol: 3e-3, rng: &rng,
            apply: { src, dst in graph.matrix.multiply(src, dst, shift: 1) },
            applyBlock: { src, dst, count in graph.matrix.multiplyBlock(src, dst, count: count, shift: 1) })
        // Embedding: row i = (u_1(i), …, u_k(i)) / √deg(i).
        var emb = [Double](repeating: 0, count: n * k)
        for j in 0..<k { for i in 0..<n { emb[i * k + j] = vecs[j * n + i] * graph.invSqrtDegree[i] } }
        return emb.withPoints(n: n, d: k) { e in
            KMeans.fit(e, k: k, nInit: nInit, maxIter: 300, tol: 1e-4, rng: &rng).labels
        }
    }

    /// The normalised affinity matrix and `1/√deg`.
    static func affinity(_ x: PointMatrix, neighbors: Int) -> (matrix: SparseSymmetric, invSqrtDegree: [Double]) {
        let n = x.n
        let kk = Swift.min(neighbors, n)
        let tree = KDTree(x.base, n: n, d: x.d)
        let (nbr, _) = tree.nearestAll(k: kk)
        var edges: [(Int32, Int32)] = []
        edges.reserveCapacity(2 * n * kk)
        for i in 0..<n {
            var selfSeen = false
            for r in 0..<kk {
                let j = nbr[i * kk + r]
                if Int(j) == i { selfSeen = true; continue }
                // With duplicates the point itself may be crowded out: keep kk − 1 others.
                if !selfSeen && r == kk - 1 { continue }
                edges.append((Int32(i), j)); edges.append((j, Int32(i)))
            }
        }
        // CSR of W = ½(C + Cᵀ) by counting sort on the source, then per-row merge of duplicates.
        var rowStart = [Int](repeating: 0, count: n + 1)
        for (a, _) in edges { rowStart[Int(a) + 1] += 1 }
        for i in 0..<n { rowStart[i + 1] += rowStart[i] }
        var fill = rowStart
        var raw = [Int32](repeating: 0, count: edges.count)
        for (a, b) in edges { raw[fill[Int(a)]] = b; fill[Int(a)] += 1 }
        var col: [Int32] = [], val: [Double] = []
        col.reserveCapacity(edges.count); val.reserveCapacity(edges.count)
        var newStart = [Int](repeating: 0, count: n + 1)
        for i in 0..<n {
            newStart[i] = col.count
            var row = raw[rowStart[i]..<rowStart[i + 1]]
            row.sort()
            var e = row.startIndex
            while e < row.endIndex {
                let j = row[e]
                var w = 0.0
                while e < row.endIndex && row[e] == j { w += 0.5; e += 1 }
                col.append(j); val.append(w)
            }
        }
        newStart[n] = col.count
        rowStart = newStart
        var deg = [Double](repeating: 0, count: n)
        for i in 0..<n { for t in rowStart[i]..<rowStart[i + 1] { deg[i] += val[t] } }
        let isq = deg.map { $0 > 0 ? 1 / $0.squareRoot() : 1 }
        for i in 0..<n { for t in rowStart[i]..<rowStart[i + 1] { val[t] *= isq[i] * isq[Int(col[t])] } }
        return (SparseSymmetric(n: n, rowStart: rowStart, col: col, val: val), isq)
    }
}
