/// The outcome of one observation.
public struct AnomalyResult: Sendable, Equatable {
    /// Calibrated anomaly score in [0, 1].
    public var score: Double = 0
    /// Whether the score reached the (context-adjusted) threshold.
    public var isAnomaly = false
    /// 0 none, 1 low, 2 medium, 3 high, 4 critical.
    public var severity: Int32 = 0
    /// The ensemble's raw score before calibration, [0, 1].
    public var rawScore: Double = 0
    /// Expected value and plausible range.
    public var expected: Double = 0, expectedLow: Double = 0, expectedHigh: Double = 0
    /// Business impact score in [0, 1] and its category.
    public var impactScore: Double = 0
    /// Impact category (ImpactCategory raw value).
    public var impactCategory: Int32 = ImpactCategory.operational.rawValue
    /// Drift flags: 1 Page-Hinkley, 2 ADWIN (bitwise or).
    public var drift: Int32 = 0
    /// Correlation group of an anomaly (0: none).
    public var groupId: UInt32 = 0
    /// The series' id.
    public var seriesId: UInt32 = 0

    /// An empty result.
    public init() {}

    /// Severity levels.
    public static let severityNames = ["none", "low", "medium", "high", "critical"]
}
