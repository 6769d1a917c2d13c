/// Hierarchical agglomerative clustering.
///
/// - Ward: nearest-neighbour chain over cluster centroids with the Ward distance
///   `|A||B|/(|A|+|B|)·‖cA − cB‖²` (Lance–Williams-consistent), O(n·d) memory.
/// - Average and complete: nearest-neighbour chain with Lance–Williams updates on a condensed
///   single-precision distance matrix (O(n²) memory, so capped at `pairwiseCap` points).
/// - Single: Prim's minimum spanning tree, O(n²) time and O(n) memory.
public enum Agglomerative {
    /// Most points average/complete linkage accept (the condensed matrix is n²/2 floats).
    public static let pairwiseCap = 12_000

    /// The dendrogram of `x` under `linkage`.
    public static func fit(_ x: PointMatrix, linkage: Linkage) throws -> Dendrogram {
        switch linkage {
        case .ward: return ward(x)
        case .single: return single(x)
        case .average, .complete:
            guard x.n <= pairwiseCap else {
                throw SMONError.capacity("\(linkage.rawValue) linkage keeps all pairwise distances: at most \(pairwiseCap) points (got \(x.n)); use ward or single")
            }
            return pairwise(x, average: linkage == .average)
        }
    }

    /// Ward linkage by nearest-neighbour chain on centroids; `weights` (optional, positive)
    /// make each point count as that many (micro-clusters of the online clusterer).
    public static func ward(_ x: PointMatrix, weights: [Double]? = nil) -> Dendrogram {
        let n = x.n, d = x.d
        if n < 2 { return Dendrogram(n: n, merges: []) }
        // Active clusters stored compactly by position.
        var cent = [Double](repeating: 0, count: n * d)
        for t in 0..<(n * d) { cent[t] = x.base[t] }
        var size = weights.map { w in w.map { Swift.max($0, 1e-9) } } ?? [Double](repeating: 1, count: n)
        var leaf = (0..<n).map { Int32($0) }          // a leaf of the cluster at each position
        var idAt = (0..<n).map { $0 }                  // cluster id at each position
        var posOf = (0..<n).map { $0 }                 // position of each cluster id (−1: gone)
        var active = n
        var chain: [Int] = []                          // cluster ids
        chain.reserveCapacity(n)
        var merges: [Dendrogram.Merge] = []
        merges.reserveCapacity(n - 1)
        cent.withUnsafeMutableBufferPointer { cb in size.withUnsafeMutableBufferPointer { sb in
            let cp = cb.baseAddress!, sp = sb.baseAddress!
            while active > 1 {
                if chain.isEmpty { chain.append(idAt[0]) }
                let a = chain[chain.count - 1]
                let pa = posOf[a]
                let prev = chain.count >= 2 ? chain[chain.count - 2] : -1
                let ca = cp + pa * d, sa = sp[pa]
                var best = Double.infinity, bestPos = -1
                // Prefer the previous chain element on ties (guarantees termination).
                if prev >= 0 {
                    let pp = posOf[prev]
                    best = sa * sp[pp] / (sa + sp[pp]) * Distance.squaredEuclidean(ca, cp + pp * d, d)
                    bestPos = pp
                }
                // w = sa·sj/(sa+sj)·D² < best  ⇔  sa·sj·D² < best·(sa+sj): no division per candidate.
                // The first half of the coordinates often rules a candidate out already.
                let half = d / 2
                for p in 0..<active where p != pa {
                    let sj = sp[p]
                    let cj = cp + p * d
                    let bound = best * (sa + sj), f = sa * sj
                    var part = 0.0
                    for t in 0..<half { let e = ca[t] - cj[t]; part += e * e }
                    if f * part >= bound { continue }
                    for t in half..<d { let e = ca[t] - cj[t]; part += e * e }
                    if f * part < bound { best = f / (sa + sj) * part; bestPos = p }
                }
                let b = idAt[bestPos]
                if b == prev {
                    chain.removeLast(2)
                    let pb = bestPos
                    let sb2 = sp[pb], tot = sa + sb2
                    merges.append(.init(a: leaf[pa], b: leaf[pb], height: (2 * best).squareRoot(), size: Int32(tot)))
                    // Merged cluster goes to position pa with id a; position pb is removed.
                    for t in 0..<d { ca[t] = (sa * ca[t] + sb2 * cp[pb * d + t]) / tot }
                    sp[pa] = tot
                    let last = active - 1
                    posOf[b] = -1
                    if pb != last {
                        for t in 0..<d { cp[pb * d + t] = cp[last * d + t] }
                        sp[pb] = sp[last]; leaf[pb] = leaf[last]
                        let moved = idAt[last]; idAt[pb] = moved; posOf[moved] = pb
                    }
                    active -= 1
                } else {
                    chain.append(b)
                }
            }
        } }
        return Dendrogram(n: n, merges: merges)
    }

    /// Single linkage by Prim's algorithm.
    static func single(_ x: PointMatrix) -> Dendrogram {
        let n = x.n, d = x.d
        if n < 2 { return Dendrogram(n: n, merges: []) }
        var inTree = [Bool](repeating: false, count: n)
        var best = [Double](repeating: .infinity, count: n)
        var from = [Int32](repeating: 0, count: n)
        var merges: [Dendrogram.Merge] = []
        var cur = 0
        inTree[0] = true
        for _ in 1..<n {
            var next = -1, nd = Double.infinity
            let c = x.row(cur)
            for j in 0..<n where !inTree[j] {
                let v = Distance.squaredEuclidean(c, x.row(j), d)
                if v < best[j] { best[j] = v; from[j] = Int32(cur) }
                if best[j] < nd { nd = best[j]; next = j }
            }
            if next < 0 { break }
            inTree[next] = true
            merges.append(.init(a: from[next], b: Int32(next), height: nd.squareRoot(), size: 0))
            cur = next
        }
        return Dendrogram(n: n, merges: merges)
    }

    /// Average or complete linkage by nearest-neighbour chain on a condensed matrix.
    static func pairwise(_ x: PointMatrix, average: Bool) -> Dendrogram {
        let n = x.n, d = x.d
        if n < 2 { return Dendrogram(n: n, merges: []) }
        var dm = [Float](repeating: 0, count: n * (n - 1) / 2)
        @inline(__always) func idx(_ i: Int, _ j: Int) -> Int {
            let (a, b) = i < j ? (i, j) : (j, i)
            return a * (2 * n - a - 1) / 2 + (b - a - 1)
        }
        for i in 0..<n { for j in (i + 1)..<n { dm[idx(i, j)] = Float(Distance.squaredEuclidean(x.row(i), x.row(j), d).squareRoot()) } }
        var alive = [Bool](repeating: true, count: n)
        var size = [Double](repeating: 1, count: n)
        let leaf = (0..<n).map { Int32($0) }
        var chain: [Int] = []
        var merges: [Dendrogram.Merge] = []
        var remaining = n
        var firstAlive = 0
        while remaining > 1 {
            if chain.isEmpty {
                while !alive[firstAlive] { firstAlive += 1 }
                chain.append(firstAlive)
            }
            let a = chain[chain.count - 1]
            let prev = chain.count >= 2 ? chain[chain.count - 2] : -1
            var best = Float.infinity, b = -1
            if prev >= 0 { best = dm[idx(a, prev)]; b = prev }
            for j in 0..<n where alive[j] && j != a {
                let v = dm[idx(a, j)]
                if v < best { best = v; b = j }
            }
            if b == prev {
                chain.removeLast(2)
                merges.append(.init(a: leaf[a], b: leaf[b], height: Double(best), size: Int32(size[a] + size[b])))
                // Merge b into a with Lance–Williams.
                for j in 0..<n where alive[j] && j != a && j != b {
                    let da = dm[idx(a, j)], db = dm[idx(b, j)]
                    dm[idx(a, j)] = average
                        ? Float((size[a] * Double(da) + size[b] * Double(db)) / (size[a] + size[b]))
                        : Swift.max(da, db)
                }
                size[a] += size[b]
                alive[b] = false
                remaining -= 1
            } else {
                chain.append(b)
            }
        }
        return Dendrogram(n: n, merges: merges)
    }
}
