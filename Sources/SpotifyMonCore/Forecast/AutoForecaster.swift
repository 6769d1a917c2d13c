/// Options of automatic model selection (from the `forecaster.*` configuration keys).
public struct AutoOptions: Sendable, Equatable {
    /// Seasonal period; 0 = detect.
    public var season = 0
    /// Long seasonal period for MSTL; 0 = 7 × season when the history holds three of them; -1 = never.
    public var longSeason = 0
    /// Steps ahead each validation origin is scored on (and calibrated for).
    public var validationHorizon = 48
    /// Rolling origins at the end of the history; 0 = four times the validation horizon.
    public var validationWindow = 0
    /// Most recent origins whose errors score the candidates; 0 = twice the validation horizon.
    public var selectionWindow = 0
    /// Multiplier on calibrated error scales (1 = the backtest's own).
    public var intervalScale = 1.2
    /// Most members in the ensemble (the best k by validation, k chosen by validation too).
    public var ensembleSize = 4
    /// A larger ensemble is preferred when its validation score is within this fraction of the best.
    public var ensembleTolerance = 0.1
    /// Combination rule.
    public var combination: Combination = .median
    /// Refit the selected members on the whole history after selection.
    public var refitFinal = true
    /// Full seasonal ETS (Holt–Winters family, AICc among A/M variants) among the candidates.
    public var seasonalETS = true
    /// A level-only (SES) MSTL variant among the candidates, besides the damped-trend one.
    public var mstlLevelOnly = false
    /// Level-adjusted seasonal naive among the candidates.
    public var levelNaive = false
    /// Fit both additive and multiplicative Holt–Winters forms and keep the better by AICc
    /// (false: only the multiplicative form for positive series, the additive one otherwise).
    public var seasonalETSBoth = true
    /// Candidate periods for detection (e.g. day and week in steps); empty = search.
    public var candidatePeriods: [Int] = []
    /// Member fitting knobs.
    public var member = MemberOptions()
    /// Defaults.
    public init() {}
}

/// Automatic forecasting: detect the season, fit every suitable family, score each by
/// rolling-origin validation on the end of the history, keep the best k (k chosen by the same
/// validation), combine them, calibrate intervals from the ensemble's backtest errors, refit.
public enum AutoForecaster {
    /// Fits a model to `y` (finite values; see `Preprocess.clean` for raw input).
    /// Throws `invalidArgument` for an empty series.
    public static func fit(_ y: [Double], options: AutoOptions) throws -> ForecastModel {
        let n = y.count
        guard n >= 1 else { throw SMONError.invalidArgument("the series is empty") }
        var positive = true, nonNegative = true
        for v in y {
            guard v.isFinite else { throw SMONError.invalidArgument("the series holds a non-finite value") }
            if !(v > 0) { positive = false }
            if v < 0 { nonNegative = false }
        }
        return y.withUnsafeBufferPointer { yb in
            // season
            var m = options.season
            if m <= 0 { m = Seasonality.detect(yb, candidates: options.candidatePeriods) }
            if m < 2 || n < 2 * m + 4 { m = 1 }
            var m2 = 0
            if m >= 2 {
                if options.longSeason > 0 { m2 = options.longSeason } else if options.longSeason == 0 { m2 = 7 * m }
                if m2 <= m || m2 % m != 0 || n < 3 * m2 { m2 = 0 }
            }
            // very short: naive with a flat calibration
            if n < 8 {
                return simpleModel(yb, nonNegative: nonNegative)
            }
            let hv = Swift.max(1, Swift.min(options.validationHorizon, n / 5))
            var w = options.validationWindow > 0 ? options.validationWindow : 4 * hv
            let minFit = Swift.max(m >= 2 ? 2 * m + 2 : 6, 6)
            w = Swift.min(w, n - minFit)
            if w < 2 { return simpleModel(yb, nonNegative: nonNegative) }
            let cut = n - w
            let head = UnsafeBufferPointer(rebasing: yb[0..<cut])
            let scale = errorScale(head, period: m)

            // candidates, fitted on the head
            var cands = candidates(head, period: m, period2: m2, positive: positive, options: options)
            if cands.isEmpty { return simpleModel(yb, nonNegative: nonNegative) }
            let k = cands.count
            var fc = [Double](repeating: .nan, count: k * w * hv)
            fc.withUnsafeMutableBufferPointer { f in
                for o in 0..<w {
                    for j in 0..<k {
                        let base = (j * w + o) * hv
                        cands[j].forecast(into: UnsafeMutableBufferPointer(rebasing: f[base..<(base + hv)]))
                        cands[j].update(yb[cut + o])
                    }
                }
            }
            // member scores: scaled MAE over all (origin, step) pairs inside the history
            var scores = [Double](repeating: 0, count: k)
            // selection scores use the most recent origins only; calibration uses them all
            let selFirst = options.selectionWindow > 0 ? Swift.max(0, w - options.selectionWindow) : 0
            var count = 0
            for o in selFirst..<w { count += Swift.min(hv, w - o) }
            for j in 0..<k {
                var s = 0.0
                for o in selFirst..<w {
                    let base = (j * w + o) * hv
                    for h in 0..<Swift.min(hv, w - o) {
                        let e = yb[cut + o + h] - fc[base + h]
                        s += e.isFinite ? Swift.abs(e) : 1e300
                    }
                }
                scores[j] = s / Double(Swift.max(count, 1)) / scale
            }
            let order = (0..<k).sorted { scores[$0] < scores[$1] }
            // choose the ensemble size by the same validation
            var bestK = 1, bestScore = Double.infinity
            var ens = [Double](repeating: 0, count: w * hv)
            func weightsFor(_ kk: Int) -> [Double] {
                order.prefix(kk).map { j in 1 / Swift.max(scores[j] * scores[j], 1e-12) }
            }
            var row = [Double](repeating: 0, count: ForecastModel.maxMembers * hv)
            func ensembleErrors(_ kk: Int, into err: inout [Double]) -> Double {
                var s = 0.0
                row.withUnsafeMutableBufferPointer { r in
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: hv) { out in
                        for o in 0..<w {
                            for (jj, j) in order.prefix(kk).enumerated() {
                                for h in 0..<hv { r[jj * hv + h] = fc[(j * w + o) * hv + h] }
                            }
                            ForecastModel.combine(r, members: kk, steps: hv, rule: options.combination,
                                                  weights: weightsFor(kk), into: out)
                            for h in 0..<hv {
                                if o + h < w {
                                    let e = yb[cut + o + h] - out[h]
                                    err[o * hv + h] = e
                                    if o >= selFirst { s += Swift.abs(e) }
                                } else { err[o * hv + h] = .nan }
                            }
                        }
                    }
                }
                return s / Double(Swift.max(count, 1)) / scale
            }
            let maxK = Swift.max(1, Swift.min(options.ensembleSize, k, ForecastModel.maxMembers))
            var kScores = [Double](repeating: .infinity, count: maxK + 1)
            for kk in 1...maxK {
                let sc = ensembleErrors(kk, into: &ens)
                kScores[kk] = sc
                if sc.isFinite && sc < bestScore { bestScore = sc; bestK = kk }
            }
            // prefer the larger ensemble when it scores within the tolerance of the best
            for kk in stride(from: maxK, to: bestK, by: -1) where kScores[kk] <= bestScore * (1 + options.ensembleTolerance) {
                bestK = kk; break
            }
            let ensScore = ensembleErrors(bestK, into: &ens)
            var calib = ens.withUnsafeBufferPointer {
                Calibration.build(errors: $0, origins: w, steps: hv, floor: 1e-9 * Swift.max(scale, 1e-300))
            }
            calib.ceiling = Calibration.climatologyScale(yb)
            if options.intervalScale != 1 {
                for i in calib.scales.indices { calib.scales[i] *= options.intervalScale }
                calib.ceiling *= options.intervalScale
            }
            // final members
            var chosen: [ForecastMember] = []
            for j in order.prefix(bestK) {
                var mem = cands[j]
                if options.refitFinal,
                   let re = ForecastMember.fit(mem.kind, spec: mem.spec, y: yb,
                                               period: mem.kind == .seasonalNaive || mem.kind == .levelNaive ? mem.period : m,
                                               period2: mem.period2, options: options.member) {
                    mem = re
                }
                chosen.append(mem)
            }
            let board = order.map { (name: cands[$0].name, score: scores[$0]) }
            var model = ForecastModel(members: chosen, combination: options.combination, calibration: calib, period: m,
                                      nonNegative: nonNegative, scores: order.prefix(bestK).map { scores[$0] },
                                      ensembleScore: ensScore, leaderboard: board, errorScale: scale)
            model.weights = weightsFor(bestK)
            return model
        }
    }

    /// Mean absolute seasonal difference (period m, or 1), floored away from zero.
    static func errorScale(_ y: UnsafeBufferPointer<Double>, period m: Int) -> Double {
        let lag = m >= 2 && y.count > m + 1 ? m : 1
        guard y.count > lag else { return 1 }
        var s = 0.0
        for t in lag..<y.count { s += Swift.abs(y[t] - y[t - lag]) }
        var v = s / Double(y.count - lag)
        if !(v > 0) {
            var a = 0.0
            for x in y { a += Swift.abs(x) }
            v = Swift.max(a / Double(y.count) * 1e-3, 1e-9)
        }
        return v
    }

    /// The candidate members fitted to `y`.
    static func candidates(_ y: UnsafeBufferPointer<Double>, period m: Int, period2 m2: Int, positive: Bool,
                           options: AutoOptions) -> [ForecastMember] {
        let o = options.member
        var out: [ForecastMember] = []
        func add(_ mem: ForecastMember?) { if let mem { out.append(mem) } }
        let ad = ETSSpec(multiplicativeError: false, trend: 2, season: 0)
        add(ForecastMember.fit(.seasonalNaive, y: y, period: m, options: o))
        if m2 > 0 { add(ForecastMember.fit(.seasonalNaive, y: y, period: m2, options: o)) }
        if options.levelNaive {
            if m2 > 0 { add(ForecastMember.fit(.levelNaive, y: y, period: m2, period2: m, options: o)) }
            else if m >= 2 { add(ForecastMember.fit(.levelNaive, y: y, period: m, period2: m, options: o)) }
        }
        add(ForecastMember.fit(.adjustedETS, spec: ad, y: y, period: m, options: o))
        add(ForecastMember.fit(.theta, y: y, period: m, options: o))
        if m2 > 0 {
            add(ForecastMember.fit(.mstl, spec: ad, y: y, period: m, period2: m2, options: o))
            if options.mstlLevelOnly {
                add(ForecastMember.fit(.mstl, spec: ETSSpec(multiplicativeError: false, trend: 0, season: 0), y: y,
                                       period: m, period2: m2, options: o))
            }
        }
        if m >= 2 && options.seasonalETS {
            // Holt–Winters family: best of the additive and multiplicative damped forms by AICc
            var best: ForecastMember? = positive && !options.seasonalETSBoth ? nil
                : ForecastMember.fit(.ets, spec: ETSSpec(multiplicativeError: false, trend: 2, season: 1), y: y, period: m, options: o)
            if positive, let mm = ForecastMember.fit(.ets, spec: ETSSpec(multiplicativeError: true, trend: 2, season: 2),
                                                     y: y, period: m, options: o),
               mm.core.aicc < (best?.core.aicc ?? .infinity) {
                best = mm
            }
            add(best)
        }
        if m < 2 {
            // non-seasonal ETS: best by AICc among N/A/Ad trend, A/M error
            var best: ForecastMember?
            for spec in [ETSSpec(multiplicativeError: false, trend: 0, season: 0),
                         ETSSpec(multiplicativeError: false, trend: 1, season: 0),
                         ETSSpec(multiplicativeError: true, trend: 0, season: 0),
                         ETSSpec(multiplicativeError: true, trend: 2, season: 0)] {
                if let mem = ForecastMember.fit(.ets, spec: spec, y: y, period: 1, options: o),
                   mem.core.aicc < (best?.core.aicc ?? .infinity) { best = mem }
            }
            add(best)
        }
        add(ForecastMember.fit(.robustTrend, y: y, period: m, options: o))
        return out
    }

    /// Naive forecast with a flat interval from the spread of the differences (short series).
    static func simpleModel(_ y: UnsafeBufferPointer<Double>, nonNegative: Bool) -> ForecastModel {
        let n = y.count
        var mem = ForecastMember(kind: .seasonalNaive, period: 1)
        mem.ring = [y[n - 1]]
        mem.time = n
        var s = 0.0
        for t in 1..<Swift.max(n, 1) where t < n { s += Swift.abs(y[t] - y[t - 1]) }
        var sc = n > 1 ? s / Double(n - 1) : 0
        if !(sc > 0) { sc = Swift.abs(y[n - 1]) * 0.05 }
        return ForecastModel(members: [mem], combination: .mean, calibration: Calibration(flatScale: sc), period: 1,
                             nonNegative: nonNegative, scores: [.nan], ensembleScore: .nan,
                             leaderboard: [(name: mem.name, score: .nan)], errorScale: Swift.max(sc, 1e-9))
    }
}
