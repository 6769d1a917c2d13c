/// Exponential smoothing state space models (the ETS family of Hyndman et al.): additive or
/// multiplicative error, no/additive/damped trend, no/additive/multiplicative season.
///
/// Updates in error-correction form (identical point recursions for both error types; the
/// error type changes the likelihood). Parameters are fitted by maximum likelihood with
/// Nelder–Mead over logistic-mapped, constrained smoothing parameters; initial states come
/// from the first cycles of data.
public struct ETSSpec: Sendable, Equatable, Hashable {
    /// Error: additive or multiplicative.
    public var multiplicativeError: Bool
    /// Trend: 0 none, 1 additive, 2 additive damped.
    public var trend: UInt8
    /// Season: 0 none, 1 additive, 2 multiplicative.
    public var season: UInt8

    /// A specification.
    public init(multiplicativeError: Bool, trend: UInt8, season: UInt8) {
        self.multiplicativeError = multiplicativeError; self.trend = trend; self.season = season
    }

    /// The conventional name, e.g. `ETS(M,Ad,M)`.
    public var name: String {
        let e = multiplicativeError ? "M" : "A"
        let t = ["N", "A", "Ad"][Int(Swift.min(trend, 2))]
        let s = ["N", "A", "M"][Int(Swift.min(season, 2))]
        return "ETS(\(e),\(t),\(s))"
    }

    /// Whether the model needs strictly positive data.
    public var needsPositive: Bool { multiplicativeError || season == 2 }
}

/// A fitted ETS model with its current state; `update` moves it one observation on.
public struct ETSModel: Sendable {
    /// The specification.
    public var spec: ETSSpec
    /// Seasonal period (1 when the spec has no season).
    public var period: Int
    /// Smoothing parameters.
    public var alpha = 0.1, beta = 0.01, gamma = 0.01, phi = 0.98
    /// Level and trend.
    public var level = 0.0, slope = 0.0
    /// Seasonal states indexed by phase (absolute time index mod period).
    public var seasonal: [Double]
    /// Absolute time index of the next observation.
    public var time = 0
    /// Concentrated log-likelihood term at the fit (lower is better) and AICc.
    public var loss = Double.infinity, aicc = Double.infinity
    /// Residual standard deviation of the one-step errors at the fit (relative for M errors).
    public var sigma = 0.0

    /// An unfitted model.
    public init(spec: ETSSpec, period: Int) {
        self.spec = spec
        self.period = spec.season == 0 ? 1 : Swift.max(period, 1)
        seasonal = [Double](repeating: spec.season == 2 ? 1 : 0, count: self.period)
    }

    /// Number of free parameters counted in the AICc (smoothing + initial states).
    public var parameterCount: Int {
        var k = 2 // alpha, l0
        if spec.trend > 0 { k += 2 }
        if spec.trend == 2 { k += 1 }
        if spec.season > 0 { k += period } // gamma + (m-1) seasonal states
        return k
    }

    /// The one-step point forecast from the current state.
    @inlinable
    public func oneStep() -> Double {
        let lb = level + (spec.trend == 0 ? 0 : (spec.trend == 2 ? phi : 1) * slope)
        switch spec.season {
        case 1: return lb + seasonal[time % period]
        case 2: return lb * seasonal[time % period]
        default: return lb
        }
    }

    /// Absorbs observation `y` (must be finite); returns the one-step error y − ŷ.
    @inlinable @discardableResult
    public mutating func update(_ y: Double) -> Double {
        let ph = time % period
        let damp = spec.trend == 0 ? 0 : (spec.trend == 2 ? phi : 1)
        let lb = level + damp * slope
        let s = seasonal[ph]
        var mu: Double
        switch spec.season {
        case 1: mu = lb + s
        case 2: mu = lb * s
        default: mu = lb
        }
        let e = y - mu
        switch spec.season {
        case 2:
            let sd = s > 1e-9 ? s : 1e-9
            level = lb + alpha * e / sd
            if spec.trend != 0 { slope = damp * slope + beta * e / sd }
            let ld = Swift.abs(lb) > 1e-9 ? lb : 1e-9
            var ns = s + gamma * e / ld
            if !(ns > 1e-3) { ns = 1e-3 }
            seasonal[ph] = ns
        case 1:
            level = lb + alpha * e
            if spec.trend != 0 { slope = damp * slope + beta * e }
            seasonal[ph] = s + gamma * e
        default:
            level = lb + alpha * e
            if spec.trend != 0 { slope = damp * slope + beta * e }
        }
        if spec.needsPositive && !(level > 1e-9) { level = 1e-9 }
        time += 1
        _ = mu
        return e
    }

    /// Point forecasts for steps 1...out.count from the current state.
    @inlinable
    public func forecast(into out: UnsafeMutableBufferPointer<Double>) {
        let damp = spec.trend == 0 ? 0 : (spec.trend == 2 ? phi : 1)
        var cum = 0.0, pw = 1.0
        for h in 0..<out.count {
            if spec.trend != 0 { pw *= damp; cum += pw }
            let lb = level + cum * slope
            let ph = (time + h) % period
            switch spec.season {
            case 1: out[h] = lb + seasonal[ph]
            case 2: out[h] = lb * seasonal[ph]
            default: out[h] = lb
            }
        }
    }

    /// Sets initial states from the first cycles of `y` (observed at absolute indices from `start`).
    public mutating func initialize(_ y: UnsafeBufferPointer<Double>, start: Int) {
        let n = y.count
        time = start
        let m = period
        if spec.season > 0 && n >= 2 * m {
            let k = Swift.min(n / m, 4)
            // cycle means
            var means = [Double](repeating: 0, count: k)
            for c in 0..<k {
                var s = 0.0
                for i in 0..<m { s += y[c * m + i] }
                means[c] = s / Double(m)
            }
            level = means[0]
            slope = k > 1 ? (means[k - 1] - means[0]) / Double((k - 1) * m) : 0
            var prof = [Double](repeating: 0, count: m)
            for c in 0..<k {
                for i in 0..<m {
                    let trendAt = means[c] + slope * (Double(i) - Double(m - 1) / 2)
                    prof[i] += spec.season == 2 ? (trendAt > 0 ? y[c * m + i] / trendAt : 1) : y[c * m + i] - trendAt
                }
            }
            for i in 0..<m { prof[i] /= Double(k) }
            SeasonalProfile.normalize(&prof, multiplicative: spec.season == 2)
            for i in 0..<m { seasonal[(start + i) % m] = prof[i] }
            level -= slope * Double(m - 1) / 2 // level just before the first point
        } else {
            let w = Swift.min(n, 10)
            var s = 0.0
            for i in 0..<w { s += y[i] }
            level = w > 0 ? s / Double(w) : 0
            if n >= 4 {
                let h = Swift.min(n / 2, 10)
                var a = 0.0, b = 0.0
                for i in 0..<h { a += y[i]; b += y[h + i] }
                slope = (b - a) / Double(h * h)
            } else { slope = 0 }
            level = y.count > 0 ? y[0] - (spec.trend == 0 ? 0 : slope) : 0
        }
        if spec.trend == 0 { slope = 0 }
        if spec.needsPositive && !(level > 1e-9) { level = Swift.max(level, 1e-9) }
    }

    /// Runs the model over `y` from its current state and returns the concentrated negative
    /// log-likelihood (n·log(SSE/n), plus 2·Σlog|ŷ| for multiplicative errors); +∞ if the
    /// recursion leaves its domain.
    public mutating func filterLoss(_ y: UnsafeBufferPointer<Double>) -> Double {
        let n = y.count
        guard n > 0 else { return .infinity }
        let mult = spec.multiplicativeError
        let damp = spec.trend == 0 ? 0.0 : (spec.trend == 2 ? phi : 1.0)
        let a = alpha, bt = spec.trend == 0 ? 0.0 : beta, g = gamma
        let m = period
        let positive = spec.needsPositive
        var l = level, b = slope
        var ph = time % m
        var sse = 0.0, logs = 0.0
        var ok = true
        let season = spec.season
        seasonal.withUnsafeMutableBufferPointer { s in
            for i in 0..<n {
                let v = y[i]
                let lb = l + damp * b
                let sv = s[ph]
                let mu = season == 1 ? lb + sv : (season == 2 ? lb * sv : lb)
                let e = v - mu
                if mult {
                    guard mu > 1e-9 else { ok = false; return }
                    let r = e / mu
                    sse += r * r
                    logs += _log(mu)
                } else {
                    sse += e * e
                }
                if season == 2 {
                    let sd = sv > 1e-9 ? sv : 1e-9
                    l = lb + a * e / sd
                    b = damp * b + bt * e / sd
                    let ld = lb > 1e-9 || lb < -1e-9 ? lb : 1e-9
                    var ns = sv + g * e / ld
                    if !(ns > 1e-3) { ns = 1e-3 }
                    s[ph] = ns
                } else {
                    l = lb + a * e
                    b = damp * b + bt * e
                    if season == 1 { s[ph] = sv + g * e }
                }
                if positive && !(l > 1e-9) { l = 1e-9 }
                ph += 1
                if ph == m { ph = 0 }
            }
        }
        time += n
        level = l; slope = b
        guard ok, sse.isFinite else { return .infinity }
        sigma = (sse / Double(n)).squareRoot()
        return Double(n) * _log(Swift.max(sse / Double(n), 1e-300)) + 2 * logs
    }

    /// The parameter vector mapped onto the real line.
    func encode() -> [Double] {
        func logit(_ p: Double) -> Double { let q = MathUtil.clamp(p, 1e-4, 1 - 1e-4); return _log(q / (1 - q)) }
        var u = [logit(alpha)]
        if spec.trend > 0 { u.append(logit(beta / alpha)) }
        if spec.season > 0 { u.append(logit(gamma / (1 - alpha))) }
        if spec.trend == 2 { u.append(logit((phi - 0.8) / 0.18)) }
        return u
    }

    /// Sets parameters from an encoded vector (constraints: 0<β<α, 0<γ<1−α, 0.8≤φ≤0.98).
    mutating func decode(_ u: [Double]) {
        var i = 0
        alpha = 1e-4 + (1 - 2e-4) * MathUtil.sigmoid(u[i]); i += 1
        if spec.trend > 0 { beta = alpha * MathUtil.sigmoid(u[i]) * 0.999; i += 1 } else { beta = 0 }
        if spec.season > 0 { gamma = (1 - alpha) * MathUtil.sigmoid(u[i]) * 0.999; i += 1 } else { gamma = 0 }
        if spec.trend == 2 { phi = 0.8 + 0.18 * MathUtil.sigmoid(u[i]); i += 1 } else { phi = 1 }
    }

    /// Fits `spec` to `y` (absolute indices from `start`) by maximum likelihood and returns the
    /// model with its state after the last observation; nil when the data do not suit the spec
    /// (too short, or not positive for a multiplicative component).
    public static func fit(_ y: UnsafeBufferPointer<Double>, start: Int, spec: ETSSpec, period: Int,
                           maxEvaluations: Int = 120) -> ETSModel? {
        var base = ETSModel(spec: spec, period: period)
        let n = y.count
        guard n >= Swift.max(base.parameterCount + 4, spec.season > 0 ? 2 * base.period : 4) else { return nil }
        if spec.needsPositive {
            for v in y where !(v > 0) { return nil }
        }
        base.initialize(y, start: start)
        let initial = base
        base.alpha = 0.2; base.beta = 0.02; base.gamma = 0.05; base.phi = 0.95
        let u0 = base.encode()
        let res = NelderMead.minimize(u0, step: 1.0, maxEvaluations: maxEvaluations, tolerance: 2e-5) { u in
            var m = initial
            m.decode(u)
            return m.filterLoss(y)
        }
        var model = initial
        model.decode(res.x)
        let loss = model.filterLoss(y)
        guard loss.isFinite else { return nil }
        model.loss = loss
        let k = Double(model.parameterCount + 1)
        let nn = Double(n)
        model.aicc = loss + 2 * k + (nn - k - 1 > 0 ? 2 * k * (k + 1) / (nn - k - 1) : 1e9)
        return model
    }
}
