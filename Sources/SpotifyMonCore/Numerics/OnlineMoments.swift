/// Running mean and variance by Welford's algorithm: one pass, numerically stable, O(1) state.
public struct OnlineMoments: Sendable, Equatable {
    /// Number of observations folded in.
    public var count: Double = 0
    /// Running mean.
    public var mean: Double = 0
    /// Sum of squared deviations from the mean.
    public var m2: Double = 0

    /// An empty accumulator.
    public init() {}

    /// Folds in one observation.
    @inlinable
    public mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / count
        m2 += d * (x - mean)
    }

    /// Population variance (0 with fewer than two observations).
    @inlinable public var variance: Double { count > 1 ? m2 / count : 0 }
    /// Sample variance (0 with fewer than two observations).
    @inlinable public var sampleVariance: Double { count > 1 ? m2 / (count - 1) : 0 }
    /// Population standard deviation.
    @inlinable public var standardDeviation: Double { variance.squareRoot() }
}

/// Exponentially weighted mean and variance: `alpha` is the weight of the newest point.
public struct EWMoments: Sendable, Equatable {
    /// Weight of the newest observation, in (0, 1].
    public var alpha: Double
    /// Weighted mean.
    public var mean: Double = 0
    /// Weighted variance.
    public var variance: Double = 0
    /// Whether the first observation has been seen.
    public var started = false

    /// An accumulator forgetting at rate `alpha`.
    public init(alpha: Double) { self.alpha = alpha }

    /// Folds in one observation (West's incremental EW variance).
    @inlinable
    public mutating func add(_ x: Double) {
        if !started { mean = x; variance = 0; started = true; return }
        let d = x - mean
        let incr = alpha * d
        mean += incr
        variance = (1 - alpha) * (variance + d * incr)
    }

    /// Weighted standard deviation.
    @inlinable public var standardDeviation: Double { variance.squareRoot() }
}
