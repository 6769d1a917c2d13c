/// Seasonality detection by autocorrelation: the M4 competition's 90% test at a candidate
/// lag, and a search for the strongest significant period when none is given.
public enum Seasonality {
    /// Sample autocorrelation of `y` at lags 1...maxLag (index 0 holds lag 1). Empty when
    /// the series is constant or too short.
    public static func acf(_ y: UnsafeBufferPointer<Double>, maxLag: Int) -> [Double] {
        let n = y.count
        guard n > 2, maxLag >= 1 else { return [] }
        var mean = 0.0
        for v in y { mean += v }
        mean /= Double(n)
        var den = 0.0
        for v in y { den += (v - mean) * (v - mean) }
        guard den > 1e-300 else { return [] }
        let L = Swift.min(maxLag, n - 1)
        var out = [Double](repeating: 0, count: L)
        for k in 1...L {
            var s = 0.0
            for t in k..<n { s += (y[t] - mean) * (y[t - k] - mean) }
            out[k - 1] = s / den
        }
        return out
    }

    /// Whether `y` is seasonal with period `m` by the M4 test: |acf(m)| above
    /// 1.645·sqrt((1 + 2·Σ_{k<m} acf(k)²)/n). Needs at least 3 periods of data.
    public static func isSeasonal(_ y: UnsafeBufferPointer<Double>, period m: Int) -> Bool {
        guard m >= 2, y.count >= 3 * m else { return false }
        let r = acf(y, maxLag: m)
        guard r.count == m else { return false }
        var s = 0.0
        for k in 0..<(m - 1) { s += r[k] * r[k] }
        let limit = 1.645 * ((1 + 2 * s) / Double(y.count)).squareRoot()
        return Swift.abs(r[m - 1]) > limit
    }

    /// The detected period of `y`: the candidate (or, with no candidates, the lag in
    /// 2...n/3, at most 1000) with the highest significant autocorrelation at a local peak;
    /// 0 when none is significant.
    public static func detect(_ y: UnsafeBufferPointer<Double>, candidates: [Int] = []) -> Int {
        let n = y.count
        let maxLag = Swift.min(n / 3, 1000)
        guard maxLag >= 2 else { return 0 }
        let lags = candidates.isEmpty ? Array(2...maxLag) : candidates.filter { $0 >= 2 && $0 <= maxLag }
        guard let top = lags.max() else { return 0 }
        let r = acf(y, maxLag: top + 1)
        guard r.count >= top else { return 0 }
        var best = 0
        var bestR = 0.0
        for m in lags {
            let rm = r[m - 1]
            // a local peak of the acf (when searching) above the significance limit
            if candidates.isEmpty {
                let left = r[m - 2]
                let right = m < r.count ? r[m] : -1
                if !(rm >= left && rm >= right) { continue }
            }
            var s = 0.0
            for k in 0..<(m - 1) { s += r[k] * r[k] }
            let limit = 1.645 * ((1 + 2 * s) / Double(n)).squareRoot()
            if rm > limit && rm > 0.1 && rm > bestR + 0.02 { best = m; bestR = rm }
        }
        return best
    }

    /// Candidate periods for data sampled every `stepMs` milliseconds: one day and one week,
    /// when they are whole numbers of steps; the hour for minute data.
    public static func candidates(stepMs: Int64) -> [Int] {
        guard stepMs > 0 else { return [] }
        var out: [Int] = []
        for span: Int64 in [3_600_000, 86_400_000, 604_800_000] where span % stepMs == 0 {
            let m = Int(span / stepMs)
            if m >= 2 && m <= 20_000 && !(span == 3_600_000 && stepMs > 300_000) { out.append(m) }
        }
        return out
    }
}
