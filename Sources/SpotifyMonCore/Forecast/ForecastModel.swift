/// How member forecasts are combined.
public enum Combination: UInt8, Sendable {
    /// Arithmetic mean.
    case mean = 0
    /// Median (mean of the two middle values for an even count).
    case median = 1
    /// Weighted mean, weights ∝ 1 / validation error².
    case weighted = 2
}

/// A fitted forecaster for one series: the selected members (an ensemble of the best
/// candidates by rolling-origin validation), their combination rule, the interval
/// calibration from the ensemble's own backtest errors, and a few facts for reports.
public struct ForecastModel: Sendable {
    /// The members combined.
    public var members: [ForecastMember]
    /// The combination rule.
    public var combination: Combination
    /// Interval calibration.
    public var calibration: Calibration
    /// Seasonal period used (1: none).
    public var period: Int
    /// Forecasts are clamped at 0 (the history had no negative value).
    public var nonNegative: Bool
    /// Validation score of each member (scaled MAE) in `members` order.
    public var scores: [Double]
    /// Combination weights (summing to 1) for `.weighted`.
    public var weights: [Double] = []
    /// Validation score of the ensemble.
    public var ensembleScore: Double
    /// Names of every candidate tried with its score (for reports), best first.
    public var leaderboard: [(name: String, score: Double)]
    /// Scale used to normalise errors (in-sample seasonal naive MAE).
    public var errorScale: Double

    /// The most members an ensemble holds.
    public static let maxMembers = 8

    /// Absorbs one observation in every member.
    @inlinable
    public mutating func update(_ y: Double) {
        for i in members.indices { members[i].update(y) }
    }

    /// The combined point forecasts for steps 1...out.count, using `scratch` of at least
    /// members.count × out.count doubles.
    public func pointForecast(into out: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>) {
        let h = out.count, k = members.count
        guard k > 0, h > 0 else { for i in 0..<h { out[i] = 0 }; return }
        for j in 0..<k {
            members[j].forecast(into: UnsafeMutableBufferPointer(rebasing: scratch[(j * h)..<((j + 1) * h)]))
        }
        Self.combine(scratch, members: k, steps: h, rule: combination, weights: weights, into: out)
        if nonNegative { for i in 0..<h where !(out[i] >= 0) { out[i] = 0 } }
        for i in 0..<h where !out[i].isFinite { out[i] = 0 }
    }

    /// Combines `k` forecast rows of `h` steps (row-major in `f`) into `out`.
    @inlinable
    public static func combine(_ f: UnsafeMutableBufferPointer<Double>, members k: Int, steps h: Int,
                               rule: Combination, weights: [Double] = [], into out: UnsafeMutableBufferPointer<Double>) {
        if rule == .weighted && weights.count >= k {
            var tot = 0.0
            for j in 0..<k { tot += weights[j] }
            if tot > 0 {
                for s in 0..<h {
                    var acc = 0.0
                    for j in 0..<k { acc += weights[j] * f[j * h + s] }
                    out[s] = acc / tot
                }
                return
            }
        }
        if rule != .median || k <= 2 {
            for s in 0..<h {
                var acc = 0.0
                for j in 0..<k { acc += f[j * h + s] }
                out[s] = acc / Double(k)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: k) { v in
            for s in 0..<h {
                for j in 0..<k { v[j] = f[j * h + s] }
                // insertion sort (k ≤ 8)
                for a in 1..<k {
                    let x = v[a]
                    var b = a - 1
                    while b >= 0 && v[b] > x { v[b + 1] = v[b]; b -= 1 }
                    v[b + 1] = x
                }
                out[s] = k % 2 == 1 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2])
            }
        }
    }

    /// Forecast with a central interval at `level` (0 < level < 1) into caller arrays of
    /// equal length (1 or more). Its scratch (members × steps doubles) is a temporary
    /// allocation: on the heap beyond the standard library's small stack limit.
    public func forecast(level: Double, mean: UnsafeMutableBufferPointer<Double>,
                         lo: UnsafeMutableBufferPointer<Double>, hi: UnsafeMutableBufferPointer<Double>) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: scratchCount(steps: mean.count)) { scratch in
            forecast(level: level, mean: mean, lo: lo, hi: hi, scratch: scratch)
        }
    }

    /// The scratch doubles `forecast(level:mean:lo:hi:scratch:)` needs for `steps` steps.
    public func scratchCount(steps: Int) -> Int { Swift.max(1, members.count * steps) }

    /// The same forecast with caller-provided scratch of at least `scratchCount(steps:)`
    /// doubles: no allocation at all (the online forecaster passes its shard's scratch).
    public func forecast(level: Double, mean: UnsafeMutableBufferPointer<Double>,
                         lo: UnsafeMutableBufferPointer<Double>, hi: UnsafeMutableBufferPointer<Double>,
                         scratch: UnsafeMutableBufferPointer<Double>) {
        let h = mean.count
        pointForecast(into: mean, scratch: scratch)
        let ql = calibration.quantile((1 - level) / 2)
        let qh = calibration.quantile((1 + level) / 2)
        let limit = calibration.extrapolationLimit
        for s in 0..<h {
            let sc = calibration.scale(step: s + 1, limit: limit)
            var l = mean[s] + sc * Swift.min(ql, 0)
            var u = mean[s] + sc * Swift.max(qh, 0)
            if nonNegative { if l < 0 { l = 0 }; if u < 0 { u = 0 } }
            lo[s] = l.isFinite ? l : mean[s]
            hi[s] = u.isFinite ? u : mean[s]
        }
    }

    /// The standard deviation of the forecast error at step h (1-based).
    public func errorSD(step h: Int) -> Double {
        calibration.scale(step: h) * calibration.normalizedSD
    }
}
