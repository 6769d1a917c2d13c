/// Forecasting with exogenous inputs (other metrics, event indicators such as deployments,
/// business data) and the features' importance.
///
/// Two passes: (1) the automatic model is fitted on the older part of the history and run
/// online over the recent part; its one-step errors are regressed (ridge, standardised
/// inputs) on the inputs at the same time, giving each input's effect β; (2) the model is
/// refitted on the history with those effects removed, and the forecast adds β·x back using
/// the inputs' future values. Importance = |β_j|·sd(x_j), normalised to sum 1 — the share of
/// the explained variation each input carries (root-cause attribution for the forecast).
public enum ExogenousForecast {
    /// The result besides the forecast arrays.
    public struct Result: Sendable {
        /// The fitted model (on the effect-adjusted history).
        public var model: ForecastModel
        /// Effect of one unit of each input on the series.
        public var coefficients: [Double]
        /// Normalised importance of each input (sums to 1, or all 0 when nothing is explained).
        public var importance: [Double]
    }

    /// Forecasts `y` (n values) given inputs `x` (n × k row-major) and their future values
    /// `future` (h × k row-major, h = mean.count). Non-finite inputs count as 0.
    public static func run(_ y: UnsafeBufferPointer<Double>, x: UnsafeBufferPointer<Double>, features k: Int,
                           future: UnsafeBufferPointer<Double>, season: Int, level: Double, options: AutoOptions,
                           mean: UnsafeMutableBufferPointer<Double>, lo: UnsafeMutableBufferPointer<Double>,
                           hi: UnsafeMutableBufferPointer<Double>) throws -> Result {
        let n = y.count, h = mean.count
        guard k >= 1, k <= 1000 else { throw SMONError.invalidArgument("feature count \(k) is not in 1...1000") }
        guard x.count == n * k else { throw SMONError.invalidArgument("x holds \(x.count) values, expected n*k = \(n * k)") }
        guard future.count == h * k else { throw SMONError.invalidArgument("future holds \(future.count) values, expected h*k = \(h * k)") }
        guard h >= 1 else { throw SMONError.invalidArgument("horizon is 0") }
        guard level > 0, level < 1 else { throw SMONError.invalidArgument("level \(level) is not in (0, 1)") }
        let clean = try Preprocess.clean(y)
        var opts = options
        if season > 0 { opts.season = season }
        @inline(__always) func xv(_ i: Int, _ j: Int) -> Double { let v = x[i * k + j]; return v.isFinite ? v : 0 }
        // standardisation
        var mu = [Double](repeating: 0, count: k), sd = [Double](repeating: 0, count: k)
        for j in 0..<k {
            var s = 0.0
            for i in 0..<n { s += xv(i, j) }
            mu[j] = s / Double(n)
            var v = 0.0
            for i in 0..<n { let d = xv(i, j) - mu[j]; v += d * d }
            sd[j] = (v / Double(Swift.max(n - 1, 1))).squareRoot()
        }
        var beta = [Double](repeating: 0, count: k)
        // pass 1: one-step errors of a model fitted on the head, run over the tail
        let w = Swift.min(n / 2, Swift.max(200, 2 * opts.validationHorizon))
        if w >= 10 && n - w >= 8 {
            var head = try AutoForecaster.fit(Array(clean[0..<(n - w)]), options: opts)
            var err = [Double](repeating: 0, count: w)
            var one = [0.0]
            var scratch = [Double](repeating: 0, count: ForecastModel.maxMembers)
            for t in 0..<w {
                one.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { s in head.pointForecast(into: o, scratch: s) }
                }
                err[t] = clean[n - w + t] - one[0]
                head.update(clean[n - w + t])
            }
            // ridge on standardised inputs: (ZᵀZ + λI) b = Zᵀe
            var a = Matrix(rows: k, cols: k)
            var rhs = [Double](repeating: 0, count: k)
            var z = [Double](repeating: 0, count: k)
            for t in 0..<w {
                for j in 0..<k { z[j] = sd[j] > 1e-12 ? (xv(n - w + t, j) - mu[j]) / sd[j] : 0 }
                for j in 0..<k {
                    rhs[j] += z[j] * err[t]
                    for l in 0..<k { a[j, l] += z[j] * z[l] }
                }
            }
            let lambda = 1e-2 * Double(w)
            for j in 0..<k { a[j, j] += lambda }
            if let b = try? LinearAlgebra.leastSquares(a, rhs) {
                for j in 0..<k where sd[j] > 1e-12 && b[j].isFinite { beta[j] = b[j] / sd[j] }
            }
        }
        // pass 2: fit on the effect-adjusted history
        var adj = clean
        for i in 0..<n {
            var e = 0.0
            for j in 0..<k { e += beta[j] * (xv(i, j) - mu[j]) }
            adj[i] -= e
        }
        let model = try AutoForecaster.fit(adj, options: opts)
        model.forecast(level: level, mean: mean, lo: lo, hi: hi)
        for s in 0..<h {
            var e = 0.0
            for j in 0..<k {
                let f = future[s * k + j]
                e += beta[j] * ((f.isFinite ? f : 0) - mu[j])
            }
            mean[s] += e; lo[s] += e; hi[s] += e
            if model.nonNegative { mean[s] = Swift.max(mean[s], 0); lo[s] = Swift.max(lo[s], 0); hi[s] = Swift.max(hi[s], 0) }
        }
        var imp = (0..<k).map { Swift.abs(beta[$0]) * sd[$0] }
        let tot = imp.reduce(0, +)
        if tot > 0 && tot.isFinite { for j in 0..<k { imp[j] /= tot } } else { imp = [Double](repeating: 0, count: k) }
        return Result(model: model, coefficients: beta, importance: imp)
    }
}
