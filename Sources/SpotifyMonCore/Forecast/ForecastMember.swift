/// The model families a forecaster combines.
public enum MemberKind: UInt8, Sendable, CaseIterable {
    /// Seasonal naive: the value one period ago (naive when the period is 1).
    case seasonalNaive = 0
    /// ETS with its own seasonal states (Holt–Winters family), fitted by maximum likelihood.
    case ets = 1
    /// Non-seasonal ETS on the series adjusted by a recency-weighted seasonal profile.
    case adjustedETS = 2
    /// Theta (SES with half the linear drift) on the seasonally adjusted series.
    case theta = 3
    /// MSTL-style: short and long seasonal profiles plus damped-trend ETS on the remainder.
    case mstl = 4
    /// Robust (Huber) linear trend on the seasonally adjusted recent history.
    case robustTrend = 5
    /// Seasonal naive (lag `period`) corrected by the change in level between the last
    /// `period2` points and the same window one lag earlier (ratio for positive series).
    case levelNaive = 6

    /// A short name.
    public var name: String {
        switch self {
        case .seasonalNaive: return "seasonal_naive"
        case .ets: return "ets"
        case .adjustedETS: return "adjusted_ets"
        case .theta: return "theta"
        case .mstl: return "mstl"
        case .robustTrend: return "robust_trend"
        case .levelNaive: return "level_naive"
        }
    }
}

/// Knobs of member fitting (from the configuration).
public struct MemberOptions: Sendable, Equatable {
    /// Recent cycles used for seasonal profiles.
    public var profileCycles = 8
    /// Weight ratio between successive older cycles in profiles.
    public var profileDecay = 0.85
    /// Most recent points used to fit smoothing parameters (0: all).
    public var fitWindow = 0
    /// Likelihood evaluations per ETS fit.
    public var maxEvaluations = 120
    /// Shrinkage of the long-cycle profile in MSTL.
    public var longShrink = 1.0
    /// A configuration with the defaults.
    public init() {}
}

/// One fitted member model with its online state: `update` absorbs an observation in O(1),
/// `forecast` writes point forecasts from the current state. A plain value type.
public struct ForecastMember: Sendable {
    /// The family.
    public var kind: MemberKind
    /// ETS specification (for ETS-based members).
    public var spec: ETSSpec
    /// Seasonal period of the member (1: none).
    public var period: Int
    /// Long period (MSTL), 0 if none.
    public var period2: Int
    /// Whether the seasonal profile is multiplicative (adjusted members), or MSTL works on logs.
    public var multiplicative: Bool
    /// Seasonal profile by phase (adjusted members, MSTL short cycle).
    public var profile: [Double]
    /// Long-cycle profile (MSTL).
    public var profile2: [Double]
    /// The smoothing core (ETS, or SES for Theta).
    public var core: ETSModel
    /// Drift per step (Theta, robust trend).
    public var drift: Double
    /// Intercept of the robust trend at `anchor`.
    public var intercept: Double
    /// Absolute time index where the robust trend's intercept applies.
    public var anchor: Int
    /// Last `period` observations by phase (seasonal naive).
    public var ring: [Double]
    /// Absolute time index of the next observation.
    public var time: Int

    /// A descriptive name, e.g. `adjusted_ets:ETS(A,Ad,N)`.
    public var name: String {
        switch kind {
        case .ets, .adjustedETS, .mstl: return "\(kind.name):\(spec.name)"
        case .seasonalNaive, .levelNaive: return "\(kind.name)[\(period)]"
        default: return kind.name
        }
    }

    init(kind: MemberKind, spec: ETSSpec = ETSSpec(multiplicativeError: false, trend: 0, season: 0), period: Int) {
        self.kind = kind; self.spec = spec; self.period = Swift.max(period, 1); period2 = 0
        multiplicative = false; profile = []; profile2 = []
        core = ETSModel(spec: ETSSpec(multiplicativeError: false, trend: 0, season: 0), period: 1)
        drift = 0; intercept = 0; anchor = 0; ring = []; time = 0
    }

    // MARK: seasonal adjustment

    @usableFromInline @inline(__always)
    func adjust(_ y: Double, at t: Int) -> Double {
        switch kind {
        case .mstl:
            let x = multiplicative ? _log(Swift.max(y, 1e-12)) : y
            return x - profile[t % period] - (period2 > 0 ? profile2[t % period2] : 0)
        default:
            if profile.isEmpty { return y }
            let s = profile[t % period]
            return multiplicative ? y / s : y - s
        }
    }

    @usableFromInline @inline(__always)
    func unadjust(_ x: Double, at t: Int) -> Double {
        switch kind {
        case .mstl:
            let v = x + profile[t % period] + (period2 > 0 ? profile2[t % period2] : 0)
            return multiplicative ? _exp(Swift.min(v, 700)) : v
        default:
            if profile.isEmpty { return x }
            let s = profile[t % period]
            return multiplicative ? x * s : x + s
        }
    }

    // MARK: online use

    /// Absorbs the next observation (finite).
    @inlinable
    public mutating func update(_ y: Double) {
        switch kind {
        case .seasonalNaive: ring[time % period] = y
        case .levelNaive: ring[time % ring.count] = y
        case .ets: core.update(y)
        case .adjustedETS, .theta, .mstl: core.update(adjust(y, at: time))
        case .robustTrend: break
        }
        time += 1
    }

    /// Point forecasts for steps 1...out.count from the current state.
    public func forecast(into out: UnsafeMutableBufferPointer<Double>) {
        switch kind {
        case .seasonalNaive:
            for h in 0..<out.count { out[h] = ring[(time + h) % period] }
        case .levelNaive:
            let r = ring.count, p = period, w = period2
            var now = 0.0, then = 0.0
            for i in (time - w)..<time { now += ring[i % r]; then += ring[(i - p) % r] }
            let ratio = multiplicative && then > 0 ? MathUtil.clamp(now / then, 0.5, 2) : 1
            let shift = multiplicative ? 0 : (now - then) / Double(w)
            for h in 0..<out.count {
                let b = time + h - p * (h / p + 1)
                let v = ring[b % r]
                out[h] = multiplicative ? v * ratio : v + shift
            }
        case .ets:
            core.forecast(into: out)
        case .adjustedETS, .mstl:
            core.forecast(into: out)
            for h in 0..<out.count { out[h] = unadjust(out[h], at: time + h) }
        case .theta:
            core.forecast(into: out)
            let a = Swift.max(core.alpha, 1e-3)
            for h in 0..<out.count { out[h] = unadjust(out[h] + drift * (Double(h) + 1 / a), at: time + h) }
        case .robustTrend:
            for h in 0..<out.count {
                out[h] = unadjust(intercept + drift * Double(time + h - anchor), at: time + h)
            }
        }
    }

    // MARK: fitting

    /// Fits a member of `kind` to `y` (absolute indices 0..<y.count; the state ends after the
    /// last point). nil when the family does not suit the data.
    public static func fit(_ kind: MemberKind, spec: ETSSpec = ETSSpec(multiplicativeError: false, trend: 2, season: 0),
                           y: UnsafeBufferPointer<Double>, period: Int, period2: Int = 0,
                           options: MemberOptions) -> ForecastMember? {
        let n = y.count
        guard n >= 3 else { return nil }
        var positive = true
        for v in y where !(v > 0) { positive = false; break }
        let fitStart = options.fitWindow > 0 ? Swift.max(0, n - options.fitWindow) : 0
        switch kind {
        case .seasonalNaive:
            let m = Swift.max(period, 1)
            guard n >= m else { return nil }
            var mem = ForecastMember(kind: kind, period: m)
            mem.ring = [Double](repeating: 0, count: m)
            for t in (n - m)..<n { mem.ring[t % m] = y[t] }
            mem.time = n
            return mem
        case .levelNaive:
            let p = Swift.max(period, 1), w = Swift.max(1, Swift.min(period2, p))
            guard n >= p + w else { return nil }
            var mem = ForecastMember(kind: kind, period: p)
            mem.period2 = w
            mem.multiplicative = positive
            mem.ring = [Double](repeating: 0, count: p + w)
            for t in (n - p - w)..<n { mem.ring[t % (p + w)] = y[t] }
            mem.time = n
            return mem
        case .ets:
            if spec.needsPositive && !positive { return nil }
            let m = spec.season > 0 ? period : 1
            if spec.season > 0 && (m < 2 || n - fitStart < 3 * m) { return nil }
            let w = UnsafeBufferPointer(rebasing: y[fitStart..<n])
            guard let core = ETSModel.fit(w, start: fitStart, spec: spec, period: m,
                                          maxEvaluations: options.maxEvaluations) else { return nil }
            var mem = ForecastMember(kind: .ets, spec: spec, period: m)
            mem.core = core
            mem.time = n
            return mem
        case .adjustedETS, .theta, .robustTrend:
            var mem = ForecastMember(kind: kind, spec: kind == .adjustedETS ? spec : ETSSpec(multiplicativeError: false, trend: 0, season: 0), period: period)
            if mem.spec.needsPositive && !positive { return nil }
            if period >= 2 && n >= 2 * period {
                mem.multiplicative = positive
                mem.profile = SeasonalProfile.classical(y, start: 0, period: period, multiplicative: positive,
                                                        cycles: options.profileCycles, decay: options.profileDecay)
            } else {
                mem.period = 1
            }
            var adj = [Double](repeating: 0, count: n)
            for t in 0..<n { adj[t] = mem.adjust(y[t], at: t) }
            let ok: Bool = adj.withUnsafeBufferPointer { a in
                let w = UnsafeBufferPointer(rebasing: a[fitStart..<n])
                switch kind {
                case .robustTrend:
                    let win = Swift.min(n, Swift.max(4 * mem.period, 48))
                    let (b0, b1) = RobustLine.fit(UnsafeBufferPointer(rebasing: a[(n - win)..<n]))
                    mem.intercept = b0 + b1 * Double(win) // value at index n
                    mem.drift = b1
                    mem.anchor = n
                    return true
                case .theta:
                    guard let core = ETSModel.fit(w, start: fitStart, spec: mem.spec, period: 1,
                                                  maxEvaluations: options.maxEvaluations) else { return false }
                    mem.core = core
                    mem.drift = 0.5 * RobustLine.ols(w).slope
                    return true
                default:
                    guard let core = ETSModel.fit(w, start: fitStart, spec: mem.spec, period: 1,
                                                  maxEvaluations: options.maxEvaluations) else { return false }
                    mem.core = core
                    return true
                }
            }
            guard ok else { return nil }
            mem.time = n
            return mem
        case .mstl:
            guard period >= 2, period2 > period, n >= 2 * period2 else { return nil }
            var mem = ForecastMember(kind: .mstl, spec: spec.season == 0 ? spec : ETSSpec(multiplicativeError: false, trend: 2, season: 0), period: period)
            mem.period2 = period2
            mem.multiplicative = positive
            var x = [Double](repeating: 0, count: n)
            for t in 0..<n { x[t] = positive ? _log(y[t]) : y[t] }
            (mem.profile, mem.profile2) = x.withUnsafeBufferPointer {
                SeasonalProfile.twoPeriod($0, start: 0, m1: period, m2: period2, cycles1: options.profileCycles,
                                          decay: options.profileDecay, shrink: options.longShrink)
            }
            var adj = [Double](repeating: 0, count: n)
            for t in 0..<n { adj[t] = mem.adjust(y[t], at: t) }
            let core: ETSModel? = adj.withUnsafeBufferPointer { a in
                ETSModel.fit(UnsafeBufferPointer(rebasing: a[fitStart..<n]), start: fitStart, spec: mem.spec, period: 1,
                             maxEvaluations: options.maxEvaluations)
            }
            guard let core else { return nil }
            mem.core = core
            mem.time = n
            return mem
        }
    }
}

/// Straight-line fits: ordinary least squares and a Huber-weighted robust version (IRLS).
public enum RobustLine {
    /// OLS of y on index 0..<n: (intercept, slope).
    public static func ols(_ y: UnsafeBufferPointer<Double>) -> (intercept: Double, slope: Double) {
        let n = Double(y.count)
        guard y.count >= 2 else { return (y.first ?? 0, 0) }
        var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for (i, v) in y.enumerated() {
            let x = Double(i)
            sx += x; sy += v; sxx += x * x; sxy += x * v
        }
        let d = n * sxx - sx * sx
        guard d > 0 else { return (sy / n, 0) }
        let b = (n * sxy - sx * sy) / d
        return ((sy - b * sx) / n, b)
    }

    /// Huber-weighted line (k = 1.345 robust standard deviations), a few IRLS passes.
    public static func fit(_ y: UnsafeBufferPointer<Double>) -> (Double, Double) {
        var (a, b) = ols(y)
        let n = y.count
        guard n >= 3 else { return (a, b) }
        var w = [Double](repeating: 1, count: n)
        var res = [Double](repeating: 0, count: n)
        for _ in 0..<4 {
            for i in 0..<n { res[i] = Swift.abs(y[i] - a - b * Double(i)) }
            let mad = MathUtil.median(res) * 1.4826
            let k = 1.345 * Swift.max(mad, 1e-12)
            for i in 0..<n { w[i] = res[i] <= k ? 1 : k / res[i] }
            var sw = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
            for i in 0..<n {
                let x = Double(i)
                sw += w[i]; sx += w[i] * x; sy += w[i] * y[i]; sxx += w[i] * x * x; sxy += w[i] * x * y[i]
            }
            let d = sw * sxx - sx * sx
            guard d > 0 else { break }
            b = (sw * sxy - sx * sy) / d
            a = (sy - b * sx) / sw
        }
        return (a, b)
    }
}
