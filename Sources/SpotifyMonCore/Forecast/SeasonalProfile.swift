/// Seasonal profiles estimated from history: classical decomposition with recency weights
/// (multiplicative for positive series, additive otherwise) and an MSTL-style two-period
/// decomposition (e.g. daily and weekly).
///
/// A profile is indexed by phase = absolute time index modulo its period.
public enum SeasonalProfile {
    /// Centered moving average of period `m` (2×m MA when m is even) of `y`; the ends,
    /// where the window does not fit, repeat the nearest computed value.
    public static func centeredMovingAverage(_ y: UnsafeBufferPointer<Double>, _ m: Int) -> [Double] {
        let n = y.count
        var out = [Double](repeating: 0, count: n)
        guard n > 0 else { return out }
        guard m >= 2, n > m + 1 else {
            var s = 0.0
            for v in y { s += v }
            return [Double](repeating: s / Double(n), count: n)
        }
        let even = m % 2 == 0
        let half = m / 2
        // prefix sums
        var pre = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { pre[i + 1] = pre[i] + y[i] }
        let first = half, last = n - 1 - half
        if first > last {
            let avg = pre[n] / Double(n)
            return [Double](repeating: avg, count: n)
        }
        for t in first...last {
            if even {
                // weights 1/2m at the ends, 1/m inside: window t-half ... t+half
                let inner = pre[t + half] - pre[t - half + 1]
                out[t] = (inner + 0.5 * (y[t - half] + y[t + half])) / Double(m)
            } else {
                out[t] = (pre[t + half + 1] - pre[t - half]) / Double(m)
            }
        }
        for t in 0..<first { out[t] = out[first] }
        for t in (last + 1)..<n { out[t] = out[last] }
        return out
    }

    /// A seasonal profile of period `m` for `y` (observations at absolute indices
    /// `start ..< start + y.count`): per-phase weighted mean of the detrended values over the
    /// most recent `cycles` cycles, the newest weighted 1, each older one `decay` times less.
    /// Multiplicative profiles average to 1, additive ones to 0.
    public static func classical(_ y: UnsafeBufferPointer<Double>, start: Int, period m: Int,
                                 multiplicative: Bool, cycles: Int, decay: Double) -> [Double] {
        let n = y.count
        guard m >= 2, n >= 2 * m else { return [Double](repeating: multiplicative ? 1 : 0, count: Swift.max(m, 1)) }
        let trend = centeredMovingAverage(y, m)
        var num = [Double](repeating: 0, count: m)
        var den = [Double](repeating: 0, count: m)
        let half = m / 2
        // use points where the centered MA is genuine (skip the ends), newest first
        let lastT = n - 1 - half
        let firstT = Swift.max(half, lastT - cycles * m + 1)
        if lastT >= firstT {
            for t in firstT...lastT {
                let age = Double((lastT - t) / m)
                let w = _pow(decay, age)
                let d = multiplicative ? (trend[t] > 0 ? y[t] / trend[t] : 1) : y[t] - trend[t]
                let ph = (start + t) % m
                num[ph] += w * d
                den[ph] += w
            }
        }
        var prof = [Double](repeating: multiplicative ? 1 : 0, count: m)
        for i in 0..<m where den[i] > 0 { prof[i] = num[i] / den[i] }
        normalize(&prof, multiplicative: multiplicative)
        return prof
    }

    /// Rescales a profile to mean 1 (multiplicative, factors kept positive) or mean 0 (additive).
    public static func normalize(_ p: inout [Double], multiplicative: Bool) {
        guard !p.isEmpty else { return }
        if multiplicative {
            for i in p.indices where !(p[i] > 1e-3) { p[i] = 1e-3 }
            var s = 0.0
            for v in p { s += v }
            let mean = s / Double(p.count)
            if mean > 0 { for i in p.indices { p[i] /= mean } }
        } else {
            var s = 0.0
            for v in p { s += v }
            let mean = s / Double(p.count)
            for i in p.indices { p[i] -= mean }
        }
    }

    /// MSTL-style additive decomposition with a short period `m1` dividing a long period `m2`:
    /// returns (profile1 of length m1, profile2 of length m2) where profile2 holds only what the
    /// long cycle adds to the short one (shrunk by `shrink`). Profile1 uses the recent
    /// `cycles1` short cycles with recency `decay`; profile2 every long cycle available.
    public static func twoPeriod(_ y: UnsafeBufferPointer<Double>, start: Int, m1: Int, m2: Int,
                                 cycles1: Int, decay: Double, shrink: Double) -> ([Double], [Double]) {
        let n = y.count
        var p1 = [Double](repeating: 0, count: m1)
        var p2 = [Double](repeating: 0, count: m2)
        guard m1 >= 2, m2 > m1, n >= 2 * m2 else { return (p1, p2) }
        let trend = centeredMovingAverage(y, m2)
        var detr = [Double](repeating: 0, count: n)
        for t in 0..<n { detr[t] = y[t] - trend[t] }
        // long-cycle profile over all full data (ends of the MA are repeated values: fine here)
        var num2 = [Double](repeating: 0, count: m2), den2 = [Double](repeating: 0, count: m2)
        for t in 0..<n { let ph = (start + t) % m2; num2[ph] += detr[t]; den2[ph] += 1 }
        var raw2 = [Double](repeating: 0, count: m2)
        for i in 0..<m2 where den2[i] > 0 { raw2[i] = num2[i] / den2[i] }
        // its short-cycle part
        var short = [Double](repeating: 0, count: m1), cnt = [Double](repeating: 0, count: m1)
        for i in 0..<m2 { short[i % m1] += raw2[i]; cnt[i % m1] += 1 }
        for i in 0..<m1 where cnt[i] > 0 { short[i] /= cnt[i] }
        for i in 0..<m2 { p2[i] = shrink * (raw2[i] - short[i % m1]) }
        normalize(&p2, multiplicative: false)
        // recent short-cycle profile of what remains
        var rem = [Double](repeating: 0, count: n)
        for t in 0..<n { rem[t] = y[t] - p2[(start + t) % m2] }
        p1 = rem.withUnsafeBufferPointer {
            classical($0, start: start, period: m1, multiplicative: false, cycles: cycles1, decay: decay)
        }
        return (p1, p2)
    }
}
