/// Input cleaning for forecasting: missing values (NaN/±Inf) are filled by linear
/// interpolation between their finite neighbours (carried at the ends).
public enum Preprocess {
    /// The cleaned copy of `y`; throws `invalidArgument` when no value is finite.
    public static func clean(_ y: UnsafeBufferPointer<Double>) throws -> [Double] {
        var out = Array(y)
        let n = out.count
        guard n > 0 else { throw SMONError.invalidArgument("the series is empty") }
        var lastGood = -1
        for i in 0..<n {
            guard out[i].isFinite, Swift.abs(out[i]) < 1e300 else { continue }
            if lastGood >= 0 && i - lastGood > 1 {
                let a = out[lastGood], b = out[i]
                for j in (lastGood + 1)..<i {
                    out[j] = a + (b - a) * Double(j - lastGood) / Double(i - lastGood)
                }
            } else if lastGood < 0 && i > 0 {
                for j in 0..<i { out[j] = out[i] }
            }
            lastGood = i
        }
        guard lastGood >= 0 else { throw SMONError.invalidArgument("the series has no finite value (NaN, ±Inf and magnitudes ≥ 1e300 count as missing)") }
        if lastGood < n - 1 { for j in (lastGood + 1)..<n { out[j] = out[lastGood] } }
        return out
    }
}

/// One-shot forecasting of a whole array: clean, fit automatically, forecast with intervals.
public enum OneShotForecast {
    /// The largest horizon served.
    public static let maxHorizon = 1_000_000

    /// Forecasts `horizon` steps of `y` at interval `level` (0 < level < 1) into the three
    /// arrays (each `horizon` long). `season` 0 = detect. Returns the fitted model.
    @discardableResult
    public static func run(_ y: UnsafeBufferPointer<Double>, season: Int, level: Double, options: AutoOptions,
                           mean: UnsafeMutableBufferPointer<Double>, lo: UnsafeMutableBufferPointer<Double>,
                           hi: UnsafeMutableBufferPointer<Double>) throws -> ForecastModel {
        let h = mean.count
        guard h >= 1 else { throw SMONError.invalidArgument("horizon is 0") }
        guard h <= maxHorizon else { throw SMONError.capacity("horizon \(h) exceeds \(maxHorizon)") }
        guard lo.count == h, hi.count == h else { throw SMONError.invalidArgument("output arrays differ in length") }
        guard level > 0, level < 1 else { throw SMONError.invalidArgument("level \(level) is not in (0, 1)") }
        guard season >= 0, season <= 100_000 else { throw SMONError.invalidArgument("season \(season) is out of range") }
        let clean = try Preprocess.clean(y)
        var opts = options
        if season > 0 { opts.season = season }
        let model = try AutoForecaster.fit(clean, options: opts)
        model.forecast(level: level, mean: mean, lo: lo, hi: hi)
        return model
    }
}
