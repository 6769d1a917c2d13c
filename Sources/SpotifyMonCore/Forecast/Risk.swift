/// Risk levels of a forecast breach (same numbering as the header's `SMON_SEVERITY_*`).
public enum RiskLevel: Int, Sendable, CaseIterable {
    /// No meaningful risk.
    case none = 0, low, medium, high, critical

    /// Lower-case name.
    public var name: String { ["none", "low", "medium", "high", "critical"][rawValue] }

    /// The level for a breach probability and how soon the breach is expected
    /// (`stepsFraction` = expected breach step / horizon, in 0...1; sooner raises the level).
    public static func from(probability p: Double, stepsFraction f: Double) -> RiskLevel {
        let urgency = p * (1.15 - 0.3 * MathUtil.clamp(f, 0, 1))
        if urgency >= 0.8 { return .critical }
        if urgency >= 0.5 { return .high }
        if urgency >= 0.2 { return .medium }
        if urgency >= 0.05 { return .low }
        return .none
    }
}

/// The risk that a series crosses a threshold within a horizon.
public struct BreachRisk: Sendable, Equatable {
    /// Probability that the series crosses the threshold at least once within the horizon.
    public var probability: Double
    /// Expected first-crossing step (1-based) given a crossing; 0 when no simulated path crosses.
    public var expectedSteps: Double
    /// First step where the point forecast itself crosses; 0 if it never does.
    public var meanCrossStep: Int
    /// Risk level.
    public var level: RiskLevel
    /// Business impact in 0...1 (impact weight × probability × context sensitivity).
    public var businessImpact: Double
}

/// Breach probabilities by simulation of forecast paths: errors at step h are the calibrated
/// step scale times a standardised error that follows an AR(1) across steps (ρ = 0.9, as
/// multi-step errors of one origin are strongly correlated), drawn from the series' own
/// empirical normalised errors by inverse-CDF.
public enum BreachEstimator {
    /// Simulated paths per estimate.
    public static let paths = 400

    /// The breach risk of `model` for `threshold` (crossing upward when `above`) within
    /// `horizon` steps. `impactWeight` and `sensitivity` come from the business context.
    public static func estimate(_ model: ForecastModel, threshold: Double, above: Bool, horizon: Int,
                                impactWeight: Double, sensitivity: Double, seed: UInt64) -> BreachRisk {
        let h = Swift.max(1, horizon)
        var mean = [Double](repeating: 0, count: h)
        var scale = [Double](repeating: 0, count: h)
        mean.withUnsafeMutableBufferPointer { m in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(1, model.members.count * h)) { s in
                model.pointForecast(into: m, scratch: s)
            }
        }
        let limit = model.calibration.extrapolationLimit
        for s in 0..<h { scale[s] = model.calibration.scale(step: s + 1, limit: limit) }
        var meanCross = 0
        for s in 0..<h where (above ? mean[s] >= threshold : mean[s] <= threshold) { meanCross = s + 1; break }
        var rng = Xoshiro256(seed: seed)
        let rho = 0.9, innov = (1 - rho * rho).squareRoot()
        let norm = model.calibration.normalized
        let nn = norm.count
        var hits = 0
        var stepSum = 0.0
        for _ in 0..<paths {
            var z = rng.nextGaussian()
            for s in 0..<h {
                if s > 0 { z = rho * z + innov * rng.nextGaussian() }
                // inverse-CDF through the empirical normalised errors
                let u = MathUtil.normalCDF(z)
                let e: Double
                if nn > 1 {
                    let pos = u * Double(nn - 1)
                    let i = Swift.max(0, Swift.min(nn - 2, Int(pos)))
                    let f = pos - Double(i)
                    e = norm[i] * (1 - f) + norm[i + 1] * f
                } else { e = z }
                let v = mean[s] + scale[s] * e
                if above ? v >= threshold : v <= threshold {
                    hits += 1; stepSum += Double(s + 1); break
                }
            }
        }
        let p = Double(hits) / Double(paths)
        let expected = hits > 0 ? stepSum / Double(hits) : 0
        let level = RiskLevel.from(probability: p, stepsFraction: hits > 0 ? expected / Double(h) : 1)
        let impact = MathUtil.clamp(impactWeight * p * sensitivity, 0, 1)
        return BreachRisk(probability: p, expectedSteps: expected, meanCrossStep: meanCross, level: level,
                          businessImpact: impact.isFinite ? impact : 0)
    }
}
