/// The real-time anomaly detector engine: per-series streaming state for many series, an
/// ensemble of members combined into one calibrated score, drift handling, severity,
/// business impact, correlation and explanations.
///
/// Thread-safe: series state is sharded with a lock per shard; the shared models (forest,
/// GRU) have their own lock and are only touched when enabled.
public final class AnomalyDetector: MonitoringEngine, @unchecked Sendable {
    public static let snapshotEngine = Snapshot.Engine.detector
    /// Parsed settings.
    public let settings: DetectorSettings
    /// Recommended-action table (defaults plus `detector.actions` overrides).
    public let actions: ActionTable
    /// The handle's telemetry.
    public let performance = PerformanceRecorder()
    /// Business rules.
    public let context: BusinessContext
    /// Series keys ↔ ids.
    public let registry: SeriesRegistry
    let store: ShardedStore<AnomalySeriesState>
    let sharedLock = Lock()
    var forest: HalfSpaceForest?
    var gru: OnlineGRU?
    /// Correlation of anomalies across series.
    public let correlation: CorrelationTracker
    /// Where notable results are pushed (`setEventHandler`).
    let events = AnomalyEventHub()
    let metaLock = ReadWriteLock()
    var relatedness: [(UInt64, UInt64, UInt64)] = []
    var services: [String?] = []
    /// Number of registered series, readable without the registry lock.
    @usableFromInline var seriesCount = 0
    let minThresholdFactor: Double
    let tailInvLog: Double
    let config: Configuration

    /// A detector from a validated configuration.
    public init(config: Configuration) throws {
        self.config = config
        settings = try DetectorSettings(config: config)
        actions = try ActionTable.defaults.overridden(by: ActionTable.parse(config.string("detector.actions")))
        context = BusinessContext(config: config)
        registry = SeriesRegistry(capacity: config.int("series.max"))
        store = ShardedStore(shardCount: config.int("threads.shards")) { _ in AnomalySeriesState() }
        correlation = CorrelationTracker(spanMs: settings.correlationWindowMs)
        if settings.forest {
            forest = HalfSpaceForest(trees: settings.forestTrees, depth: settings.forestDepth,
                                     window: settings.forestWindow, seed: settings.seed)
        }
        if settings.gru { gru = OnlineGRU(rate: settings.gruRate, seed: settings.seed) }
        tailInvLog = settings.noveltyTailInvLog
        minThresholdFactor = Swift.min(1, context.deploymentThresholdFactor) / Swift.max(1, context.peakMultiplier.squareRoot())
    }

    /// Convenience: a detector with every key at its default, or with `values` set.
    public convenience init(_ values: [String: String] = [:]) throws {
        var c = Configuration()
        for (k, v) in values { try c.set(k, v) }
        try self.init(config: c)
    }

    /// The id of series `key` (Prometheus form), registering it on first use.
    public func series(_ key: String) throws -> UInt32 {
        let (id, isNew) = try registry.intern(key)
        if isNew, let k = registry.key(id) {
            let (cat, w) = context.impact(metric: k.metric, tags: k.tags)
            let kind = MetricKind.guess(k.metric)
            store.withState(id) { s in
                s.impactCategory = cat.rawValue; s.impactWeight = Float(w); s.kind = kind.rawValue
                s.last.seriesId = id
            }
            metaLock.withWriteLock {
                while relatedness.count <= Int(id) { relatedness.append((0, 0, 0)); services.append(nil) }
                relatedness[Int(id)] = CorrelationTracker.keys(of: k)
                services[Int(id)] = k.tag("service")
                seriesCount = Swift.max(seriesCount, Int(id) + 1)
            }
        }
        return id
    }

    /// Observes one point. Throws for an unknown id or a non-finite value (state untouched).
    public func observe(id: UInt32, tsMs: Int64, value: Double) throws -> AnomalyResult {
        let t0 = Clock.nanos()
        guard Int(id) < registeredCount else { throw SMONError.notFound("series id \(id) is not registered") }
        guard value.isFinite else { throw SMONError.invalidArgument("value is \(value), not a finite number") }
        let r = store.withState(id) { step(&$0, id: id, tsMs: tsMs, value: value) }
        performance.record(events: 1, nanos: Clock.nanos() &- t0)
        events.deliver(r)
        return r
    }

    /// Observes `n` points given as parallel buffers, writing one result per point. Every
    /// input is validated first: on error nothing is applied.
    public func observeBatch(ids: UnsafeBufferPointer<UInt32>, tsMs: UnsafeBufferPointer<Int64>,
                             values: UnsafeBufferPointer<Double>, out: UnsafeMutableBufferPointer<AnomalyResult>) throws {
        guard out.count >= ids.count else { throw SMONError.invalidArgument("batch buffers differ in length") }
        try observeBatch(ids: ids, tsMs: tsMs, values: values) { i, r in out[i] = r }
    }

    /// Scores a batch like `observeBatch(ids:tsMs:values:out:)`, handing each result to
    /// `sink(index, result)` as it is made: a caller with its own result layout (the C ABI)
    /// converts in place, with no buffer in between. Validates everything first; on error
    /// nothing is applied.
    public func observeBatch(ids: UnsafeBufferPointer<UInt32>, tsMs: UnsafeBufferPointer<Int64>,
                             values: UnsafeBufferPointer<Double>, sink: (Int, AnomalyResult) -> Void) throws {
        let n = ids.count
        guard tsMs.count == n, values.count == n else {
            throw SMONError.invalidArgument("batch buffers differ in length")
        }
        let t0 = Clock.nanos()
        try validateBatch(ids: ids, values: values)
        for i in 0..<n {
            let id = ids[i], ts = tsMs[i], v = values[i]
            let r = store.withState(id) { step(&$0, id: id, tsMs: ts, value: v) }
            sink(i, r)
            events.deliver(r)
        }
        performance.record(events: n, nanos: Clock.nanos() &- t0)
    }

    /// Checks a batch's ids and values (throws on the first bad entry, naming its index).
    public func validateBatch(ids: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>) throws {
        let known = registeredCount
        for i in 0..<Swift.min(ids.count, values.count) {
            guard Int(ids[i]) < known else { throw SMONError.notFound("ids[\(i)] = \(ids[i]) is not a registered series") }
            guard values[i].isFinite else { throw SMONError.invalidArgument("values[\(i)] is \(values[i]), not a finite number") }
        }
    }

    /// Registered series.
    public var registeredCount: Int { metaLock.withReadLock { seriesCount } }

    /// The state of series `id` (a copy), or nil.
    public func state(of id: UInt32) -> AnomalySeriesState? {
        guard Int(id) < registeredCount else { return nil }
        return store.withState(id) { $0 }
    }

    // MARK: - The per-point pipeline

    /// Scores one point against the series' state, then learns from it.
    @inline(__always)
    func step(_ s: inout AnomalySeriesState, id: UInt32, tsMs: Int64, value: Double) -> AnomalyResult {
        let x = MathUtil.clamp(value, -1e100, 1e100)
        s.count &+= 1
        var res = AnomalyResult()
        res.seriesId = id
        res.impactCategory = s.impactCategory
        if s.count == 1 {
            s.mean = x; s.slowMean = x; s.dev = 0; s.slowDev = 0
            if settings.novelty { s.novelty.track(x) }
            s.window.push(x)
            if settings.seasonMs > 0 {
                s.season.update(bucket: SeasonProfile.bucket(tsMs, seasonMs: settings.seasonMs, buckets: settings.seasonBuckets), value: x, tsMs: tsMs)
            }
            res.expected = x; res.expectedLow = x; res.expectedHigh = x
            finish(&s, res, value: value, ts: tsMs)
            return res
        }
        // Scale: fast deviation, floored by the slow one and by the magnitude (constant series).
        let floor = Swift.max(1e-9 * Swift.max(abs(s.slowMean), abs(x)), 1e-12)
        let scale = Swift.max(s.dev * 1.2533, 0.3 * s.slowDev * 1.2533, floor)
        let slowScale = Swift.max(s.slowDev * 1.2533, floor)
        var expected = s.mean, spread = scale

        // Robust member: residual to the fast (or seasonal) baseline + quantile rank.
        var memberRobust = 0.0
        var z = abs(x - s.mean) / scale
        var bucket = 0
        if settings.seasonMs > 0 {
            bucket = SeasonProfile.bucket(tsMs, seasonMs: settings.seasonMs, buckets: settings.seasonBuckets)
            if let e = s.season.expected(bucket: bucket, tsMs: tsMs, seasonMs: settings.seasonMs) {
                let sd = Swift.max(e.dev * 1.2533, 0.5 * scale)
                let zs = abs(x - e.mean) / sd
                if zs < z { z = zs; expected = e.mean; spread = sd }
            }
        }
        if settings.robust {
            let rank = s.window.rank(of: x, window: settings.rankWindow)
            let extreme = s.window.count >= 8 ? 2 * abs(rank - 0.5) : 0
            let share = settings.robustRankShare
            memberRobust = (1 - share) * (1 - _exp(-z * z / 18)) + share * extreme * extreme
        }
        s.window.push(x)

        // Prototype member: distance of the newest shape to learned prototypes.
        var memberShape = 0.0
        if settings.prototype, s.window.count >= Int32(ShapeMember.dimension) {
            var v = InlineArray<8, Float>(repeating: 0)
            let m8 = s.window.mean(last: 8)
            let sc = Swift.max(slowScale, scale)
            for j in 0..<8 { v[j] = Float(MathUtil.clamp((s.window.last(j) - m8) / sc, -8, 8)) }
            memberShape = withUnsafePointer(to: &v) { p in
                p.withMemoryRebound(to: Float.self, capacity: 8) { s.shape.scoreAndLearn($0, limit: settings.prototypes) }
            }
        }

        // Pattern novelty member.
        var memberNovelty = 0.0
        if settings.novelty {
            var phase = -1
            if settings.seasonMs > 0, settings.noveltySeasonWeight > 0 {
                phase = SeasonProfile.bucket(tsMs, seasonMs: settings.seasonMs, buckets: settings.seasonBuckets)
            }
            if s.novelty.width == 0 {
                s.novelty.track(x)
                if s.count >= UInt64(Swift.max(settings.warmup, 10)) {
                    if settings.noveltySkew > 0 {
                        let med = s.window.median()
                        s.novelty.fixAuto(cells: settings.noveltyCells, scaleFloor: floor * 10, median: med, skew: settings.noveltySkew)
                    } else { s.novelty.fix(cells: settings.noveltyCells, scaleFloor: floor * 10) }
                }
            } else {
                memberNovelty = s.novelty.scoreAndLearn(x, cellsInRange: settings.noveltyCells, logTails: settings.noveltyLogTails,
                                                        maxLength: settings.noveltyDepth, phase: phase, phaseWeight: settings.noveltySeasonWeight,
                                                        levelWeight: settings.noveltyLevelWeight, graded: settings.noveltyGraded,
                                                        tailStart: settings.noveltyTailStart, invLogRatio: tailInvLog)
            }
        }

        // Shared members (forest, GRU).
        var memberForest = 0.0, memberGRU = 0.0
        if settings.forest || settings.gru {
            let zx = Float(MathUtil.clamp((x - s.slowMean) / slowScale, -8, 8))
            var f = InlineArray<4, Float>(repeating: 0.5)
            if settings.forest {
                for j in 0..<4 where Int32(j) < s.window.count {
                    f[j] = Float(MathUtil.clamp((s.window.last(j) - s.slowMean) / (8 * slowScale), -1, 1) * 0.5 + 0.5)
                }
            }
            sharedLock.withLock {
                if settings.forest, forest != nil {
                    memberForest = withUnsafePointer(to: &f) { p in
                        p.withMemoryRebound(to: Float.self, capacity: 4) { forest!.scoreAndLearn($0) }
                    }
                }
                if settings.gru, gru != nil { memberGRU = gru!.step(&s.gru, x: zx / 4) }
            }
        }

        // Drift: Page-Hinkley on residuals, ADWIN on standardised values.
        let resid = (x - s.mean) / scale
        var drift: Int32 = 0
        if s.pageHinkley.update(resid, delta: settings.phDelta, lambda: settings.phLambda) { drift |= 1 }
        if s.adwin.update((x - s.slowMean) / (8 * slowScale), delta: settings.driftDelta) { drift |= 2 }

        // Raw ensemble score.
        var wsum = 0.0, raw = 0.0
        if settings.robust { raw += settings.robustWeight * memberRobust; wsum += settings.robustWeight }
        if settings.prototype { raw += settings.prototypeWeight * memberShape; wsum += settings.prototypeWeight }
        if settings.forest { raw += settings.forestWeight * memberForest; wsum += settings.forestWeight }
        if settings.gru { raw += settings.gruWeight * memberGRU; wsum += settings.gruWeight }
        if settings.novelty { raw += settings.noveltyWeight * memberNovelty; wsum += settings.noveltyWeight }
        if settings.driftWeight > 0 { raw += settings.driftWeight * (drift != 0 ? 1 : 0); wsum += settings.driftWeight }
        raw = wsum > 0 ? raw / wsum : 0
        if settings.gate > 0, settings.novelty {
            // Gated form: novelty scaled by the strongest deviation evidence of the other members.
            let evidence = Swift.max(settings.robust ? memberRobust : 0, settings.prototype ? memberShape : 0)
            raw = memberNovelty * (settings.gate + (1 - settings.gate) * evidence)
        }
        s.lastMembers[0] = Float(memberRobust); s.lastMembers[1] = Float(memberForest)
        s.lastMembers[2] = Float(memberGRU); s.lastMembers[3] = Float(memberShape); s.lastMembers[4] = Float(memberNovelty)

        // Calibration: anomaly likelihood, log scale.
        let typical = s.likelihood.longMean
        let lik = s.likelihood.update(raw, short: settings.likelihoodShort, long: settings.likelihoodLong)
        var score = 0.0
        if s.count > UInt64(settings.warmup) {
            score = settings.useLikelihood ? MathUtil.clamp(_log(1.0000000001 - lik) / -23.025850929940457, 0, 1) : (raw * _exp(-settings.ratePenalty * typical) + settings.likelihoodWeight * lik) / (1 + settings.likelihoodWeight)
            if settings.adaptiveGain > 0 { score /= 1 + settings.adaptiveGain * Double(s.alarmLevel) }
            let newEvent = settings.suppressBypass > 0 && raw >= settings.suppressBypassRaw
                && abs(x - s.alarmBase) > settings.suppressBypass * s.alarmAmp
            if s.sinceDetection < UInt32(settings.suppress), !newEvent {
                if settings.suppressDecay {
                    let f = settings.suppressFactor
                    score *= f + (1 - f) * Double(s.sinceDetection) / Double(settings.suppress)
                } else { score *= settings.suppressFactor }
            }
        }

        // Learn: baselines after scoring (causal).
        let meanBefore = s.mean
        let a = settings.alpha
        let d = x - s.mean
        s.mean += a * d
        s.dev += a * (abs(d) - s.dev)
        let aSlow = Swift.max(a * 0.1, 1 / Double(Swift.min(s.count, 1_000_000)))
        let ds = x - s.slowMean
        s.slowMean += aSlow * ds
        s.slowDev += aSlow * (abs(ds) - s.slowDev)
        if settings.seasonMs > 0 { s.season.update(bucket: bucket, value: x, tsMs: tsMs) }
        if drift != 0 {
            // Re-anchor the baselines on the recent regime instead of alarming for ever.
            let m = s.window.mean(last: 8)
            s.mean = m; s.dev = Swift.max(s.window.meanAbsDev(last: 8, from: m), s.dev * 0.5)
            s.slowMean = m
        }

        res.score = score
        res.rawScore = raw
        res.expected = expected
        res.expectedLow = expected - 3 * spread
        res.expectedHigh = expected + 3 * spread
        res.drift = drift

        // Decision with business context (only consulted near the threshold).
        if s.sinceDetection < .max { s.sinceDetection += 1 }
        if score >= settings.threshold * minThresholdFactor {
            var m = 1.0, thr = settings.threshold
            let service: String? = metaLock.withReadLock { Int(id) < services.count ? services[Int(id)] : nil }
            if context.isPeak(tsMs) { m *= context.peakMultiplier; thr /= context.peakMultiplier.squareRoot() }
            if context.inDeployment(service: service, at: tsMs) {
                m *= context.deploymentMonitoringIncrease; thr *= context.deploymentThresholdFactor
            }
            if score >= thr {
                res.isAnomaly = true
                s.persistence &+= 1
                let w = Double(s.impactWeight)
                res.impactScore = MathUtil.clamp(score * w * m, 0, 1)
                let sev = score * (0.6 + 0.4 * w) * m.squareRoot() + 0.04 * Double(Swift.min(s.persistence, 5))
                res.severity = sev >= 0.95 ? 4 : sev >= 0.8 ? 3 : sev >= 0.6 ? 2 : 1
                let keys = metaLock.withReadLock { Int(id) < relatedness.count ? relatedness[Int(id)] : (0, 0, 0) }
                res.groupId = correlation.record(series: id, ts: tsMs, keys: keys)
            }
        }
        if settings.adaptiveGain > 0 { s.alarmLevel *= Float(1 - 1 / Double(settings.adaptiveMemory)) }
        if score >= settings.threshold {
            s.sinceDetection = 0
            s.alarmBase = meanBefore; s.alarmAmp = abs(x - meanBefore)
            s.alarmLevel += 1
        }
        if !res.isAnomaly { s.persistence = 0 }
        finish(&s, res, value: value, ts: tsMs)
        return res
    }

    @inline(__always)
    func finish(_ s: inout AnomalySeriesState, _ res: AnomalyResult, value: Double, ts: Int64) {
        s.last = res
        s.lastValue = value
        s.lastTsObserved = ts
        if ts > s.lastTs { s.lastTs = ts }
    }
}
