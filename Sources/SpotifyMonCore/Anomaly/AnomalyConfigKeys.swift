/// Configuration keys of the anomaly detector (prefix detector.).
public enum AnomalyConfigKeys {
    /// The declarations.
    public static let all: [ConfigKey] = []
}
