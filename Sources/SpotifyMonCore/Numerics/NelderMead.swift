/// Derivative-free minimisation of a function of a few unconstrained variables
/// (Nelder–Mead simplex with the standard reflection/expansion/contraction/shrink steps).
///
/// Used to fit model parameters by maximum likelihood after mapping bounded parameters onto
/// the real line (e.g. through a logistic). Allocates only its small simplex, once per call.
public enum NelderMead {
    /// The result of a minimisation.
    public struct Result: Sendable {
        /// The best point found.
        public var x: [Double]
        /// The objective at `x`.
        public var value: Double
        /// Objective evaluations used.
        public var evaluations: Int
    }

    /// Minimises `f` from `start` with initial step `step` per coordinate, stopping after
    /// `maxEvaluations` or when the simplex values differ by less than `tolerance` (relative).
    /// A non-finite objective value is treated as +infinity.
    public static func minimize(_ start: [Double], step: Double = 0.5, maxEvaluations: Int = 200,
                                tolerance: Double = 1e-7, _ f: ([Double]) -> Double) -> Result {
        let d = start.count
        var evals = 0
        func eval(_ x: [Double]) -> Double {
            evals += 1
            let v = f(x)
            return v.isFinite ? v : .infinity
        }
        if d == 0 { return Result(x: start, value: eval(start), evaluations: evals) }
        var pts: [[Double]] = [start]
        for i in 0..<d {
            var p = start
            p[i] += step
            pts.append(p)
        }
        var vals = pts.map(eval)
        var centroid = [Double](repeating: 0, count: d)
        var trial = [Double](repeating: 0, count: d)
        var trial2 = [Double](repeating: 0, count: d)
        while evals < maxEvaluations {
            // order: best first
            let order = (0...d).sorted { vals[$0] < vals[$1] }
            pts = order.map { pts[$0] }
            vals = order.map { vals[$0] }
            let spread = Swift.abs(vals[d] - vals[0])
            if spread <= tolerance * (Swift.abs(vals[0]) + tolerance) { break }
            for j in 0..<d {
                var s = 0.0
                for i in 0..<d { s += pts[i][j] }
                centroid[j] = s / Double(d)
            }
            for j in 0..<d { trial[j] = centroid[j] + (centroid[j] - pts[d][j]) }
            let fr = eval(trial)
            if fr < vals[0] {
                for j in 0..<d { trial2[j] = centroid[j] + 2 * (centroid[j] - pts[d][j]) }
                let fe = eval(trial2)
                if fe < fr { pts[d] = trial2; vals[d] = fe } else { pts[d] = trial; vals[d] = fr }
            } else if fr < vals[d - 1] {
                pts[d] = trial; vals[d] = fr
            } else {
                let outside = fr < vals[d]
                for j in 0..<d {
                    trial2[j] = outside ? centroid[j] + 0.5 * (trial[j] - centroid[j])
                                        : centroid[j] + 0.5 * (pts[d][j] - centroid[j])
                }
                let fc = eval(trial2)
                if fc < Swift.min(fr, vals[d]) {
                    pts[d] = trial2; vals[d] = fc
                } else {
                    for i in 1...d {
                        for j in 0..<d { pts[i][j] = pts[0][j] + 0.5 * (pts[i][j] - pts[0][j]) }
                        vals[i] = eval(pts[i])
                    }
                }
            }
        }
        var best = 0
        for i in 1...d where vals[i] < vals[best] { best = i }
        return Result(x: pts[best], value: vals[best], evaluations: evals)
    }
}
