import Testing
@testable import SpotifyMonCore

/// The fast paths of the batch algorithms against their plain definitions.
@Suite("Clustering fast paths")
struct ClusterFastPathTests {
    @Test func simdExpMatchesScalar() {
        var xs: [Double] = [-1000, -708.5, -708, -300.25, -1, -1e-9, 0, 1e-9, 0.5, 1, 2.75, 300, 708.9, 709, 800]
        var rng = Xoshiro256(seed: 3)
        for _ in 0..<400 { xs.append((rng.nextUnit() - 0.5) * 1400) }
        while xs.count % 4 != 0 { xs.append(rng.nextUnit()) }
        var v = xs
        v.withUnsafeMutableBufferPointer { fastExpInPlace($0.baseAddress!, $0.count) }
        for (a, b) in zip(xs, v) { #expect(Self.referenceExp(a) == b, "x = \(a)") }
        // Counts that leave one to three values for the last call.
        for tail in 1...3 {
            var w = Array(xs.prefix(12 + tail))
            w.withUnsafeMutableBufferPointer { fastExpInPlace($0.baseAddress!, $0.count) }
            for (a, b) in zip(xs, w) { #expect(Self.referenceExp(a) == b, "x = \(a), tail \(tail)") }
        }
    }

    /// `fastExp`'s definition one value at a time (rounding by `rounded`, 2^k by bit pattern).
    static func referenceExp(_ x: Double) -> Double {
        let xc = Swift.min(Swift.max(x, -708.0), 709.0)
        let k = (xc * 1.4426950408889634).rounded(.toNearestOrEven)
        let r = (xc - k * 0.6931471803691238) - k * 1.9082149292705877e-10
        var p = 1.0 / 479001600.0
        for c in [1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0,
                  1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] { p = p * r + c }
        return p * Double(bitPattern: UInt64(Int64(k) + 1023) << 52)
    }

    @Test(arguments: [(700, 3, 0.8), (900, 8, 2.0)])
    func cappedNeighbourCountsDecideCoreExactly(_ n: Int, _ d: Int, _ radius: Double) {
        let (x, _) = clusterBlobs(n: n, d: d, k: 3, seed: 5, spread: 1.5)
        let r2 = radius * radius
        let tree = x.withUnsafeBufferPointer { KDTree($0.baseAddress!, n: n, d: d) }
        let exact = tree.neighbourCounts(r2)
        for cap in [1, 5, 12] {
            let capped = tree.neighbourCounts(r2, cap: cap)
            for i in 0..<n {
                var brute: Int32 = 0
                x.withUnsafeBufferPointer { xb in
                    for j in 0..<n where Distance.squaredEuclidean(xb.baseAddress! + i * d, xb.baseAddress! + j * d, d) <= r2 { brute += 1 }
                }
                #expect(exact[i] == brute)
                #expect((capped[i] >= Int32(cap)) == (brute >= Int32(cap)), "point \(i), cap \(cap)")
                if brute < Int32(cap) { #expect(capped[i] == brute) }
            }
        }
    }

    @Test func blockedAssignmentMatchesBruteForce() {
        let n = 1027, d = 5, k = 7
        var rng = Xoshiro256(seed: 9)
        let x = (0..<(n * d)).map { _ in rng.nextGaussian() * 3 }
        let c = (0..<(k * d)).map { _ in rng.nextGaussian() * 3 }
        var labels = [Int32](repeating: 0, count: n), near = [Double](repeating: 0, count: n), sec = near
        var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
        x.withPoints(n: n, d: d) { xp in c.withUnsafeBufferPointer { cb in
            NearestCentres.assign(xp, centres: cb.baseAddress!, k: k, labels: &labels, nearest: &near, second: &sec,
                                  sums: &sums, counts: &counts)
        } }
        var bruteSums = [Double](repeating: 0, count: k * d)
        for i in 0..<n {
            let dist = (0..<k).map { j in (0..<d).reduce(0.0) { $0 + (x[i * d + $1] - c[j * d + $1]) * (x[i * d + $1] - c[j * d + $1]) } }
            let order = dist.indices.sorted { dist[$0] < dist[$1] }
            #expect(Int(labels[i]) == order[0] || abs(dist[Int(labels[i])] - dist[order[0]]) < 1e-9)
            #expect(abs(near[i] - dist[order[0]]) < 1e-9 * Swift.max(1, dist[order[0]]))
            #expect(abs(sec[i] - dist[order[1]]) < 1e-8 * Swift.max(1, dist[order[1]]))
            for t in 0..<d { bruteSums[Int(labels[i]) * d + t] += x[i * d + t] }
        }
        #expect(counts.reduce(0, +) == n)
        for t in 0..<(k * d) { #expect(abs(sums[t] - bruteSums[t]) < 1e-9) }
    }

    @Test func kmeansSummaryFromDistancesEqualsRecomputed() throws {
        let (x, _) = clusterBlobs(n: 900, d: 4, k: 5, seed: 2)
        var rng = Xoshiro256(seed: 1)
        let r = x.withPoints(n: 900, d: 4) { KMeans.fit($0, k: 5, nInit: 2, maxIter: 300, tol: 1e-4, rng: &rng) }
        #expect(r.squaredDistances.count == 900)
        let fast = ClusterQuality.summary(labels: r.labels, squaredDistances: r.squaredDistances, centroids: r.centroids, k: 5)
        let slow = x.withPoints(n: 900, d: 4) { ClusterQuality.summary($0, labels: r.labels, k: 5) }
        #expect(fast.sizes == slow.sizes)
        for l in 0..<5 {
            #expect(abs(fast.sumSq[l] - slow.sumSq[l]) < 1e-8 * Swift.max(1, slow.sumSq[l]))
            #expect(abs(fast.sumDist[l] - slow.sumDist[l]) < 1e-8 * Swift.max(1, slow.sumDist[l]))
        }
        for t in 0..<(5 * 4) { #expect(abs(fast.centroids[t] - slow.centroids[t]) < 1e-9) }
        #expect(abs(r.inertia - fast.sumSq.reduce(0, +)) < 1e-8 * r.inertia)
    }

    /// The tree's quickselect leaves the `mid`-th value in place with nothing larger before it
    /// and nothing smaller after it, on distinct values, heavy ties and a constant column.
    @Test func kdTreeSelectPartitionsAtTheMedian() {
        var rng = Xoshiro256(seed: 4)
        for (n, levels) in [(1, 0), (2, 0), (3, 2), (257, 0), (1000, 3), (1000, 1)] {
            let d = 2
            let x = (0..<(n * d)).map { _ in levels == 0 ? rng.nextUnit() : Double(rng.nextInt(below: levels)) }
            for (lo, hi) in [(0, n), (n / 3, n)] where hi - lo > 0 {
                var order = Array(0..<n)
                let mid = (lo + hi) / 2
                x.withUnsafeBufferPointer { xb in order.withUnsafeMutableBufferPointer { ob in
                    KDTree.select(xb.baseAddress!, d: d, dim: 1, ob.baseAddress!, lo, hi, mid)
                } }
                let v = order.map { x[$0 * d + 1] }
                let sorted = v[lo..<hi].sorted()
                #expect(v[mid] == sorted[mid - lo])
                #expect(v[lo..<mid].allSatisfy { $0 <= v[mid] } && v[mid..<hi].allSatisfy { $0 >= v[mid] })
                #expect(Set(order[lo..<hi]) == Set(lo..<hi) && Array(order[0..<lo]) == Array(0..<lo))
            }
        }
    }

    /// The block solver (Rayleigh–Ritz matrix from the Gram–Schmidt coefficients, sparse ×
    /// block product) against LAPACK on the dense matrix, with a triple eigenvalue (three
    /// identical disconnected paths) and a block count that is not a multiple of four.
    @Test func blockEigenSolverMatchesDenseWithRepeatedValues() throws {
        let part = 30, n = 3 * part
        var rows = [Int](repeating: 0, count: n + 1), col: [Int32] = [], val: [Double] = []
        var dense = Matrix(rows: n, cols: n)
        for i in 0..<n {
            rows[i] = col.count
            for j in [i - 1, i + 1] where j >= 0 && j < n && j / part == i / part {
                let w = 0.5 + 0.01 * Double((i % part) + (j % part))
                col.append(Int32(j)); val.append(w); dense[i, j] = w
            }
        }
        rows[n] = col.count
        let a = SparseSymmetric(n: n, rowStart: rows, col: col, val: val)
        let (wd, _) = try LinearAlgebra.symmetricEigen(dense)
        for (count, block, steps) in [(4, 7, 3), (6, 9, 4), (3, 13, 2)] {
            var rng = Xoshiro256(seed: 5)
            let (w, vecs) = try BlockKrylovEigen.largest(
                n: n, count: count, block: block, steps: steps, maxCycles: 300, tol: 1e-10, rng: &rng,
                apply: { a.multiply($0, $1, shift: 1) },
                applyBlock: { a.multiplyBlock($0, $1, count: $2, shift: 1) })
            for r in 0..<count {
                #expect(abs(w[r] - (wd[n - 1 - r] + 1)) < 1e-8, "count \(count) block \(block): value \(r)")
                // A·v = (θ − 1)·v for the returned vector.
                var av = [Double](repeating: 0, count: n)
                vecs.withUnsafeBufferPointer { vb in av.withUnsafeMutableBufferPointer { ab in
                    a.multiply(vb.baseAddress! + r * n, ab.baseAddress!, shift: 0)
                } }
                var res = 0.0
                for i in 0..<n { let e = av[i] - (w[r] - 1) * vecs[r * n + i]; res += e * e }
                #expect(res.squareRoot() < 1e-7)
            }
        }
    }

    /// A full summary that merges its closest pair keeps every point's weight and the data's
    /// mean, and merges the pair with the least Ward cost.
    @Test func microClusterMergeKeepsWeightAndMean() {
        var s = MicroClusterStream(d: 2, capacity: 3, radius: 1e-9, halfLife: 1e12)
        let pts: [[Double]] = [[0, 0], [10, 0], [0, 10], [0.5, 0], [10, 1], [7, 7], [0, 9], [3, 3]]
        for p in pts { p.withUnsafeBufferPointer { _ = s.insert($0.baseAddress!, mergeWhenFull: true) } }
        #expect(s.count == 3)
        let (c, w) = s.snapshotCenters()
        #expect(abs(w.reduce(0, +) - Double(pts.count)) < 1e-6)
        for t in 0..<2 {
            let mean = pts.map { $0[t] }.reduce(0, +) / Double(pts.count)
            let got = (0..<3).map { w[$0] * c[$0 * 2 + t] }.reduce(0, +) / w.reduce(0, +)
            #expect(abs(got - mean) < 1e-6)
        }
        // The 4th point finds the slots full: of the three, (0, 0)+(10, 0) and (0, 0)+(0, 10)
        // cost 50, (10, 0)+(0, 10) 100; the first cheapest pair merges into slot 0 and the
        // point takes the freed slot 1.
        var t = MicroClusterStream(d: 2, capacity: 3, radius: 1e-9, halfLife: 1e12)
        for p in pts[0..<4] { p.withUnsafeBufferPointer { _ = t.insert($0.baseAddress!, mergeWhenFull: true) } }
        let (c2, w2) = t.snapshotCenters()
        #expect(abs(c2[0] - 5) < 1e-9 && abs(c2[1]) < 1e-9 && abs(w2[0] - 2) < 1e-6)
        #expect(c2[2] == 0.5 && c2[3] == 0 && abs(w2[1] - 1) < 1e-6)
    }

    /// k nearest neighbours of every point, by leaves (d = 8: dgemm products) and by queries
    /// (d = 3), against brute force: the same exact distances, nearest first.
    @Test(arguments: [(1500, 8), (900, 3)])
    func nearestAllMatchesBruteForce(_ n: Int, _ d: Int) {
        let (x, _) = clusterBlobs(n: n, d: d, k: 4, seed: 11)
        let k = 10
        let tree = x.withUnsafeBufferPointer { KDTree($0.baseAddress!, n: n, d: d) }
        let (idx, dist) = tree.nearestAll(k: k)
        x.withUnsafeBufferPointer { xb in
            for i in stride(from: 0, to: n, by: 7) {
                let all = (0..<n).map { Distance.squaredEuclidean(xb.baseAddress! + i * d, xb.baseAddress! + $0 * d, d) }.sorted()
                for j in 0..<k {
                    #expect(abs(dist[i * k + j] - all[j]) <= 1e-12 * Swift.max(1, all[j]), "point \(i), rank \(j)")
                    let got = Distance.squaredEuclidean(xb.baseAddress! + i * d, xb.baseAddress! + Int(idx[i * k + j]) * d, d)
                    #expect(got == dist[i * k + j])
                }
            }
        }
    }

    @Test func vectorSquareRootsEqualScalar() {
        var rng = Xoshiro256(seed: 12)
        var xs: [Double] = [0, -0.0, 1e-310, 1, 2, 1e300, .infinity]
        for _ in 0..<201 { xs.append(rng.nextUnit() * 1e6) }
        var v = xs
        v.withUnsafeMutableBufferPointer { VectorSqrt.inPlace($0.baseAddress!, $0.count) }
        for (a, b) in zip(xs, v) { #expect(a.squareRoot() == b, "x = \(a)") }
        let four = VectorSqrt.roots(SIMD4<Double>(4, 9, 0.25, 2))
        #expect(four == SIMD4<Double>(2, 3, 0.5, 2.0.squareRoot()))
        v = [-1, 4, 4, 4]
        v.withUnsafeMutableBufferPointer { VectorSqrt.inPlace($0.baseAddress!, $0.count) }
        #expect(v[0].isNaN && v[1] == 2)
    }

    @Test func sortedSampleIsDistinctAscendingAndSeeded() {
        var a = Xoshiro256(seed: 3), b = Xoshiro256(seed: 3)
        let s = a.sortedSample(from: 1000, count: 300)
        #expect(s == b.sortedSample(from: 1000, count: 300))
        #expect(s.count == 300 && Set(s).count == 300 && s == s.sorted() && s.allSatisfy { (0..<1000).contains($0) })
        #expect(a.sortedSample(from: 10, count: 50) == Array(0..<10))
    }

    /// Runs scored from the scatter (no pass over the points) rank as the exact inertia does,
    /// and the winner's exact distances are filled in.
    @Test func scatterInertiaEqualsExact() {
        let (x, _) = clusterBlobs(n: 3000, d: 5, k: 4, seed: 6)
        x.withPoints(n: 3000, d: 5) { xp in
            let (mv, mean) = KMeans.meanVariance(xp)
            let scatter = KMeans.Scatter(mean: mean, total: mv * Double(3000 * 5))
            var rng = Xoshiro256(seed: 2)
            for _ in 0..<4 {
                let seeds = KMeans.plusPlus(xp, k: 4, rng: &rng)
                let fast = KMeans.hamerly(xp, initial: seeds, k: 4, maxIter: 300, tolAbs: 0, scatter: scatter)
                let slow = KMeans.hamerly(xp, initial: seeds, k: 4, maxIter: 300, tolAbs: 0)
                #expect(fast.labels == slow.labels)
                #expect(abs(fast.inertia - slow.inertia) < 1e-9 * slow.inertia)
                var filled = fast
                if filled.squaredDistances.isEmpty { KMeans.exactDistances(xp, &filled) }
                #expect(filled.squaredDistances.count == 3000)
                #expect(abs(filled.inertia - slow.inertia) < 1e-9 * slow.inertia)
            }
        }
    }

    @Test func plusPlusSeedsAreDistinctDataPoints() {
        let (x, _) = clusterBlobs(n: 12_000, d: 3, k: 6, seed: 4)
        var a = Xoshiro256(seed: 7), b = Xoshiro256(seed: 7)
        let s1 = x.withPoints(n: 12_000, d: 3) { KMeans.plusPlus($0, k: 6, rng: &a) }
        let s2 = x.withPoints(n: 12_000, d: 3) { KMeans.plusPlus($0, k: 6, rng: &b) }
        #expect(s1 == s2)
        var rows = Set<[Double]>()
        for c in 0..<6 {
            let row = Array(s1[(c * 3)..<(c * 3 + 3)])
            #expect((0..<12_000).contains { i in Array(x[(i * 3)..<(i * 3 + 3)]) == row })
            rows.insert(row)
        }
        #expect(rows.count == 6)
    }

    @Test func nonFiniteValueIsLocated() {
        var v = [Double](repeating: 1, count: 5000)
        #expect(ClusterFitter.firstNonFinite(v, count: v.count) == nil)
        v[3001] = .infinity; v[4500] = .nan
        #expect(ClusterFitter.firstNonFinite(v, count: v.count) == 3001)
        v[3001] = 1
        #expect(ClusterFitter.firstNonFinite(v, count: v.count) == 4500)
        v[17] = -.infinity
        #expect(ClusterFitter.firstNonFinite(v, count: v.count) == 17)
    }

    /// Property: the incrementally merged rank table is always the sorted window (duplicates,
    /// negative zero and a snapshot restore in the middle included), and scores match a
    /// calibration that fully re-sorts.
    @Test func rollingCalibrationMergesToTheSortedWindow() throws {
        var rng = Xoshiro256(seed: 8)
        var c = RollingCalibration()
        var reference = [Double]()
        for step in 0..<6000 {
            let raw = step % 97 == 0 ? -0.0 : (step % 5 == 0 ? 0.25 : rng.nextUnit())
            reference.append(raw)
            if reference.count > 1024 { reference.removeFirst() }
            let expected: Double = {
                guard !c.sorted.isEmpty else { return 0.5 }
                return Double(c.sorted.filter { $0 < raw }.count) / Double(c.sorted.count)
            }()
            #expect(c.scoreAndAdd(raw) == expected)
            if c.sinceSort == 0 { #expect(c.sorted == reference.sorted(), "step \(step)") }
            if step == 3000 {  // restore mid-stream: the next refresh is a full sort, same table
                var w = SnapshotWriter()
                c.encode(to: &w)
                var r = SnapshotReader(w.bytes)
                let restored = try RollingCalibration(from: &r)
                #expect(restored == c)
                c = restored
            }
        }
    }
}
