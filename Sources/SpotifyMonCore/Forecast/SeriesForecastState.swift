/// The streaming settings of a forecaster handle (from configuration).
public struct StreamSettings: Sendable, Equatable {
    /// Points of history kept for refits.
    public var history = 2016
    /// Points before the first scheduled fit.
    public var minPoints = 16
    /// Points between scheduled refits once the history is full.
    public var refitInterval = 1440
    /// CUSUM alarm level on standardised one-step errors.
    public var driftThreshold = 40.0
    /// Longest gap (missing steps) filled by imputation.
    public var maxGap = 1000
    /// Defaults.
    public init() {}

    /// From a configuration.
    public init(config: Configuration) {
        history = Swift.max(16, config.int("forecaster.history"))
        minPoints = Swift.max(3, config.int("forecaster.min_points"))
        refitInterval = Swift.max(1, config.int("forecaster.refit_interval"))
        driftThreshold = config.double("forecaster.drift_threshold")
        maxGap = Swift.max(0, config.int("forecaster.max_gap"))
    }
}

/// One series' online forecaster state: a ring of recent history, the fitted model updated
/// point by point, the sampling step, and a CUSUM drift monitor on standardised one-step
/// errors that triggers re-selection. A plain value type kept in a `ShardedStore`.
public struct SeriesForecastState: Sendable {
    /// Recent history (ring buffer of `capacity` values).
    public var ring: [Double] = []
    /// Next write position in `ring`.
    public var head = 0
    /// Values held in `ring`.
    public var filled = 0
    /// Points absorbed (observed + imputed) since the series (re)started.
    public var count = 0
    /// Last timestamp (ms), or `Int64.min` before the first point.
    public var lastTs = Int64.min
    /// Sampling step (ms); 0 until two points were seen.
    public var stepMs: Int64 = 0
    /// The fitted model, if any.
    public var model: ForecastModel?
    /// `count` at which the next scheduled fit happens.
    public var nextFitAt = 0
    /// The drift monitor: one-sided Page-Hinkley (CUSUM) on absolute standardised one-step errors.
    public var driftTest = PageHinkley()
    /// Fits done, and how many were triggered by drift.
    public var fits: UInt32 = 0, drifts: UInt32 = 0
    /// Points imputed into gaps.
    public var imputed: UInt64 = 0

    /// An empty state.
    public init() {}

    /// The history in time order.
    public func historyArray() -> [Double] {
        guard filled > 0 else { return [] }
        var out = [Double](repeating: 0, count: filled)
        let cap = ring.count
        let start = (head - filled + cap) % cap
        for i in 0..<filled { out[i] = ring[(start + i) % cap] }
        return out
    }

    /// The most recent value (0 when empty).
    public var lastValue: Double {
        guard filled > 0 else { return 0 }
        return ring[(head - 1 + ring.count) % ring.count]
    }

    /// Absorbs the point (`ts`, `value`); fills gaps, updates the model, watches drift and
    /// refits when scheduled or drifting. Throws for a non-finite value or a timestamp not
    /// after the previous one.
    public mutating func observe(ts: Int64, value: Double, settings: StreamSettings, options: AutoOptions) throws {
        guard value.isFinite else { throw SMONError.invalidArgument("value \(value) is not finite") }
        if ring.count != settings.history {
            let old = historyArray()
            ring = [Double](repeating: 0, count: settings.history)
            head = 0; filled = 0
            for v in old.suffix(settings.history) { push(v) }
        }
        if lastTs != Int64.min {
            guard ts > lastTs else {
                throw SMONError.invalidArgument("timestamp \(ts) is not after the previous one (\(lastTs))")
            }
            let (d, overflow) = ts.subtractingReportingOverflow(lastTs)
            var missing = 0
            if overflow || d <= 0 {
                missing = Int.max // an absurd jump: restart below
            } else {
                if stepMs <= 0 || d < stepMs / 2 { stepMs = stepMs <= 0 ? d : Swift.min(stepMs, d) }
                let q = d / stepMs, r = d % stepMs
                let steps = q >= 10_000_000 ? 10_000_000 : Int(q) + (r >= stepMs - stepMs / 2 ? 1 : 0)
                missing = Swift.max(steps, 1) - 1
            }
            if missing > settings.maxGap {
                // too long a gap: restart the series, keeping its step
                head = 0; filled = 0; count = 0; model = nil; nextFitAt = 0; driftTest.reset()
            } else if missing > 0 {
                for _ in 0..<missing {
                    let v = oneStepForecast() ?? lastValue
                    absorb(v, settings: settings, options: options, watchDrift: false)
                    imputed &+= 1
                }
            }
        }
        lastTs = ts
        absorb(value, settings: settings, options: options, watchDrift: true)
    }

    /// The model's one-step forecast, if a model exists.
    public func oneStepForecast() -> Double? {
        guard let model else { return nil }
        var out = 0.0
        withUnsafeMutablePointer(to: &out) { p in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: ForecastModel.maxMembers) { s in
                model.pointForecast(into: UnsafeMutableBufferPointer(start: p, count: 1), scratch: s)
            }
        }
        return out
    }

    mutating func push(_ v: Double) {
        ring[head] = v
        head = (head + 1) % ring.count
        if filled < ring.count { filled += 1 }
    }

    mutating func absorb(_ v: Double, settings: StreamSettings, options: AutoOptions, watchDrift: Bool) {
        var drift = false
        if model != nil {
            if watchDrift, let f = oneStepForecast() {
                let sc = model!.calibration.scale(step: 1)
                if sc > 0 {
                    drift = driftTest.updateUpward(Swift.abs(v - f) / sc, delta: 1.5, lambda: settings.driftThreshold)
                }
            }
            model!.update(v)
        }
        push(v)
        count += 1
        if drift || count >= Swift.max(nextFitAt, settings.minPoints) {
            refit(settings: settings, options: options)
            if drift { drifts &+= 1 }
        }
    }

    /// Re-selects and refits the model on the current history, and schedules the next fit.
    public mutating func refit(settings: StreamSettings, options: AutoOptions) {
        let hist = historyArray()
        guard !hist.isEmpty else { return }
        var opts = options
        if opts.season == 0 && opts.candidatePeriods.isEmpty && stepMs > 0 {
            opts.candidatePeriods = Seasonality.candidates(stepMs: stepMs)
        }
        if let m = try? AutoForecaster.fit(hist, options: opts) { model = m; fits &+= 1 }
        driftTest.reset()
        nextFitAt = count < settings.history ? Swift.min(Swift.max(count * 2, settings.minPoints), settings.history + count)
                                             : count + settings.refitInterval
        if count < settings.history && nextFitAt > settings.history { nextFitAt = Swift.max(settings.history, count + 1) }
    }
}
