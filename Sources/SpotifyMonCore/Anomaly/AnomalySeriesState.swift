/// Everything the detector keeps about one series: a fixed-size plain value (about 2.9 KiB),
/// stored flat in the `ShardedStore`, so observing never allocates.
public struct AnomalySeriesState: Sendable {
    /// Newest values.
    public var window = SeriesWindow()
    /// Seasonal phase baseline.
    public var season = SeasonProfile()
    /// Shape prototypes (clustering-distance member).
    public var shape = ShapeMember()
    /// Pattern novelty member.
    public var novelty = PatternNovelty()
    /// Raw-score calibration.
    public var likelihood = LikelihoodCalibrator()
    /// Drift detectors.
    public var pageHinkley = PageHinkley()
    /// ADWIN over standardised values.
    public var adwin = Adwin()
    /// The series' share of the shared GRU.
    public var gru = GRUSeriesState()
    /// Points observed.
    public var count: UInt64 = 0
    /// Newest timestamp seen (ms).
    public var lastTs: Int64 = .min
    /// Fast EWMA level and absolute deviation.
    public var mean = 0.0, dev = 0.0
    /// Slow EWMA level and absolute deviation.
    public var slowMean = 0.0, slowDev = 0.0
    /// Points since the last detection.
    public var sinceDetection: UInt32 = .max
    /// Baseline and absolute deviation of the last detection (a much larger deviation
    /// inside the suppression span is a new event, not a repeat).
    public var alarmBase = 0.0, alarmAmp = 0.0
    /// Adaptive threshold: decaying count of this series' recent detections.
    public var alarmLevel: Float = 0
    /// Consecutive anomalous points.
    public var persistence: UInt32 = 0
    /// Impact category and weight (from the business rules, set at registration).
    public var impactCategory: Int32 = ImpactCategory.operational.rawValue
    /// Impact weight in 0...1.
    public var impactWeight: Float = 0.5
    /// Metric kind (recommended actions).
    public var kind: UInt8 = 0
    /// Member scores of the last point: robust, forest, gru, prototype.
    public var lastMembers = InlineArray<5, Float>(repeating: 0)
    /// The last point and its result (for explanations).
    public var lastValue = 0.0, lastTsObserved: Int64 = 0
    /// The last result.
    public var last = AnomalyResult()

    /// A fresh state.
    public init() {}

    /// Whether every index field is in range (after a restore).
    var isValid: Bool {
        window.isValid && novelty.isValid && shape.isValid && likelihood.isValid && adwin.isValid
            && ImpactCategory(rawValue: impactCategory) != nil && MetricKind(rawValue: kind) != nil
            && mean.isFinite && dev.isFinite && slowMean.isFinite && slowDev.isFinite
    }
}
