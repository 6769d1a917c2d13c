/// Internal quality of a clustering (noise, label −1, left out) and agreement between two.
public enum ClusterQuality {
    /// Mean silhouette of already-sampled points (all of them, against each other).
    public static func silhouette(_ x: PointMatrix, labels: [Int32]) -> Double {
        var rng = Xoshiro256(seed: 0)
        return silhouette(x, labels: labels, sample: Int.max, rng: &rng)
    }

    /// Mean silhouette: exact on up to `sample` points, else on a seeded sample of them
    /// (against all points of the sample). NaN with fewer than two clusters.
    public static func silhouette(_ x: PointMatrix, labels: [Int32], sample: Int, rng: inout Xoshiro256) -> Double {
        var idx = (0..<x.n).filter { labels[$0] >= 0 }
        if idx.count > sample {
            for i in 0..<sample { let j = i + rng.nextInt(below: idx.count - i); idx.swapAt(i, j) }
            idx = Array(idx.prefix(sample))
        }
        let m = idx.count
        var dense = idx.map { labels[$0] }
        let k = compactLabels(&dense)
        guard k >= 2, m > k else { return .nan }
        var counts = [Double](repeating: 0, count: k)
        for l in dense { counts[Int(l)] += 1 }
        var sums = [Double](repeating: 0, count: k)
        var total = 0.0
        for a in 0..<m {
            for c in 0..<k { sums[c] = 0 }
            let pa = x.row(idx[a])
            for b in 0..<m where b != a {
                sums[Int(dense[b])] += Distance.squaredEuclidean(pa, x.row(idx[b]), x.d).squareRoot()
            }
            let own = Int(dense[a])
            if counts[own] <= 1 { continue } // silhouette 0 for singletons
            let ai = sums[own] / (counts[own] - 1)
            var bi = Double.infinity
            for c in 0..<k where c != own && counts[c] > 0 { bi = Swift.min(bi, sums[c] / counts[c]) }
            let den = Swift.max(ai, bi)
            total += den > 0 ? (bi - ai) / den : 0
        }
        return total / Double(m)
    }

    /// Centroids and sizes of the labelled clusters (labels must be compact 0..<k or −1).
    static func centroids(_ x: PointMatrix, labels: [Int32], k: Int) -> ([Double], [Double]) {
        let d = x.d
        var c = [Double](repeating: 0, count: k * d), s = [Double](repeating: 0, count: k)
        c.withUnsafeMutableBufferPointer { cb in s.withUnsafeMutableBufferPointer { sb in labels.withUnsafeBufferPointer { lb in
            let cp = cb.baseAddress!, sp = sb.baseAddress!
            for i in 0..<Swift.min(x.n, lb.count) where lb[i] >= 0 && Int(lb[i]) < k {
                let l = Int(lb[i]), p = x.row(i), o = cp + l * d
                sp[l] += 1
                for t in 0..<d { o[t] += p[t] }
            }
        } } }
        for l in 0..<k where s[l] > 0 { for t in 0..<d { c[l * d + t] /= s[l] } }
        return (c, s)
    }

    /// Per-cluster sufficient statistics of a labelled point set (one pass for the means, one
    /// for the distances): the source of inertia, Davies–Bouldin, Calinski–Harabasz and scales.
    public struct Summary: Sendable {
        /// Cluster means, `k × d`.
        public var centroids: [Double]
        /// Points per cluster.
        public var sizes: [Double]
        /// Σ distance to the mean, per cluster.
        public var sumDist: [Double]
        /// Σ squared distance to the mean, per cluster.
        public var sumSq: [Double]
    }

    /// The summary of labels in `0..<k` (others ignored).
    public static func summary(_ x: PointMatrix, labels: [Int32], k: Int) -> Summary {
        let d = x.d
        let (c, s) = centroids(x, labels: labels, k: k)
        var sd = [Double](repeating: 0, count: k), sq = [Double](repeating: 0, count: k)
        c.withUnsafeBufferPointer { cb in sd.withUnsafeMutableBufferPointer { db in sq.withUnsafeMutableBufferPointer { qb in
            labels.withUnsafeBufferPointer { lb in
                for i in 0..<Swift.min(x.n, lb.count) where lb[i] >= 0 && Int(lb[i]) < k {
                    let l = Int(lb[i])
                    let v = Distance.squaredEuclidean(x.row(i), cb.baseAddress! + l * d, d)
                    qb[l] += v; db[l] += v.squareRoot()
                }
            }
        } } }
        return Summary(centroids: c, sizes: s, sumDist: sd, sumSq: sq)
    }

    /// The summary of labels in `0..<k` (others ignored) whose cluster means are already known
    /// (`centroids`, `k × d`) together with each point's squared distance to its mean (k-means):
    /// one pass over labels and distances, none over the points.
    public static func summary(labels: [Int32], squaredDistances: [Double], centroids: [Double], k: Int) -> Summary {
        var s = [Double](repeating: 0, count: k)
        var sd = [Double](repeating: 0, count: k), sq = [Double](repeating: 0, count: k)
        let m = Swift.min(labels.count, squaredDistances.count)
        labels.withUnsafeBufferPointer { lb in squaredDistances.withUnsafeBufferPointer { db in
            s.withUnsafeMutableBufferPointer { sb in sd.withUnsafeMutableBufferPointer { sdb in sq.withUnsafeMutableBufferPointer { sqb in
                @inline(__always) func add(_ i: Int, _ root: Double) {
                    let l = Int(lb[i])
                    if l >= 0 && l < k { sb[l] += 1; sqb[l] += db[i]; sdb[l] += root }
                }
                // Square roots four lanes at a time.
                var i = 0
                while i + 4 <= m {
                    let r = VectorSqrt.roots(SIMD4<Double>(db[i], db[i + 1], db[i + 2], db[i + 3]))
                    add(i, r[0]); add(i + 1, r[1]); add(i + 2, r[2]); add(i + 3, r[3])
                    i += 4
                }
                while i < m { add(i, db[i].squareRoot()); i += 1 }
            } } }
        } }
        return Summary(centroids: centroids, sizes: s, sumDist: sd, sumSq: sq)
    }

    /// Davies–Bouldin index (lower is better). NaN with fewer than two clusters.
    public static func daviesBouldin(_ x: PointMatrix, labels: [Int32]) -> Double {
        var lab = labels
        let k = compactLabels(&lab)
        return daviesBouldin(summary(x, labels: lab, k: k), d: x.d)
    }

    /// Davies–Bouldin index from a summary (empty clusters ignored).
    public static func daviesBouldin(_ s: Summary, d: Int) -> Double {
        let used = (0..<s.sizes.count).filter { s.sizes[$0] > 0 }
        guard used.count >= 2 else { return .nan }
        var total = 0.0
        s.centroids.withUnsafeBufferPointer { cb in
            for a in used {
                var worst = 0.0
                let sa = s.sumDist[a] / s.sizes[a]
                for b in used where b != a {
                    let m = Distance.squaredEuclidean(cb.baseAddress! + a * d, cb.baseAddress! + b * d, d).squareRoot()
                    let r = m > 0 ? (sa + s.sumDist[b] / s.sizes[b]) / m : .infinity
                    worst = Swift.max(worst, r)
                }
                total += worst
            }
        }
        return total / Double(used.count)
    }

    /// Calinski–Harabasz index (higher is better). NaN with fewer than two clusters.
    public static func calinskiHarabasz(_ x: PointMatrix, labels: [Int32]) -> Double {
        var lab = labels
        let k = compactLabels(&lab)
        return calinskiHarabasz(summary(x, labels: lab, k: k), d: x.d)
    }

    /// Calinski–Harabasz index from a summary (empty clusters ignored).
    public static func calinskiHarabasz(_ s: Summary, d: Int) -> Double {
        let used = (0..<s.sizes.count).filter { s.sizes[$0] > 0 }
        let n = used.reduce(0.0) { $0 + s.sizes[$1] }
        let k = used.count
        guard k >= 2, n > Double(k) else { return .nan }
        var mean = [Double](repeating: 0, count: d)
        for l in used { for t in 0..<d { mean[t] += s.sizes[l] * s.centroids[l * d + t] } }
        for t in 0..<d { mean[t] /= n }
        var between = 0.0, within = 0.0
        for l in used {
            for t in 0..<d { let e = s.centroids[l * d + t] - mean[t]; between += s.sizes[l] * e * e }
            within += s.sumSq[l]
        }
        if within == 0 { return .infinity }
        return between * (n - Double(k)) / (within * Double(k - 1))
    }

    /// Pair counts of two labelings: (pairs together in both, together in a, together in b, all pairs).
    static func pairCounts(_ a: [Int32], _ b: [Int32]) -> (both: Double, inA: Double, inB: Double, total: Double) {
        let n = Swift.min(a.count, b.count)
        var table: [Int64: Double] = [:], ra: [Int32: Double] = [:], rb: [Int32: Double] = [:]
        for i in 0..<n {
            let key = Int64(a[i]) << 32 | Int64(UInt32(bitPattern: b[i]))
            table[key, default: 0] += 1; ra[a[i], default: 0] += 1; rb[b[i], default: 0] += 1
        }
        func c2(_ x: Double) -> Double { x * (x - 1) / 2 }
        return (table.values.reduce(0) { $0 + c2($1) }, ra.values.reduce(0) { $0 + c2($1) },
                rb.values.reduce(0) { $0 + c2($1) }, c2(Double(n)))
    }

    /// Adjusted Rand index of two labelings (noise −1 counted as one label).
    public static func adjustedRand(_ a: [Int32], _ b: [Int32]) -> Double {
        let p = pairCounts(a, b)
        guard p.total > 0 else { return 1 }
        let expected = p.inA * p.inB / p.total
        let maxIndex = 0.5 * (p.inA + p.inB)
        if maxIndex == expected { return 1 }
        return (p.both - expected) / (maxIndex - expected)
    }

    /// Pair-counting Jaccard index of two labelings.
    public static func jaccard(_ a: [Int32], _ b: [Int32]) -> Double {
        let p = pairCounts(a, b)
        let den = p.inA + p.inB - p.both
        return den > 0 ? p.both / den : 1
    }
}
