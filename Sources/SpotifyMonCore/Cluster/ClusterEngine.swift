/// The clustering engine behind an `smon_clusterer` handle: batch fits (seven algorithms),
/// prediction and calibrated anomaly scores against the fitted model, and an online path per
/// event (micro-clusters, drift, emerging/drifted cluster detection, business weighting).
///
/// Thread-safe: one lock per handle, taken once per call (batch calls amortise it).
public final class ClusterEngine: MonitoringEngine, @unchecked Sendable {
    public static let snapshotEngine = Snapshot.Engine.clusterer
    public let performance = PerformanceRecorder()
    public let context: BusinessContext
    /// Parameters from the configuration.
    public let params: ClusterParams
    let lock = Lock()
    var state: ClusterState

    public init(config: Configuration) throws {
        params = ClusterParams(config: config)
        context = BusinessContext(config: config)
        state = ClusterState(params: params)
    }

    /// Convenience: an engine with default configuration plus `settings`.
    public convenience init(_ settings: [String: String]) throws {
        var c = Configuration()
        for (k, v) in settings.sorted(by: { $0.key < $1.key }) { try c.set(k, v) }
        try self.init(config: c)
    }

    // MARK: batch

    /// Fits the configured algorithm to `x` (raw features); replaces the model.
    public func fit(_ x: PointMatrix) throws {
        try performance.measure(events: x.n) {
            try lock.withLock { try state.fit(x, params: params) }
        }
    }

    /// Labels and calibrated scores of `x` against the fitted model (either output optional).
    public func predict(_ x: PointMatrix, labels: UnsafeMutablePointer<Int32>?, scores: UnsafeMutablePointer<Double>?) throws {
        try performance.measure(events: x.n) {
            try lock.withLock { try state.predict(x, labels: labels, scores: scores) }
        }
    }

    /// Online update per event: each row is scored (against the model, or the online
    /// micro-clusters before any fit) and then learned. Outputs optional.
    public func update(_ x: PointMatrix, labels: UnsafeMutablePointer<Int32>?, scores: UnsafeMutablePointer<Double>?,
                       types: UnsafeMutablePointer<Int32>?) throws {
        try performance.measure(events: x.n) {
            try lock.withLock {
                try state.checkOnline(x)
                for i in 0..<x.n {
                    let r = state.process(x.row(i), params: params)
                    labels?[i] = r.cluster; scores?[i] = r.score; types?[i] = r.type.rawValue
                }
            }
        }
    }

    /// One event with its business context: learned online, then judged (impact-weighted).
    public func detect(_ p: UnsafePointer<Double>, d: Int, service: String?, timestampMs: Int64) throws -> ClusterDetection {
        try performance.measure(events: 1) {
            let sens = context.sensitivity(service: service, at: timestampMs)
            let impact = context.impact(metric: service ?? "", tags: service.map { [("service", $0)] } ?? [])
            return try lock.withLock {
                try state.checkOnline(PointMatrix(p, n: 1, d: d))
                var r = state.process(p, params: params, sensitivity: sens)
                r.category = impact.category
                r.businessImpact = Swift.min(1, r.score * impact.weight * sens)
                return r
            }
        }
    }

    /// Quality, stability and drift figures.
    public var metrics: ClusterMetrics { lock.withLock { state.ensureSilhouette(); return state.metrics } }

    /// Drift test statistic, alarm state and alarm count.
    public var drift: (statistic: Double, alarm: Bool, alarms: Int) {
        lock.withLock { (state.ph.statistic, state.ph.inAlarm, state.ph.alarms) }
    }

    /// Labels of the last fit.
    public var labels: [Int32] { lock.withLock { state.labels } }

    /// The fitted model (nil before fit).
    public var model: ClusterModel? { lock.withLock { state.model } }

    /// Centres in input space (`k × d`) and k, d. Before a fit: the online micro-clusters.
    public func centroids() -> (values: [Double], k: Int, d: Int) {
        lock.withLock {
            if let m = state.model { return (m.transform.invert(m.centroids, rows: m.k), m.k, m.transform.inputDim) }
            if let s = state.stream, let t = state.streamTransform {
                let (c, _) = s.snapshotCenters()
                return (t.invert(c, rows: s.count), s.count, t.inputDim)
            }
            return ([], 0, state.inputDim)
        }
    }

    /// Training labels with the agglomerative tree cut into `k` clusters.
    public func cut(_ k: Int) throws -> [Int32] {
        try lock.withLock {
            guard let dg = state.model?.dendrogram else {
                throw SMONError.state("cut needs a model fitted with clusterer.algorithm=agglomerative")
            }
            guard k >= 1 else { throw SMONError.invalidArgument("k must be at least 1") }
            return dg.cut(k)
        }
    }

    // MARK: snapshot

    public func snapshot() -> [UInt8] {
        var w = SnapshotWriter()
        lock.withLock { state.encode(to: &w) }
        return Snapshot.seal(w, engine: .clusterer)
    }

    public func restore(_ bytes: UnsafeRawBufferPointer) throws {
        var r = try Snapshot.open(bytes, engine: .clusterer)
        let s = try ClusterState(from: &r, params: params)
        try r.finish()
        lock.withLock { state = s }
    }
}
