/// A fitted clustering model: the feature transform, what each algorithm needs to assign a
/// new point, per-cluster scales and the score calibration. A value type, snapshotted whole.
public struct ClusterModel: Sendable {
    /// Algorithm that produced it.
    public var algorithm: ClusterAlgorithm
    /// Feature space.
    public var transform: FeatureTransform
    /// Clusters.
    public var k: Int
    /// Centres in model space, `k × outputDim` (every algorithm: GMM means, DBSCAN/spectral/
    /// agglomerative cluster means).
    public var centroids: [Double]
    /// RMS distance of members to their centre, per cluster (floored).
    public var scales: [Double]
    /// Training points per cluster.
    public var sizes: [Double]
    /// Gaussian mixture (gmm only).
    public var mixture: GaussianMixture?
    /// DBSCAN core points in model space and their labels (dbscan only).
    public var corePoints: [Double] = []
    /// Labels of the core points.
    public var coreLabels: [Int32] = []
    /// DBSCAN radius.
    public var eps: Double = 0
    /// Agglomerative merge tree (agglomerative only).
    public var dendrogram: Dendrogram?
    /// Raw-score calibration.
    public var calibration: ScoreCalibration
    /// Training points.
    public var nTrain: Int
    /// Core-point index (rebuilt, not snapshotted).
    var coreTree: KDTree?

    /// Dimensions of the model space.
    public var dim: Int { transform.outputDim }

    /// Builds the index structures a restored model needs.
    mutating func prepare() {
        if algorithm == .dbscan && !coreLabels.isEmpty && coreTree == nil {
            let m = coreLabels.count
            coreTree = corePoints.withUnsafeBufferPointer { KDTree($0.baseAddress!, n: m, d: dim) }
        }
    }

    /// Label and raw anomaly measure of one model-space point.
    public func assign(_ z: UnsafePointer<Double>) -> (label: Int32, raw: Double) {
        let d = dim
        switch algorithm {
        case .gmm:
            guard let g = mixture else { return (-1, .infinity) }
            return g.assignOne(z)
        case .dbscan:
            guard let tree = coreTree else { return (-1, .infinity) }
            var idx: Int32 = 0, dist = 0.0
            let got = tree.nearest(z, k: 1, indices: &idx, distances: &dist)
            if got == 0 { return (-1, .infinity) }
            let r = dist.squareRoot() / Swift.max(eps, 1e-300)
            return (r <= 1 ? coreLabels[Int(idx)] : -1, r)
        default:
            if k == 0 { return (-1, .infinity) }
            return centroids.withUnsafeBufferPointer { cb in
                let (a, v) = KMeans.nearest(z, cb.baseAddress!, k: k, d: d)
                return (Int32(a), v.squareRoot() / scales[a])
            }
        }
    }

    /// The raw measures `assign` gives the points `rows` of `z` under a centroid model
    /// (distance to the nearest centre over its scale), gathered and assigned in one BLAS pass.
    func centroidRawMeasures(_ z: PointMatrix, rows: [Int]) -> [Double] {
        let m = rows.count, d = dim
        guard m > 0, k > 0, z.d == d, centroids.count == k * d, scales.count == k else {
            return rows.map { assign(z.row($0)).raw }
        }
        var g = [Double](repeating: 0, count: m * d)
        g.withUnsafeMutableBufferPointer { gb in
            for (r, i) in rows.enumerated() { (gb.baseAddress! + r * d).update(from: z.row(i), count: d) }
        }
        var lab = [Int32](repeating: 0, count: m), near = [Double](repeating: 0, count: m)
        g.withPoints(n: m, d: d) { gp in centroids.withUnsafeBufferPointer { cb in
            lab.withUnsafeMutableBufferPointer { lb in near.withUnsafeMutableBufferPointer { nb in
                NearestCentres.assign(gp, centres: cb.baseAddress!, k: k, labels: lb.baseAddress!, nearest: nb.baseAddress!,
                                      second: nil)
            } }
        } }
        return (0..<m).map { near[$0].squareRoot() / scales[Int(lab[$0])] }
    }

    /// RMS scales of the clusters of a summary (floored, so a point-like cluster keeps a scale).
    static func scales(_ s: ClusterQuality.Summary) -> [Double] {
        let k = s.sizes.count
        var global = 0.0, cnt = 0.0
        for l in 0..<k where s.sizes[l] > 0 { global += s.sumSq[l]; cnt += s.sizes[l] }
        let floor = Swift.max((global / Swift.max(cnt, 1)).squareRoot() * 1e-3, 1e-12)
        return (0..<k).map { l in Swift.max(s.sizes[l] > 0 ? (s.sumSq[l] / s.sizes[l]).squareRoot() : 0, floor) }
    }
}

extension GaussianMixture {
    /// Most likely component and the negative log-likelihood of one point (no allocation).
    public func assignOne(_ z: UnsafePointer<Double>) -> (label: Int32, raw: Double) {
        var best = -Double.infinity, a = 0
        var acc = 0.0
        for j in 0..<k {
            var s = 0.0
            if full {
                let base = j * d * d
                for b in 0..<d {
                    var y = 0.0
                    for t in 0...b { y += (z[t] - means[j * d + t]) * precChol[base + t * d + b] }
                    s += y * y
                }
            } else {
                for t in 0..<d { let e = (z[t] - means[j * d + t]) * precChol[j * d + t]; s += e * e }
            }
            let lp = logConst[j] - 0.5 * s
            // Running log-sum-exp.
            if lp > best { acc = acc * _exp(best - lp) + 1; best = lp; a = j } else { acc += _exp(lp - best) }
        }
        return (Int32(a), -(best + _log(acc)))
    }
}

extension GaussianMixture: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(k)); w.write(UInt64(d)); w.write(full)
        w.write(weights); w.write(means); w.write(precChol); w.write(logDetPrec); w.write(lowerBound); w.write(UInt64(iterations))
    }
    public init(from r: inout SnapshotReader) throws {
        let k: UInt64 = try r.read(), d: UInt64 = try r.read()
        let full: Bool = try r.read()
        guard k >= 1, k <= 1 << 20, d <= 1 << 12 else { throw SMONError.corrupt("bad mixture") }
        self.init(k: Int(k), d: Int(d), full: full, weights: try r.read(), means: try r.read(), precChol: try r.read(),
                  logDetPrec: try r.read())
        lowerBound = try r.read()
        let it: UInt64 = try r.read()
        iterations = Int(Swift.min(it, 1 << 31))
        refreshConstants()
        guard weights.count == self.k, means.count == self.k * self.d, logDetPrec.count == self.k,
              precChol.count == (full ? self.k * self.d * self.d : self.k * self.d) else { throw SMONError.corrupt("bad mixture sizes") }
    }
}

extension ClusterModel: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(algorithm.rawValue); w.write(transform); w.write(UInt64(k)); w.write(centroids); w.write(scales); w.write(sizes)
        w.write(mixture != nil); if let m = mixture { w.write(m) }
        w.write(corePoints); w.write(coreLabels); w.write(eps)
        w.write(dendrogram != nil); if let dg = dendrogram { w.write(dg) }
        w.write(calibration.quantiles); w.write(UInt64(nTrain))
    }
    public init(from r: inout SnapshotReader) throws {
        let name: String = try r.read()
        guard let alg = ClusterAlgorithm(rawValue: name) else { throw SMONError.corrupt("unknown algorithm in snapshot") }
        algorithm = alg
        transform = try r.read()
        let k: UInt64 = try r.read()
        guard k <= 1 << 24 else { throw SMONError.corrupt("bad k") }
        self.k = Int(k)
        centroids = try r.read(); scales = try r.read(); sizes = try r.read()
        mixture = try r.read(Bool.self) ? try r.read(GaussianMixture.self) : nil
        corePoints = try r.read(); coreLabels = try r.read(); eps = try r.read()
        dendrogram = try r.read(Bool.self) ? try r.read(Dendrogram.self) : nil
        let q: [Double] = try r.read()
        guard q.count >= 2 else { throw SMONError.corrupt("bad calibration") }
        calibration = ScoreCalibration(quantiles: q)
        let nt: UInt64 = try r.read()
        nTrain = Int(Swift.min(nt, 1 << 40))
        let d = transform.outputDim
        guard centroids.count == self.k * d, scales.count == self.k, sizes.count == self.k,
              corePoints.count == coreLabels.count * d, scales.allSatisfy({ $0 > 0 }),
              coreLabels.allSatisfy({ $0 >= 0 && Int($0) < Swift.max(self.k, 1) }),
              mixture.map({ $0.d == d && $0.k == self.k }) ?? true else {
            throw SMONError.corrupt("bad model sizes")
        }
        prepare()
    }
}
