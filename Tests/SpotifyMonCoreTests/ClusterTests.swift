import Testing
@testable import SpotifyMonCore

/// Generated Gaussian blobs: `k` centres 10 apart on the diagonal-ish, unit spread.
func clusterBlobs(n: Int, d: Int, k: Int, seed: UInt64 = 1, spread: Double = 1) -> (x: [Double], y: [Int32]) {
    var rng = Xoshiro256(seed: seed)
    var centres: [[Double]] = []
    for c in 0..<k { centres.append((0..<d).map { t in Double((c * 7 + t * 3) % 11) * 3 + Double(c) * 2 }) }
    var x: [Double] = [], y: [Int32] = []
    for i in 0..<n {
        let c = i % k
        for t in 0..<d { x.append(centres[c][t] + spread * rng.nextGaussian()) }
        y.append(Int32(c))
    }
    return (x, y)
}

func fitEngine(_ settings: [String: String], _ x: [Double], n: Int, d: Int) throws -> ClusterEngine {
    let e = try ClusterEngine(settings)
    try x.withPoints(n: n, d: d) { try e.fit($0) }
    return e
}

@Suite("Clustering algorithms")
struct ClusterAlgorithmTests {
    @Test(arguments: ["kmeans", "minibatch", "gmm", "spectral", "agglomerative", "stream", "dbscan"])
    func recoversSeparatedBlobs(_ alg: String) throws {
        let (x, y) = clusterBlobs(n: 600, d: 3, k: 4, spread: 0.5)
        let e = try fitEngine(["clusterer.algorithm": alg, "clusterer.k": "4", "clusterer.eps": "1.0",
                               "clusterer.min_samples": "5"], x, n: 600, d: 3)
        let ari = ClusterQuality.adjustedRand(e.labels, y)
        #expect(ari > 0.95, "\(alg): ARI \(ari)")
        #expect(e.metrics.clusters == 4)
        #expect(e.metrics.silhouette > 0.5)
    }

    @Test(arguments: ["ward", "average", "complete", "single"])
    func linkages(_ l: String) throws {
        let (x, y) = clusterBlobs(n: 300, d: 2, k: 3, spread: 0.3)
        let e = try fitEngine(["clusterer.algorithm": "agglomerative", "clusterer.k": "3", "clusterer.linkage": l], x, n: 300, d: 2)
        #expect(ClusterQuality.adjustedRand(e.labels, y) > 0.95)
        // Multi-scale: cuts are nested.
        let c2 = try e.cut(2), c6 = try e.cut(6)
        #expect(Set(c2).count == 2 && Set(c6).count == 6)
        var parent: [Int32: Int32] = [:]
        for i in 0..<300 {
            if let p = parent[c6[i]] { #expect(p == c2[i]) } else { parent[c6[i]] = c2[i] }
        }
    }

    @Test func automaticK() throws {
        let (x, _) = clusterBlobs(n: 500, d: 2, k: 5, spread: 0.3)
        let km = try fitEngine(["clusterer.algorithm": "kmeans", "clusterer.k": "0"], x, n: 500, d: 2)
        #expect(km.metrics.clusters == 5)
        let g = try fitEngine(["clusterer.algorithm": "gmm", "clusterer.k": "0", "clusterer.k_max": "8"], x, n: 500, d: 2)
        #expect(g.metrics.clusters == 5)
        #expect(g.metrics.bic.isFinite)
    }

    @Test func dbscanNoiseAndPredict() throws {
        var (x, _) = clusterBlobs(n: 400, d: 2, k: 2, spread: 0.3)
        x += [100, 100]
        let e = try fitEngine(["clusterer.algorithm": "dbscan", "clusterer.eps": "0.8", "clusterer.min_samples": "5"], x, n: 401, d: 2)
        #expect(e.labels[400] == -1)
        #expect(e.metrics.noise >= 1)
        var l: Int32 = 0, s = 0.0
        let far: [Double] = [200, -50]
        try far.withPoints(n: 1, d: 2) { try e.predict($0, labels: &l, scores: &s) }
        #expect(l == -1 && s == 1)
    }

    @Test func gmmDiagonalAndPCA() throws {
        let (x, y) = clusterBlobs(n: 400, d: 6, k: 3, spread: 0.5)
        let e = try fitEngine(["clusterer.algorithm": "gmm", "clusterer.k": "3", "clusterer.covariance": "diag",
                               "clusterer.standardize": "true", "clusterer.pca_components": "2"], x, n: 400, d: 6)
        #expect(ClusterQuality.adjustedRand(e.labels, y) > 0.9)
        #expect(e.metrics.modelDim == 2)
        #expect(e.centroids().d == 6 && e.centroids().k == 3)
    }

    @Test func qualityMetricsAgreeWithDefinitions() {
        // Two tight pairs far apart: silhouette near 1, DB near 0, CH large.
        let x: [Double] = [0, 0, 0, 0.1, 10, 10, 10, 10.1]
        let l: [Int32] = [0, 0, 1, 1]
        x.withPoints(n: 4, d: 2) { p in
            var rng = Xoshiro256(seed: 1)
            #expect(ClusterQuality.silhouette(p, labels: l, sample: 100, rng: &rng) > 0.98)
            #expect(ClusterQuality.daviesBouldin(p, labels: l) < 0.02)
            #expect(ClusterQuality.calinskiHarabasz(p, labels: l) > 1000)
        }
        #expect(ClusterQuality.adjustedRand([0, 0, 1, 1], [1, 1, 0, 0]) == 1)
        #expect(abs(ClusterQuality.adjustedRand([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-12)
        #expect(ClusterQuality.jaccard([0, 0, 1, 1], [5, 5, 7, 7]) == 1)
    }

    @Test func eigenSolverMatchesDense() throws {
        // Path-graph-like sparse matrix; compare the top eigenvalues with LAPACK on the dense form.
        let n = 60
        var rows = [Int](repeating: 0, count: n + 1), col: [Int32] = [], val: [Double] = []
        var dense = Matrix(rows: n, cols: n)
        for i in 0..<n {
            rows[i] = col.count
            for j in [i - 1, i + 1] where j >= 0 && j < n {
                col.append(Int32(j)); val.append(0.5); dense[i, j] = 0.5
            }
        }
        rows[n] = col.count
        let a = SparseSymmetric(n: n, rowStart: rows, col: col, val: val)
        var rng = Xoshiro256(seed: 3)
        let (w, _) = try BlockKrylovEigen.largest(n: n, count: 3, block: 6, steps: 6, maxCycles: 200, tol: 1e-9, rng: &rng) {
            a.multiply($0, $1, shift: 1)
        }
        let (wd, _) = try LinearAlgebra.symmetricEigen(dense)
        for r in 0..<3 { #expect(abs(w[r] - (wd[n - 1 - r] + 1)) < 1e-6) }
    }
}

@Suite("Clustering bad input")
struct ClusterBadInputTests {
    @Test func rejectsBadMatrices() throws {
        let e = try ClusterEngine(["clusterer.k": "3"])
        let x: [Double] = [1, 2, .nan, 4]
        #expect(throws: SMONError.self) { try x.withPoints(n: 2, d: 2) { try e.fit($0) } }
        #expect(throws: SMONError.self) { try x.withPoints(n: 2, d: 0) { try e.fit($0) } }
        #expect(throws: SMONError.self) { try [1.0, 2].withPoints(n: 2, d: 1) { try e.fit($0) } } // n < k
        #expect(throws: SMONError.self) { try [1.0, 2].withPoints(n: 1 << 40, d: 1 << 30) { try ClusterFitter.validate($0) } }
        var l: Int32 = 0
        #expect(throws: SMONError.self) { try [1.0].withPoints(n: 1, d: 1) { try e.predict($0, labels: &l, scores: nil) } }
    }

    @Test(arguments: ClusterConfigKeys.algorithms)
    func duplicatesAndConstantColumns(_ alg: String) throws {
        // 50 identical points plus a constant column: defined results, no crash.
        var x: [Double] = []
        for i in 0..<60 { x += [i < 50 ? 1 : 5, 3] }
        let e = try fitEngine(["clusterer.algorithm": alg, "clusterer.k": "2", "clusterer.standardize": "true",
                               "clusterer.min_samples": "3"], x, n: 60, d: 2)
        #expect(e.labels.count == 60)
        var s = [Double](repeating: -1, count: 60)
        try x.withPoints(n: 60, d: 2) { p in try s.withUnsafeMutableBufferPointer { try e.predict(p, labels: nil, scores: $0.baseAddress!) } }
        #expect(s.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func allIdenticalPoints() throws {
        let x = [Double](repeating: 2, count: 40)
        for alg in ["kmeans", "gmm", "spectral", "agglomerative"] {
            let e = try fitEngine(["clusterer.algorithm": alg, "clusterer.k": "3"], x, n: 20, d: 2)
            #expect(e.labels.count == 20)
        }
    }

    @Test func corruptSnapshotLeavesEngine() throws {
        let (x, _) = clusterBlobs(n: 100, d: 2, k: 2)
        let e = try fitEngine(["clusterer.k": "2"], x, n: 100, d: 2)
        var snap = e.snapshot()
        snap[snap.count / 2] ^= 0xFF
        #expect(throws: SMONError.self) { try snap.withUnsafeBytes { try e.restore($0) } }
        #expect(e.model != nil)
    }
}

@Suite("Clustering online")
struct ClusterOnlineTests {
    @Test func snapshotRoundTripContinuesIdentically() throws {
        let (x, _) = clusterBlobs(n: 400, d: 3, k: 3)
        for alg in ["kmeans", "gmm", "dbscan", "stream"] {
            let a = try fitEngine(["clusterer.algorithm": alg, "clusterer.k": "3", "clusterer.eps": "1.5"], x, n: 400, d: 3)
            let (more, _) = clusterBlobs(n: 300, d: 3, k: 3, seed: 9)
            try more.withPoints(n: 100, d: 3) { try a.update($0, labels: nil, scores: nil, types: nil) }
            let b = try ClusterEngine(["clusterer.algorithm": alg, "clusterer.k": "3", "clusterer.eps": "1.5"])
            try a.snapshot().withUnsafeBytes { try b.restore($0) }
            var la = [Int32](repeating: 0, count: 200), lb = la
            var sa = [Double](repeating: 0, count: 200), sb = sa
            var ta = [Int32](repeating: 0, count: 200), tb = ta
            let tail = Array(more[300...])
            try tail.withPoints(n: 200, d: 3) { p in
                try a.update(p, labels: &la, scores: &sa, types: &ta)
                try b.update(p, labels: &lb, scores: &sb, types: &tb)
            }
            #expect(la == lb && sa == sb && ta == tb, "\(alg)")
            #expect(a.snapshot() == b.snapshot())
        }
    }

    @Test func onlineWithoutFitFindsOutliers() throws {
        let e = try ClusterEngine(["clusterer.stream_warmup": "100"])
        let (x, _) = clusterBlobs(n: 1000, d: 4, k: 3, spread: 0.5)
        var s = [Double](repeating: 0, count: 1000)
        try x.withPoints(n: 1000, d: 4) { p in try s.withUnsafeMutableBufferPointer { try e.update(p, labels: nil, scores: $0.baseAddress!, types: nil) } }
        let far: [Double] = [500, -500, 500, -500]
        let r = try far.withUnsafeBufferPointer { try e.detect($0.baseAddress!, d: 4, service: "checkout", timestampMs: 0) }
        #expect(r.isAnomaly && r.type == .outlier)
        #expect(r.category == .revenue && r.businessImpact > 0.5)
        #expect(!r.recommendedActions.isEmpty)
        #expect(e.centroids().k > 0)
    }

    @Test func emergingClusterAndDrift() throws {
        let (x, _) = clusterBlobs(n: 900, d: 2, k: 3, spread: 0.5)
        let e = try fitEngine(["clusterer.k": "3", "clusterer.min_samples": "5"], x, n: 900, d: 2)
        var rng = Xoshiro256(seed: 5)
        var types: [ClusterAnomalyType] = []
        for _ in 0..<300 {
            let p = [80 + 0.3 * rng.nextGaussian(), -80 + 0.3 * rng.nextGaussian()]
            types.append(try p.withUnsafeBufferPointer { try e.detect($0.baseAddress!, d: 2, service: nil, timestampMs: 0).type })
        }
        #expect(types.first == .outlier)
        #expect(types.contains(.emergingCluster))
        #expect(e.drift.alarms >= 1)
        // Refit on the same data: stable.
        try x.withPoints(n: 900, d: 2) { try e.fit($0) }
        #expect(e.metrics.stabilityARI > 0.99 && e.metrics.stabilityJaccard > 0.99)
    }

    @Test func scoresAreCalibrated() throws {
        let (x, _) = clusterBlobs(n: 2000, d: 2, k: 2)
        let e = try fitEngine(["clusterer.k": "2"], x, n: 2000, d: 2)
        let (y, _) = clusterBlobs(n: 2000, d: 2, k: 2, seed: 77)
        var s = [Double](repeating: 0, count: 2000)
        try y.withPoints(n: 2000, d: 2) { p in try s.withUnsafeMutableBufferPointer { try e.predict(p, labels: nil, scores: $0.baseAddress!) } }
        let mean = s.reduce(0, +) / 2000
        let high = Double(s.filter { $0 >= 0.99 }.count) / 2000
        #expect(abs(mean - 0.5) < 0.05)
        #expect(high < 0.03)
    }
}
