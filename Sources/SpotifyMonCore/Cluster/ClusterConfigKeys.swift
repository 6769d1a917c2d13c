/// Configuration keys of the clusterer (prefix cluster.).
public enum ClusterConfigKeys {
    /// The declarations.
    public static let all: [ConfigKey] = []
}
