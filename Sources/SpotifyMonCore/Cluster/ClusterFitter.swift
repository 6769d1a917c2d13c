/// Quality figures of a fit, all in the model's feature space.
public struct ClusterMetrics: Sendable, Equatable {
    /// Clusters found.
    public var clusters = 0
    /// Points labelled noise (DBSCAN).
    public var noise = 0
    /// Mean silhouette (NaN if undefined).
    public var silhouette = Double.nan
    /// Davies–Bouldin index.
    public var daviesBouldin = Double.nan
    /// Calinski–Harabasz index.
    public var calinskiHarabasz = Double.nan
    /// Sum of squared distances to cluster centres.
    public var inertia = Double.nan
    /// BIC (gmm only).
    public var bic = Double.nan
    /// Adjusted Rand index between this fit and the previous model on the same data (NaN: first fit).
    public var stabilityARI = Double.nan
    /// Pair-counting Jaccard index between this fit and the previous model.
    public var stabilityJaccard = Double.nan
    /// Points of the fit.
    public var points = 0
    /// Features in, and dimensions of the model space.
    public var features = 0, modelDim = 0

    /// Empty metrics.
    public init() {}
}

/// The outcome of a fit.
public struct ClusterFit: Sendable {
    /// The model.
    public var model: ClusterModel
    /// Training labels (−1: noise).
    public var labels: [Int32]
    /// Quality figures (silhouette still NaN: see `sample`).
    public var metrics: ClusterMetrics
    /// A seeded sample of model-space training points (row-major) for the silhouette.
    public var sample: [Double]
    /// Their labels.
    public var sampleLabels: [Int32]
}

/// Fits a `ClusterModel` to raw data according to the parameters.
public enum ClusterFitter {
    /// Largest n × d a fit accepts.
    public static let maxElements = 1 << 31

    /// Checks sizes and values of an `n × d` matrix; throws a clear error.
    public static func validate(_ x: PointMatrix) throws {
        guard x.d > 0 else { throw SMONError.invalidArgument("d = 0: points need at least one feature") }
        guard x.n > 0 else { throw SMONError.invalidArgument("n = 0: no points") }
        let (prod, over) = x.n.multipliedReportingOverflow(by: x.d)
        guard !over, prod <= maxElements else {
            throw SMONError.capacity("n × d = \(x.n) × \(x.d) exceeds the limit of \(maxElements) values")
        }
        guard let bad = firstNonFinite(x.base, count: prod) else { return }
        throw SMONError.invalidArgument("value \(bad % x.d) of row \(bad / x.d) is \(x.base[bad]): NaN and infinity are not accepted")
    }

    /// Offset of the first NaN or infinity among `count` values, nil if all are finite: an
    /// exponent test OR-reduced over blocks of 1024 (shifts and adds only, so it vectorises:
    /// exponent field + 1 carries into bit 11 exactly when the field is all ones), then the
    /// exact position searched only in a block that failed.
    static func firstNonFinite(_ p: UnsafePointer<Double>, count: Int) -> Int? {
        let bits = UnsafeRawPointer(p).assumingMemoryBound(to: UInt64.self)
        var start = 0
        while start < count {
            let end = Swift.min(count, start + 1024)
            var flag: UInt64 = 0
            for t in start..<end { flag |= (((bits[t] >> 52) & 0x7FF) &+ 1) >> 11 }
            if flag != 0 { for t in start..<end where !p[t].isFinite { return t } }
            start = end
        }
        return nil
    }

    /// Fits `x` (raw features).
    public static func fit(_ x: PointMatrix, params p: ClusterParams, rng: inout Xoshiro256) throws -> ClusterFit {
        try validate(x)
        let transform = try FeatureTransform(fit: x, standardize: p.standardize, pcaComponents: p.pcaComponents)
        let n = x.n, d = transform.outputDim
        if transform.isIdentity { return try fitIn(x, x, transform: transform, params: p, rng: &rng) }
        let zData = transform.apply(x)
        return try zData.withPoints(n: n, d: d) { z in try fitIn(x, z, transform: transform, params: p, rng: &rng) }
    }

    /// Fits in the model space: `z` is `x` through `transform`.
    static func fitIn(_ x: PointMatrix, _ z: PointMatrix, transform: FeatureTransform, params p: ClusterParams,
                      rng: inout Xoshiro256) throws -> ClusterFit {
        let n = z.n, d = z.d
        do {
            var labels: [Int32]
            var k: Int
            var mixture: GaussianMixture?
            var dendrogram: Dendrogram?
            var metrics = ClusterMetrics()
            var explicitCentroids: [Double]?
            var coreMask: [Bool] = []
            var gmmLogLik: [Double] = []
            var kmDistances: [Double] = []
            let requested = p.k
            if requested > 0 && requested > n && p.algorithm != .dbscan {
                throw SMONError.invalidArgument("k = \(requested) exceeds the number of points n = \(n)")
            }
            switch p.algorithm {
            case .kmeans, .minibatch:
                func run(_ kk: Int, _ rng: inout Xoshiro256) -> KMeansResult {
                    p.algorithm == .kmeans
                        ? KMeans.fit(z, k: kk, nInit: p.nInit, maxIter: p.maxIter, tol: p.tol, rng: &rng)
                        : MiniBatchKMeans.fit(z, k: kk, batchSize: p.batchSize, maxIter: p.maxIter, nInit: p.nInit, rng: &rng)
                }
                k = requested > 0 ? requested : autoK(z, p: p, rng: &rng) { kk, r in run(kk, &r).labels }
                let r = run(k, &rng)
                labels = r.labels; explicitCentroids = r.centroids; metrics.inertia = r.inertia
                if p.algorithm == .kmeans { kmDistances = r.squaredDistances }
            case .dbscan:
                let r = DBSCAN.fit(z, eps: p.eps, minSamples: p.minSamples)
                labels = r.labels; k = r.clusters; coreMask = r.isCore
            case .gmm:
                let kMax = Swift.min(p.kMax, n)
                let candidates = requested > 0 ? [requested] : Array(1...Swift.max(1, kMax))
                var best: GaussianMixture?, bestBIC = Double.infinity
                for kk in candidates {
                    let g = try GaussianMixture.fit(z, k: kk, full: p.fullCovariance, regCovar: p.regCovar,
                                                    maxIter: p.maxIter, tol: p.tol * 10, initRuns: p.nInit, rng: &rng)
                    let b = g.bic(n: n, meanLogLikelihood: g.lowerBound)
                    if b < bestBIC || best == nil { bestBIC = b; best = g }
                }
                let g = best!
                var ll: [Double] = []
                labels = []
                g.predict(z, labels: &labels, logLikelihood: &ll)
                mixture = g; k = g.k; metrics.bic = bestBIC
                gmmLogLik = ll
                explicitCentroids = g.means
            case .spectral:
                k = requested > 0 ? requested : try autoKThrowing(z, p: p, rng: &rng) { kk, r in
                    try SpectralClustering.fit(z, k: kk, neighbors: p.neighbors, nInit: p.nInit, rng: &r)
                }
                labels = try SpectralClustering.fit(z, k: k, neighbors: p.neighbors, nInit: Swift.max(p.nInit, 10), rng: &rng)
            case .agglomerative:
                let dg = try Agglomerative.fit(z, linkage: p.linkage)
                k = requested > 0 ? requested : autoK(z, p: p, rng: &rng) { kk, _ in dg.cut(kk) }
                labels = dg.cut(k); dendrogram = dg
            case .stream:
                // The summary of the whole data set: full slots merge their closest pair (no
                // point's weight is lost), and there are at least ten per cluster (CluStream's
                // rule of thumb), so the summary does not limit the global step's resolution.
                let slots = Swift.max(p.streamMaxClusters, 10 * (requested > 0 ? requested : p.kMax))
                var s = try StreamBootstrap.make(z, params: p, capacity: slots, rng: &rng)
                for i in 0..<n { _ = s.insert(z.row(i), mergeWhenFull: true) }
                let (cs, ws) = s.snapshotCenters()
                // Macro clusters: weighted Ward over the micro-clusters (as Birch's global step),
                // cut at k; centres are the weighted means of their micro-clusters.
                var groups: [Int32] = []
                let macro: [Double] = cs.withPoints(n: s.count, d: d) { mz in
                    let tree = Agglomerative.ward(mz, weights: ws)
                    let kk = requested > 0 ? Swift.min(requested, s.count)
                        : autoK(mz, p: p, rng: &rng) { kk, _ in tree.cut(kk) }
                    groups = tree.cut(kk)
                    let g = Int(groups.max() ?? 0) + 1
                    var c = [Double](repeating: 0, count: g * d), w = [Double](repeating: 0, count: g)
                    for m in 0..<s.count {
                        let l = Int(groups[m]); w[l] += ws[m]
                        for t in 0..<d { c[l * d + t] += ws[m] * mz.row(m)[t] }
                    }
                    for l in 0..<g where w[l] > 0 { for t in 0..<d { c[l * d + t] /= w[l] } }
                    return c
                }
                k = macro.count / Swift.max(d, 1)
                // A point takes the macro cluster of its nearest micro-cluster (as Birch labels
                // through its subclusters): the groups Ward built need not be convex, which
                // the nearest macro centre would assume.
                labels = cs.withUnsafeBufferPointer { cb in
                    (0..<n).map { groups[KMeans.nearest(z.row($0), cb.baseAddress!, k: s.count, d: d).0] }
                }
                explicitCentroids = macro
            }
            if p.algorithm != .dbscan && p.algorithm != .gmm && p.algorithm != .kmeans && p.algorithm != .minibatch && p.algorithm != .stream {
                k = compactLabels(&labels)
            }
            // K-means leaves every centre at the mean of its points and the distances to it:
            // the summary needs no pass over the data.
            let summary = kmDistances.count == n && explicitCentroids?.count == k * d
                ? ClusterQuality.summary(labels: labels, squaredDistances: kmDistances, centroids: explicitCentroids ?? [], k: k)
                : ClusterQuality.summary(z, labels: labels, k: k)
            var cent = summary.centroids
            let sizes = summary.sizes, scales = ClusterModel.scales(summary)
            if let e = explicitCentroids, e.count == k * d { cent = e }
            var model = ClusterModel(algorithm: p.algorithm, transform: transform, k: k, centroids: cent, scales: scales,
                                     sizes: sizes, mixture: mixture, dendrogram: dendrogram,
                                     calibration: ScoreCalibration(quantiles: [0, 1]), nTrain: n)
            if p.algorithm == .dbscan {
                model.eps = p.eps
                var cp: [Double] = [], cl: [Int32] = []
                for i in 0..<n where labels[i] >= 0 && coreMask[i] {
                    // A new point belongs to the cluster of its nearest core point within eps.
                    cp.append(contentsOf: UnsafeBufferPointer(start: z.row(i), count: d)); cl.append(labels[i])
                }
                model.corePoints = cp; model.coreLabels = cl
            }
            model.prepare()
            // Calibrate on (an even sample of at most calibrationSample of) the training points.
            let stride = Swift.max(1, n / calibrationSample)
            let rows = Swift.stride(from: 0, to: n, by: stride).map { $0 }
            var raw: [Double]
            if gmmLogLik.count == n {
                raw = rows.map { -gmmLogLik[$0] }
            } else if p.algorithm == .dbscan {
                // A core training point is its own nearest core point: raw measure 0.
                raw = rows.map { i in
                    coreMask[i] && labels[i] >= 0 ? 0 : Swift.max(model.assign(z.row(i)).raw, labels[i] < 0 ? 1 : 0)
                }
            } else {
                raw = model.centroidRawMeasures(z, rows: rows)
            }
            model.calibration = ScoreCalibration(raw: raw)
            metrics.clusters = k
            metrics.noise = labels.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
            metrics.points = n; metrics.features = x.d; metrics.modelDim = d
            if metrics.inertia.isNaN { metrics.inertia = summary.sumSq.reduce(0, +) }
            metrics.daviesBouldin = ClusterQuality.daviesBouldin(summary, d: d)
            metrics.calinskiHarabasz = ClusterQuality.calinskiHarabasz(summary, d: d)
            // The silhouette is O(m²): computed on request from a seeded sample kept here.
            let (sample, sampleLabels) = silhouetteSample(z, labels: labels, size: p.silhouetteSample, rng: &rng)
            return ClusterFit(model: model, labels: labels, metrics: metrics, sample: sample, sampleLabels: sampleLabels)
        }
    }

    /// A uniform sample of `size` points without replacement (seeded; sorted by index).
    static func silhouetteSample(_ z: PointMatrix, labels: [Int32], size: Int, rng: inout Xoshiro256) -> ([Double], [Int32]) {
        let want = Swift.min(size, z.n)
        let idx = rng.sortedSample(from: z.n, count: want)
        var pts: [Double] = [], lab: [Int32] = []
        pts.reserveCapacity(want * z.d); lab.reserveCapacity(want)
        for i in idx { pts.append(contentsOf: UnsafeBufferPointer(start: z.row(i), count: z.d)); lab.append(labels[i]) }
        return (pts, lab)
    }

    /// Training points the score calibration looks at (evenly spaced).
    public static let calibrationSample = 5_000

    /// The k in 2...kMax with the best silhouette (on a sample of at most 1000 points).
    static func autoK(_ z: PointMatrix, p: ClusterParams, rng: inout Xoshiro256, _ labelsFor: (Int, inout Xoshiro256) -> [Int32]) -> Int {
        (try? autoKThrowing(z, p: p, rng: &rng) { kk, r in labelsFor(kk, &r) }) ?? 2
    }

    /// `autoK` for labelers that can fail.
    static func autoKThrowing(_ z: PointMatrix, p: ClusterParams, rng: inout Xoshiro256,
                              _ labelsFor: (Int, inout Xoshiro256) throws -> [Int32]) throws -> Int {
        let hi = Swift.min(p.kMax, z.n - 1)
        guard hi >= 2 else { return 1 }
        var bestK = 2, best = -Double.infinity
        for kk in 2...hi {
            let l = try labelsFor(kk, &rng)
            var r2 = Xoshiro256(seed: p.seed)
            let s = ClusterQuality.silhouette(z, labels: l, sample: Swift.min(p.silhouetteSample, 1000), rng: &r2)
            if s > best { best = s; bestK = kk }
        }
        return bestK
    }
}

/// Starts an online micro-cluster stream on data: the radius (when not configured) is the
/// RMS radius of a k-means with a quarter of the slots over the first points.
enum StreamBootstrap {
    /// A stream of `capacity` slots (default: the configured number).
    static func make(_ z: PointMatrix, params p: ClusterParams, capacity: Int? = nil,
                     rng: inout Xoshiro256) throws -> MicroClusterStream {
        let capacity = capacity ?? p.streamMaxClusters
        var radius = p.streamRadius
        if radius <= 0 {
            let m = Swift.min(z.n, Swift.max(p.streamWarmup, 2))
            let sub = PointMatrix(z.base, n: m, d: z.d)
            let kk = Swift.max(1, Swift.min(capacity / 4, m / 4))
            let r = KMeans.fit(sub, k: kk, nInit: 1, maxIter: 50, tol: 1e-4, rng: &rng)
            radius = (r.inertia / Double(Swift.max(m, 1))).squareRoot()
            if !(radius > 0) || !radius.isFinite { radius = 1 }
        }
        return MicroClusterStream(d: z.d, capacity: capacity, radius: radius, halfLife: p.streamHalfLife)
    }
}
