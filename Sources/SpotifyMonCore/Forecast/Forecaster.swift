/// The forecaster engine behind `smon_forecaster`: series interned to ids, per-series online
/// state in a sharded store, forecasts with calibrated intervals, breach risk with business
/// impact, snapshots and telemetry.
public final class Forecaster: MonitoringEngine, @unchecked Sendable {
    /// Snapshots of this engine carry the forecaster tag.
    public static var snapshotEngine: Snapshot.Engine { .forecaster }
    /// Telemetry.
    public let performance = PerformanceRecorder()
    /// Business context.
    public let context: BusinessContext
    /// The configuration it was built from.
    public let config: Configuration
    /// Selection options.
    public let options: AutoOptions
    /// Streaming settings.
    public let settings: StreamSettings
    /// Default interval level.
    public let defaultLevel: Double
    let registry: SeriesRegistry
    let store: ShardedStore<SeriesForecastState>
    let seed: UInt64

    /// A forecaster from a validated configuration.
    public init(config: Configuration) throws {
        self.config = config
        context = BusinessContext(config: config)
        options = AutoOptions(config: config)
        settings = StreamSettings(config: config)
        defaultLevel = config.double("forecaster.level")
        registry = SeriesRegistry(capacity: Swift.max(1, config.int("series.max")))
        store = ShardedStore(shardCount: Swift.max(1, config.int("threads.shards"))) { _ in SeriesForecastState() }
        seed = UInt64(Swift.max(0, config.int("seed")))
    }

    /// The id of a series key (interned on first use).
    public func seriesId(_ key: String) throws -> UInt32 { try registry.intern(key).id }

    /// Number of series.
    public var seriesCount: Int { registry.count }

    func checkId(_ id: UInt32) throws {
        guard registry.contains(id) else { throw SMONError.notFound("unknown series id \(id)") }
    }

    /// Absorbs one point of series `id`.
    public func observe(_ id: UInt32, ts: Int64, value: Double) throws {
        try checkId(id)
        let t0 = Clock.nanos()
        try store.withState(id) { try $0.observe(ts: ts, value: value, settings: settings, options: options) }
        performance.record(events: 1, nanos: Clock.nanos() &- t0)
    }

    /// Absorbs a batch of points in order; stops at the first failing point and reports how
    /// many were absorbed before it through the thrown error's message.
    public func observe(ids: UnsafeBufferPointer<UInt32>, ts: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>) throws {
        let n = ids.count
        guard ts.count == n, values.count == n else { throw SMONError.invalidArgument("batch arrays differ in length") }
        let t0 = Clock.nanos()
        defer { performance.record(events: n, nanos: Clock.nanos() &- t0) }
        let known = registry.count
        for i in 0..<n {
            let id = ids[i]
            guard Int(id) < known || registry.contains(id) else {
                throw SMONError.notFound("row \(i): unknown series id \(id) (\(i) rows absorbed)")
            }
            do {
                try store.withState(id) { try $0.observe(ts: ts[i], value: values[i], settings: settings, options: options) }
            } catch let e as SMONError {
                throw SMONError.invalidArgument("row \(i): \(e.message) (\(i) rows absorbed)")
            }
        }
    }

    /// Horizons up to this many steps forecast in their shard's reusable scratch (at most
    /// 128 KiB per shard); longer ones allocate for the call.
    static let scratchHorizon = 2048

    /// Forecast of series `id` for `mean.count` steps at `level` into the caller's arrays.
    public func forecast(_ id: UInt32, level: Double, mean: UnsafeMutableBufferPointer<Double>,
                         lo: UnsafeMutableBufferPointer<Double>, hi: UnsafeMutableBufferPointer<Double>) throws {
        try checkId(id)
        let h = mean.count
        guard h >= 1 else { throw SMONError.invalidArgument("horizon is 0") }
        guard h <= OneShotForecast.maxHorizon else { throw SMONError.capacity("horizon \(h) exceeds \(OneShotForecast.maxHorizon)") }
        guard lo.count == h, hi.count == h else { throw SMONError.invalidArgument("output arrays differ in length") }
        guard level > 0, level < 1 else { throw SMONError.invalidArgument("level \(level) is not in (0, 1)") }
        let t0 = Clock.nanos()
        if h <= Self.scratchHorizon {
            try store.withState(id, scratch: ForecastModel.maxMembers * h) { st, scratch in
                try Self.ensureModel(&st, settings: settings, options: options)
                st.model!.forecast(level: level, mean: mean, lo: lo, hi: hi, scratch: scratch)
            }
        } else {  // a long horizon allocates its scratch for the call, so shards never keep megabytes
            try store.withState(id) { st in
                try Self.ensureModel(&st, settings: settings, options: options)
                st.model!.forecast(level: level, mean: mean, lo: lo, hi: hi)
            }
        }
        performance.record(events: 1, nanos: Clock.nanos() &- t0)
    }

    static func ensureModel(_ st: inout SeriesForecastState, settings: StreamSettings, options: AutoOptions) throws {
        guard st.count > 0 else { throw SMONError.state("the series has no observation yet") }
        if st.model == nil { st.refit(settings: settings, options: options) }
        guard st.model != nil else { throw SMONError.numeric("no model could be fitted") }
    }

    /// The risk that series `id` crosses `threshold` (upward when `above`) within `horizon` steps.
    public func breach(_ id: UInt32, threshold: Double, above: Bool, horizon: Int) throws -> BreachRisk {
        try checkId(id)
        guard threshold.isFinite else { throw SMONError.invalidArgument("threshold is not finite") }
        guard horizon >= 1 else { throw SMONError.invalidArgument("horizon is 0") }
        guard horizon <= 100_000 else { throw SMONError.capacity("horizon \(horizon) exceeds 100000 for breach estimates") }
        let key = registry.key(id)
        let (model, lastTs, step) = try store.withState(id) { st -> (ForecastModel, Int64, Int64) in
            try Self.ensureModel(&st, settings: settings, options: options)
            return (st.model!, st.lastTs, st.stepMs)
        }
        let impact = key.map { context.impact(metric: $0.metric, tags: $0.tags) } ?? (.operational, 0.5)
        // sensitivity at the middle of the horizon (peak hours, deployments of the series' service)
        let when = lastTs == Int64.min ? Clock.epochMillis() : lastTs &+ step &* Int64(horizon / 2)
        let sens = context.sensitivity(service: key?.tag("service"), at: when)
        var r = BreachEstimator.estimate(model, threshold: threshold, above: above, horizon: horizon,
                                         impactWeight: impact.weight, sensitivity: sens, seed: seed &+ UInt64(id))
        if r.businessImpact > 1 { r.businessImpact = 1 }
        return r
    }

    /// Facts about series `id`.
    public struct SeriesInfo: Sendable {
        /// Points absorbed, sampling step (ms, 0 unknown), seasonal period, members, fits, drift refits.
        public var count: Int, stepMs: Int64, period: Int, members: Int, fits: UInt32, drifts: UInt32
        /// Last timestamp (ms; Int64.min before any point).
        public var lastTs: Int64
    }

    /// Facts about series `id`.
    public func info(_ id: UInt32) throws -> SeriesInfo {
        try checkId(id)
        return store.withState(id) { st in
            SeriesInfo(count: st.count, stepMs: st.stepMs, period: st.model?.period ?? 0, members: st.model?.members.count ?? 0,
                       fits: st.fits, drifts: st.drifts, lastTs: st.lastTs)
        }
    }

    /// A JSON description of series `id`'s model: members, scores, leaderboard, calibration.
    public func modelJSON(_ id: UInt32) throws -> String {
        try checkId(id)
        let key = registry.key(id)?.canonical ?? ""
        return try store.withState(id) { st in
            try Self.ensureModel(&st, settings: settings, options: options)
            return ForecastReport.json(st.model!, series: key, count: st.count, stepMs: st.stepMs, fits: st.fits, drifts: st.drifts)
        }
    }

    /// Forces re-selection of series `id` now.
    public func refit(_ id: UInt32) throws {
        try checkId(id)
        try store.withState(id) { st in
            guard st.count > 0 else { throw SMONError.state("the series has no observation yet") }
            st.refit(settings: settings, options: options)
        }
    }
}

/// JSON reports of fitted models.
public enum ForecastReport {
    /// The model as JSON.
    public static func json(_ m: ForecastModel, series: String, count: Int, stepMs: Int64, fits: UInt32, drifts: UInt32) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("series", series)
        w.field("points", count)
        w.field("step_ms", Int(stepMs))
        w.field("period", m.period)
        w.field("combination", ["mean", "median", "weighted"][Int(m.combination.rawValue)])
        w.field("fits", Int(fits))
        w.field("drift_refits", Int(drifts))
        w.key("members"); w.beginArray()
        for (i, mem) in m.members.enumerated() {
            w.beginObject()
            w.field("name", mem.name)
            let s = i < m.scores.count ? m.scores[i] : .nan
            if s.isFinite { w.field("validation_mase", s) } else { w.key("validation_mase"); w.null() }
            if mem.kind != .seasonalNaive && mem.kind != .robustTrend {
                w.field("alpha", mem.core.alpha); w.field("beta", mem.core.beta)
                w.field("gamma", mem.core.gamma); w.field("phi", mem.core.phi)
            }
            w.endObject()
        }
        w.endArray()
        if m.ensembleScore.isFinite { w.field("ensemble_validation_mase", m.ensembleScore) }
        w.key("leaderboard"); w.beginArray()
        for e in m.leaderboard {
            w.beginObject(); w.field("name", e.name)
            if e.score.isFinite { w.field("validation_mase", e.score) } else { w.key("validation_mase"); w.null() }
            w.endObject()
        }
        w.endArray()
        w.field("calibration_samples", m.calibration.sampleCount)
        w.field("error_scale_step1", m.calibration.scale(step: 1))
        w.endObject()
        return w.text
    }
}
