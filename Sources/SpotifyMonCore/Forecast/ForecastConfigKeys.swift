/// Configuration keys of the forecaster (prefix forecast.).
public enum ForecastConfigKeys {
    /// The declarations.
    public static let all: [ConfigKey] = []
}
