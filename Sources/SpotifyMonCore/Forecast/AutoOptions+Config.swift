extension AutoOptions {
    /// The options a configuration sets (`forecaster.*` keys).
    public init(config: Configuration) {
        self.init()
        season = config.int("forecaster.season")
        longSeason = config.int("forecaster.long_season")
        validationHorizon = Swift.max(1, config.int("forecaster.validation_horizon"))
        validationWindow = config.int("forecaster.validation_window")
        selectionWindow = config.int("forecaster.selection_window")
        intervalScale = config.double("forecaster.interval_scale")
        ensembleTolerance = config.double("forecaster.ensemble_tolerance")
        ensembleSize = Swift.max(1, config.int("forecaster.ensemble_size"))
        switch config.string("forecaster.combination") {
        case "median": combination = .median
        case "weighted": combination = .weighted
        default: combination = .mean
        }
        refitFinal = config.bool("forecaster.refit_final")
        levelNaive = config.bool("forecaster.level_naive")
        mstlLevelOnly = config.bool("forecaster.mstl_level_only")
        seasonalETS = config.bool("forecaster.seasonal_ets")
        seasonalETSBoth = config.bool("forecaster.seasonal_ets_aicc")
        member.profileCycles = Swift.max(1, config.int("forecaster.profile_cycles"))
        member.profileDecay = config.double("forecaster.profile_decay")
        member.longShrink = config.double("forecaster.long_season_shrink")
        member.fitWindow = config.int("forecaster.fit_window")
        member.maxEvaluations = Swift.max(10, config.int("forecaster.max_evaluations"))
    }
}
