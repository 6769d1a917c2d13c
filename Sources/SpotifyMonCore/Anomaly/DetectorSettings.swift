/// The detector's numeric configuration, parsed once from `Configuration` into plain fields
/// (a plain value without references: the hot path copies it freely).
public struct DetectorSettings: Sendable {
    /// Members enabled.
    public var robust = true, forest = false, gru = false, prototype = true, novelty = true
    /// Novelty member weight and grid cells.
    public var noveltyWeight = 1.0, noveltyCells = 16
    /// Whether cells beyond the warm-up range grow geometrically.
    public var noveltyLogTails = true
    /// Geometric novelty tails: cells beyond `noveltyTailStart` cells from the warm-up grid's
    /// origin (and as far below the range) grow `noveltyTailRatio`-fold each (0: linear cells).
    public var noveltyTailStart = 0, noveltyTailRatio = 1.25
    /// 1 / log(noveltyTailRatio), precomputed.
    public var noveltyTailInvLog: Double { 1 / _log(noveltyTailRatio) }
    /// Longest pattern (cells) the novelty member remembers.
    public var noveltyDepth = 3
    /// Weight of seasonal-context novelty (cell unseen at this phase).
    public var noveltySeasonWeight = 0.0
    /// Share of the novelty score given to a new single cell (level novelty).
    public var noveltyLevelWeight = 0.5
    /// Whether a new cell's novelty grows with its distance to known cells.
    public var noveltyGraded = false
    /// Skew above which a non-negative series gets a log-scaled novelty grid (0: never).
    public var noveltySkew = 0.0
    /// Member weights in the raw score.
    public var robustWeight = 0.1, forestWeight = 0.1, gruWeight = 0.1, prototypeWeight = 0.1
    /// Share of the quantile rank (vs the residual) in the robust member.
    public var robustRankShare = 0.5
    /// Gated raw score: novelty × (gate + (1 - gate) × deviation evidence); 0: weighted mean.
    public var gate = 0.0
    /// Weight of a drift alarm (Page-Hinkley or ADWIN at this point) in the raw score.
    public var driftWeight = 0.0
    /// Score threshold.
    public var threshold = 0.5
    /// Points that only train.
    public var warmup = 150
    /// Fast EWMA rate.
    public var alpha = 0.05
    /// Rank window.
    public var rankWindow = 64
    /// Season length (ms, 0: none) and buckets.
    public var seasonMs: Int64 = 86_400_000, seasonBuckets = 24
    /// Prototypes per series.
    public var prototypes = 8
    /// Whether scores are calibrated by the anomaly likelihood (else the raw score is output).
    public var useLikelihood = true
    /// Penalty on chronically high raw scores (raw calibration).
    public var ratePenalty = 0.0
    /// Weight of the anomaly likelihood blended into a raw-calibrated score.
    public var likelihoodWeight = 0.0
    /// Likelihood windows.
    public var likelihoodShort = 10, likelihoodLong = 1000
    /// Suppression span and factor.
    public var suppress = 0, suppressFactor = 0.5
    /// Suppression bypass: inside the span, a point whose deviation from the last detection's
    /// baseline exceeds this many times that detection's deviation, with a raw score of at
    /// least `suppressBypassRaw`, is not damped (0: never bypass).
    public var suppressBypass = 0.0, suppressBypassRaw = 0.9
    /// Whether the suppression factor fades back to 1 across the span.
    public var suppressDecay = false
    /// Adaptive threshold: scores are divided by 1 + gain × (decaying count of recent detections).
    public var adaptiveGain = 0.0, adaptiveMemory = 2000
    /// Drift detector parameters.
    public var driftDelta = 0.002, phLambda = 50.0, phDelta = 0.5
    /// Correlation span.
    public var correlationWindowMs: Int64 = 300_000
    /// Forest shape.
    public var forestTrees = 16, forestDepth = 8, forestWindow = 250
    /// GRU learning rate.
    public var gruRate = 0.01
    /// Seed of every random choice.
    public var seed: UInt64 = 42

    /// Defaults.
    public init() {}

    /// Settings from a validated configuration.
    public init(config c: Configuration) throws {
        let members = Set(c.list("detector.members"))
        robust = members.contains("robust"); forest = members.contains("forest")
        gru = members.contains("gru"); prototype = members.contains("prototype")
        novelty = members.contains("novelty")
        noveltyWeight = c.double("detector.novelty_weight"); noveltyCells = c.int("detector.novelty_cells")
        noveltyLogTails = c.bool("detector.novelty_log_tails")
        noveltyDepth = c.int("detector.novelty_depth")
        noveltyTailStart = c.int("detector.novelty_tail_start"); noveltyTailRatio = c.double("detector.novelty_tail_ratio")
        if noveltyTailStart > 0 { noveltyTailStart = Swift.max(noveltyTailStart, noveltyCells) }
        noveltySeasonWeight = c.double("detector.novelty_season_weight")
        noveltyLevelWeight = c.double("detector.novelty_level_weight")
        noveltyGraded = c.bool("detector.novelty_graded")
        noveltySkew = c.double("detector.novelty_log_skew")
        robustWeight = c.double("detector.robust_weight"); forestWeight = c.double("detector.forest_weight")
        gruWeight = c.double("detector.gru_weight"); prototypeWeight = c.double("detector.prototype_weight")
        threshold = c.double("detector.threshold")
        robustRankShare = c.double("detector.robust_rank_share")
        gate = c.double("detector.gate")
        driftWeight = c.double("detector.drift_weight")
        warmup = c.int("detector.warmup")
        alpha = c.double("detector.alpha")
        rankWindow = c.int("detector.rank_window")
        seasonMs = Int64(c.int("detector.season_ms")); seasonBuckets = c.int("detector.season_buckets")
        prototypes = c.int("detector.prototypes")
        useLikelihood = c.string("detector.calibration") == "likelihood"
        ratePenalty = c.double("detector.rate_penalty")
        likelihoodWeight = c.double("detector.likelihood_weight")
        likelihoodShort = c.int("detector.likelihood_short"); likelihoodLong = c.int("detector.likelihood_long")
        suppress = c.int("detector.suppress"); suppressFactor = c.double("detector.suppress_factor")
        suppressDecay = c.bool("detector.suppress_decay")
        suppressBypass = c.double("detector.suppress_bypass"); suppressBypassRaw = c.double("detector.suppress_bypass_raw")
        adaptiveGain = c.double("detector.adaptive_gain"); adaptiveMemory = c.int("detector.adaptive_memory")
        driftDelta = c.double("detector.drift_delta"); phLambda = c.double("detector.ph_lambda"); phDelta = c.double("detector.ph_delta")
        correlationWindowMs = Int64(c.int("detector.correlation_window_ms"))
        forestTrees = c.int("detector.forest_trees"); forestDepth = c.int("detector.forest_depth")
        forestWindow = c.int("detector.forest_window")
        gruRate = c.double("detector.gru_rate")
        seed = UInt64(c.int("seed"))
    }
}
