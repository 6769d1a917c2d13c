/// Empirical (conformal-style) prediction intervals from a model's own rolling-origin errors.
///
/// Holds an error scale per horizon step (monotone, extrapolated by √h beyond the steps
/// measured) and the pooled, sorted distribution of errors divided by their step's scale.
/// An interval at level L is `forecast + scale_h · q` for the empirical quantiles
/// q((1−L)/2) and q((1+L)/2) with the finite-sample conformal correction, so any level is
/// served from one calibration, and skewed errors give asymmetric intervals.
public struct Calibration: Sendable, Equatable {
    /// Error scale (mean absolute error) per step 1...scales.count.
    public var scales: [Double]
    /// Sorted normalised signed errors (error / scale of its step).
    public var normalized: [Double]
    /// Number of errors the calibration was built from.
    public var sampleCount: Int
    /// The largest scale an extrapolated step may reach: the mean absolute deviation of the
    /// history from its own mean (the error of forecasting by the long-run mean, which a
    /// stationary series' errors approach at long horizons). Infinity: no ceiling.
    public var ceiling: Double = .infinity

    /// A calibration with one scale for every step and a Gaussian-like error set.
    public init(flatScale: Double) {
        scales = [Swift.max(flatScale, 0)]
        // a standard Laplace-like shape for MAE-normalised errors
        normalized = (1...99).map { i in
            let p = Double(i) / 100
            return MathUtil.normalQuantile(p) * 1.2533 // mean |z| = 0.798 → scale to MAE 1
        }
        sampleCount = 0
    }

    /// A calibration from raw values.
    public init(scales: [Double], normalized: [Double], sampleCount: Int) {
        self.scales = scales; self.normalized = normalized; self.sampleCount = sampleCount
    }

    /// Builds a calibration from errors `errors[o * steps + h]` (NaN = not available) over
    /// `origins` origins and `steps` steps; `floor` is the smallest scale allowed.
    public static func build(errors: UnsafeBufferPointer<Double>, origins: Int, steps: Int, floor: Double,
                             maxSamples: Int = 800) -> Calibration {
        var mae = [Double](repeating: 0, count: steps)
        var cnt = [Int](repeating: 0, count: steps)
        for o in 0..<origins {
            for h in 0..<steps {
                let e = errors[o * steps + h]
                if e.isFinite { mae[h] += Swift.abs(e); cnt[h] += 1 }
            }
        }
        var last = floor
        var usable = 0
        for h in 0..<steps {
            if cnt[h] > 0 { mae[h] /= Double(cnt[h]); usable = h + 1 } else { mae[h] = .nan }
        }
        guard usable > 0 else { return Calibration(flatScale: floor) }
        // smooth (centered window of 5 over measured steps), then make non-decreasing
        var sm = [Double](repeating: 0, count: usable)
        for h in 0..<usable {
            var s = 0.0, c = 0.0
            for j in Swift.max(0, h - 2)...Swift.min(usable - 1, h + 2) where mae[j].isFinite {
                let w = Double(cnt[j])
                s += mae[j] * w; c += w
            }
            sm[h] = c > 0 ? s / c : last
            if !(sm[h] >= last) { sm[h] = last }
            last = sm[h]
        }
        for h in 0..<usable where !(sm[h] > floor) { sm[h] = Swift.max(floor, 1e-12) }
        var norm: [Double] = []
        norm.reserveCapacity(Swift.min(origins * usable, maxSamples * 2))
        var total = 0
        for o in 0..<origins {
            for h in 0..<usable {
                let e = errors[o * steps + h]
                if e.isFinite { total += 1 }
            }
        }
        let stride = Swift.max(1, total / maxSamples)
        var k = 0
        for o in 0..<origins {
            for h in 0..<usable {
                let e = errors[o * steps + h]
                guard e.isFinite else { continue }
                if k % stride == 0 { norm.append(e / sm[h]) }
                k += 1
            }
        }
        norm.sort()
        if norm.count < 10 { return Calibration(scales: sm, normalized: Calibration(flatScale: 1).normalized, sampleCount: total) }
        return Calibration(scales: sm, normalized: norm, sampleCount: total)
    }

    /// The error scale at step `h` (1-based). Beyond the measured steps it grows like √h; for
    /// a level-like series (`levelLike`) only up to `ceiling` (never below the last measured
    /// scale): its intervals stop widening where a random walk's go on.
    @inlinable
    public func scale(step h: Int) -> Double {
        h <= scales.count ? scale(step: h, limit: .infinity) : scale(step: h, limit: extrapolationLimit)
    }

    /// `scale(step:)` with `extrapolationLimit` computed once by the caller: loops over many
    /// steps read it once instead of testing `levelLike` at every step.
    @inlinable
    public func scale(step h: Int, limit: Double) -> Double {
        guard let lastScale = scales.last else { return 0 }
        if h <= scales.count { return scales[Swift.max(h, 1) - 1] }
        return Swift.min(lastScale * (Double(h) / Double(scales.count)).squareRoot(), limit)
    }

    /// The largest scale an extrapolated step reaches: `ceiling` (never below the last
    /// measured scale) for a level-like series, no limit otherwise.
    public var extrapolationLimit: Double {
        guard levelLike, let lastScale = scales.last else { return .infinity }
        return Swift.max(ceiling, lastScale)
    }

    /// Whether the measured errors behave like a level series': at least 8 steps measured and
    /// the scale grew by less than h^0.2 across them (a random walk's grows like h^0.5).
    /// Only then does `ceiling` bound the extrapolation.
    public var levelLike: Bool {
        let n = scales.count
        guard n >= 8, ceiling.isFinite, let first = scales.first, let last = scales.last, first > 0 else { return false }
        return last / first < _pow(Double(n), 0.2)
    }

    /// The ceiling for a history `y`: its mean absolute deviation from its mean, inflated by
    /// 1 + √(30 / n) for short histories (an autocorrelated sample under-states the spread).
    public static func climatologyScale(_ y: UnsafeBufferPointer<Double>) -> Double {
        guard !y.isEmpty else { return .infinity }
        var mean = 0.0
        for v in y { mean += v }
        mean /= Double(y.count)
        var mad = 0.0
        for v in y { mad += Swift.abs(v - mean) }
        let c = mad / Double(y.count) * (1 + (30 / Double(y.count)).squareRoot())
        return c.isFinite ? c : .infinity
    }

    /// Empirical quantile of the normalised errors at probability p, with the conformal
    /// finite-sample correction pushing tails outward.
    public func quantile(_ p: Double) -> Double {
        let n = normalized.count
        guard n > 0 else { return 0 }
        let q = MathUtil.clamp(p, 0, 1)
        // conformal: rank ceil((n+1)·q) for the upper tail, floor for the lower
        let pos: Double
        if q >= 0.5 { pos = Swift.min(Double(n - 1), ((Double(n) + 1) * q).rounded(.up) - 1) }
        else { pos = Swift.max(0, ((Double(n) + 1) * q).rounded(.down) - 1) }
        let i = Int(pos)
        let base = normalized[Swift.max(0, Swift.min(n - 1, i))]
        // beyond the sample (levels above what n samples resolve): stretch the extreme value
        let extremeP = 1.0 / (Double(n) + 1)
        if q > 1 - extremeP, let top = normalized.last {
            let z = MathUtil.normalQuantile(Swift.min(q, 1 - 1e-12)) / MathUtil.normalQuantile(1 - extremeP)
            return Swift.max(top, top * z)
        }
        if q < extremeP, let bottom = normalized.first {
            let z = MathUtil.normalQuantile(Swift.max(q, 1e-12)) / MathUtil.normalQuantile(extremeP)
            return Swift.min(bottom, bottom * z)
        }
        return base
    }

    /// Standard deviation of the normalised errors.
    public var normalizedSD: Double {
        guard normalized.count > 1 else { return 1.2533 }
        var m = 0.0
        for v in normalized { m += v }
        m /= Double(normalized.count)
        var s = 0.0
        for v in normalized { s += (v - m) * (v - m) }
        return (s / Double(normalized.count - 1)).squareRoot()
    }
}
