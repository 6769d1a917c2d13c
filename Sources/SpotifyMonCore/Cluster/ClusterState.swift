/// The mutable state of a `ClusterEngine` (a value; the engine guards it with its lock).
struct ClusterState {
    var model: ClusterModel?
    var labels: [Int32] = []
    var metrics = ClusterMetrics()
    /// Model-space sample of the last fit and its labels, for the silhouette on request.
    var sample: [Double] = []
    var sampleLabels: [Int32] = []
    var silhouetteDone = true
    var stream: MicroClusterStream?
    /// Feature map of the online path when no model exists (learned on the warm-up).
    var streamTransform: FeatureTransform?
    var warmup: [Double] = []
    var inputDim = 0
    var rolling = RollingCalibration()
    var ph: ScoreDriftMonitor
    /// Exponentially weighted recent centre of each model cluster (model space).
    var recent: [Double] = []
    var rng: Xoshiro256
    var scratchA: [Double] = [], scratchB: [Double] = []

    init(params: ClusterParams) {
        ph = ScoreDriftMonitor(threshold: params.driftThreshold)
        rng = Xoshiro256(seed: params.seed)
    }

    /// Computes the silhouette of the last fit's sample once.
    mutating func ensureSilhouette() {
        guard !silhouetteDone, let m = model else { return }
        silhouetteDone = true
        metrics.silhouette = sample.withPoints(n: sampleLabels.count, d: m.dim) {
            ClusterQuality.silhouette($0, labels: sampleLabels)
        }
        sample = []; sampleLabels = []
    }

    /// Rows must have the dimension the state already knows.
    mutating func checkOnline(_ x: PointMatrix) throws {
        guard x.d > 0 else { throw SMONError.invalidArgument("d = 0: points need at least one feature") }
        if inputDim == 0 { inputDim = x.d }
        guard x.d == inputDim else {
            throw SMONError.invalidArgument("points have \(x.d) features, the model expects \(inputDim)")
        }
        let (prod, over) = x.n.multipliedReportingOverflow(by: x.d)
        guard !over, prod <= ClusterFitter.maxElements else { throw SMONError.capacity("n × d too large") }
        for t in 0..<prod where !x.base[t].isFinite {
            throw SMONError.invalidArgument("value \(t % x.d) of row \(t / x.d) is \(x.base[t]): NaN and infinity are not accepted")
        }
        if scratchA.count < inputDim { scratchA = [Double](repeating: 0, count: inputDim); scratchB = scratchA }
    }

    mutating func fit(_ x: PointMatrix, params: ClusterParams) throws {
        let f = try ClusterFitter.fit(x, params: params, rng: &rng)
        var m = f.metrics
        // Stability: the previous model's labels of the same data against the new ones.
        if let old = model, old.transform.inputDim == x.d {
            var prev = [Int32](repeating: 0, count: x.n)
            try predictWith(old, x, labels: &prev)
            m.stabilityARI = ClusterQuality.adjustedRand(prev, f.labels)
            m.stabilityJaccard = ClusterQuality.jaccard(prev, f.labels)
        }
        model = f.model; labels = f.labels; metrics = m
        sample = f.sample; sampleLabels = f.sampleLabels; silhouetteDone = false
        inputDim = x.d
        // Online machinery restarts in the model space.
        // Seed the micro-clusters with an even sample of at most 4096 training points.
        let step = Swift.max(1, x.n / 4096)
        var sample: [Double] = []
        sample.reserveCapacity((x.n / step + 1) * x.d)
        var i = 0
        while i < x.n { sample.append(contentsOf: UnsafeBufferPointer(start: x.row(i), count: x.d)); i += step }
        let ns = sample.count / x.d
        let z = f.model.transform.isIdentity ? sample : sample.withPoints(n: ns, d: x.d) { f.model.transform.apply($0) }
        stream = try z.withPoints(n: ns, d: f.model.dim) { zp in
            var s = try StreamBootstrap.make(zp, params: params, rng: &rng)
            for j in 0..<ns { _ = s.insert(zp.row(j)) }
            return s
        }
        streamTransform = nil; warmup = []
        recent = f.model.centroids
        ph.reset()
        let dim = Swift.max(x.d, f.model.dim)
        scratchA = [Double](repeating: 0, count: dim); scratchB = scratchA
    }

    func predictWith(_ m: ClusterModel, _ x: PointMatrix, labels: inout [Int32]) throws {
        try labels.withUnsafeMutableBufferPointer { lb in
            try predictInto(m, x, labels: lb.baseAddress, scores: nil)
        }
    }

    func predictInto(_ m: ClusterModel, _ x: PointMatrix, labels: UnsafeMutablePointer<Int32>?, scores: UnsafeMutablePointer<Double>?) throws {
        guard x.d == m.transform.inputDim else {
            throw SMONError.invalidArgument("points have \(x.d) features, the model was fitted on \(m.transform.inputDim)")
        }
        try ClusterFitter.validate(x)
        let z = m.transform.isIdentity ? nil : m.transform.apply(x)
        func run(_ zp: PointMatrix) {
            if let g = m.mixture, m.algorithm == .gmm {
                // Batched through BLAS, in chunks that bound the temporary memory.
                var lab: [Int32] = [], ll: [Double] = []
                var start = 0
                while start < x.n {
                    let len = Swift.min(4096, x.n - start)
                    g.predict(PointMatrix(zp.row(start), n: len, d: zp.d), labels: &lab, logLikelihood: &ll)
                    for r in 0..<len {
                        labels?[start + r] = lab[r]
                        scores?[start + r] = m.calibration.score(-ll[r])
                    }
                    start += len
                }
                return
            }
            for i in 0..<x.n {
                let (l, raw) = m.assign(zp.row(i))
                labels?[i] = l
                scores?[i] = m.calibration.score(raw)
            }
        }
        if let z { z.withPoints(n: x.n, d: m.dim) { run($0) } } else { run(x) }
    }

    func predict(_ x: PointMatrix, labels: UnsafeMutablePointer<Int32>?, scores: UnsafeMutablePointer<Double>?) throws {
        guard let m = model else { throw SMONError.state("predict before fit: call fit first") }
        try predictInto(m, x, labels: labels, scores: scores)
    }

    /// Scores, learns and judges one raw point (dimension already checked).
    mutating func process(_ p: UnsafePointer<Double>, params: ClusterParams, sensitivity: Double = 1) -> ClusterDetection {
        var r = ClusterDetection()
        let threshold = 1 - (1 - params.anomalyThreshold) * Swift.max(sensitivity, 0)
        if let m = model {
            return scratchA.withUnsafeMutableBufferPointer { ab in scratchB.withUnsafeMutableBufferPointer { bb in
                let z = ab.baseAddress!
                m.transform.apply(p, into: z, scratch: bb.baseAddress!)
                let (label, raw) = m.assign(z)
                r.cluster = label
                r.score = m.calibration.score(raw)
                let d = m.dim
                if label >= 0 && m.algorithm != .dbscan && Int(label) < m.k && recent.count == m.k * d {
                    let base = Int(label) * d
                    // Winsorised step: one far point moves the recent centre by at most 0.03 scales.
                    var step2 = 0.0
                    for t in 0..<d { let e = z[t] - recent[base + t]; step2 += e * e }
                    let cap = 3 * m.scales[Int(label)]
                    let f = step2 > cap * cap ? 0.01 * cap / step2.squareRoot() : 0.01
                    var shift = 0.0
                    for t in 0..<d {
                        recent[base + t] += f * (z[t] - recent[base + t])
                        let e = recent[base + t] - m.centroids[base + t]; shift += e * e
                    }
                    r.clusterDrift = shift.squareRoot() / m.scales[Int(label)]
                }
                if stream != nil {
                    let o = stream!.insert(z)
                    r.microCluster = stream!.ids[o.slot]
                    if r.score >= threshold {
                        var emerging = false
                        if !o.created && o.weight >= Double(params.minSamples) {
                            let center = stream!.centers.withUnsafeBufferPointer { $0.baseAddress! + o.slot * d }
                            emerging = m.calibration.score(m.assign(center).raw) >= threshold
                        }
                        r.type = emerging ? .emergingCluster : (r.clusterDrift > 1 ? .driftedCluster : .outlier)
                    }
                }
                r.drift = ph.add(r.score)
                r.isAnomaly = r.score >= threshold
                if !r.isAnomaly { r.type = .none } else if r.type == .none { r.type = .outlier }
                return r
            } }
        }
        // No model: online micro-clusters only, after a warm-up.
        if stream == nil {
            for t in 0..<inputDim { warmup.append(p[t]) }
            let have = warmup.count / inputDim
            if have < params.streamWarmup { return r }
            let t = (try? warmup.withPoints(n: have, d: inputDim) { try FeatureTransform(fit: $0, standardize: true, pcaComponents: 0) })
                ?? FeatureTransform(identity: inputDim)
            let z = warmup.withPoints(n: have, d: inputDim) { t.apply($0) }
            var s = (try? z.withPoints(n: have, d: inputDim) { try StreamBootstrap.make($0, params: params, rng: &rng) })
                ?? MicroClusterStream(d: inputDim, capacity: params.streamMaxClusters, radius: 1, halfLife: params.streamHalfLife)
            z.withPoints(n: have, d: inputDim) { zp in
                for i in 0..<have {
                    let (_, d2) = s.nearest(zp.row(i))
                    _ = rolling.scoreAndAdd(d2.isFinite ? d2.squareRoot() / Swift.max(s.radius2.squareRoot(), 1e-300) : 10)
                    _ = s.insert(zp.row(i))
                }
            }
            stream = s; streamTransform = t; warmup = []
            return r
        }
        guard let t = streamTransform else { return r }
        return scratchA.withUnsafeMutableBufferPointer { ab in scratchB.withUnsafeMutableBufferPointer { bb in
            let z = ab.baseAddress!
            t.apply(p, into: z, scratch: bb.baseAddress!)
            let (_, d2) = stream!.nearest(z)
            let radius = Swift.max(stream!.radius2.squareRoot(), 1e-300)
            let raw = d2.isFinite ? d2.squareRoot() / radius : 10
            r.score = rolling.scoreAndAdd(raw)
            let o = stream!.insert(z)
            r.cluster = Int32(truncatingIfNeeded: stream!.ids[o.slot])
            r.microCluster = stream!.ids[o.slot]
            r.drift = ph.add(r.score)
            r.isAnomaly = r.score >= threshold && raw > 1
            if r.isAnomaly {
                r.type = (!o.created && o.weight >= Double(params.minSamples) && o.weight < 4 * Double(params.minSamples))
                    ? .emergingCluster : .outlier
            }
            return r
        } }
    }
}

extension ClusterState {
    mutating func encode(to w: inout SnapshotWriter) {
        ensureSilhouette()
        w.write(model != nil); if let m = model { w.write(m) }
        w.write(labels)
        let m = metrics
        for v in [m.silhouette, m.daviesBouldin, m.calinskiHarabasz, m.inertia, m.bic, m.stabilityARI, m.stabilityJaccard] { w.write(v) }
        for v in [m.clusters, m.noise, m.points, m.features, m.modelDim] { w.write(Int64(v)) }
        w.write(stream != nil); if let s = stream { w.write(s) }
        w.write(streamTransform != nil); if let t = streamTransform { w.write(t) }
        w.write(warmup); w.write(UInt64(inputDim)); w.write(rolling)
        w.write(ph.test.up); w.write(Int64(ph.alarms)); w.write(ph.inAlarm)
        w.write(recent); w.write(rng)
    }

    init(from r: inout SnapshotReader, params: ClusterParams) throws {
        self.init(params: params)
        model = try r.read(Bool.self) ? try r.read(ClusterModel.self) : nil
        labels = try r.read()
        var m = ClusterMetrics()
        m.silhouette = try r.read(); m.daviesBouldin = try r.read(); m.calinskiHarabasz = try r.read()
        m.inertia = try r.read(); m.bic = try r.read(); m.stabilityARI = try r.read(); m.stabilityJaccard = try r.read()
        var ints: [Int] = []
        for _ in 0..<5 { let v: Int64 = try r.read(); guard v >= 0 else { throw SMONError.corrupt("bad metrics") }; ints.append(Int(v)) }
        m.clusters = ints[0]; m.noise = ints[1]; m.points = ints[2]; m.features = ints[3]; m.modelDim = ints[4]
        metrics = m
        stream = try r.read(Bool.self) ? try r.read(MicroClusterStream.self) : nil
        streamTransform = try r.read(Bool.self) ? try r.read(FeatureTransform.self) : nil
        warmup = try r.read()
        let dim: UInt64 = try r.read()
        guard dim <= 1 << 20 else { throw SMONError.corrupt("bad dimension") }
        inputDim = Int(dim)
        rolling = try r.read()
        ph.test.up = try r.read()
        let alarms: Int64 = try r.read()
        ph.alarms = Int(Swift.max(0, alarms)); ph.inAlarm = try r.read()
        recent = try r.read(); rng = try r.read()
        // Consistency between parts.
        if let md = model {
            guard md.transform.inputDim == inputDim, recent.count == md.k * md.dim || recent.isEmpty,
                  stream.map({ $0.d == md.dim }) ?? true else { throw SMONError.corrupt("snapshot parts disagree") }
        } else if let s = stream {
            guard let t = streamTransform, t.inputDim == inputDim, s.d == t.outputDim else { throw SMONError.corrupt("snapshot parts disagree") }
        }
        guard inputDim == 0 || warmup.count % inputDim == 0 else { throw SMONError.corrupt("bad warm-up buffer") }
        let dmax = Swift.max(inputDim, model?.dim ?? 0)
        scratchA = [Double](repeating: 0, count: dmax); scratchB = scratchA
    }
}
