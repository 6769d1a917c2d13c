/// Configuration keys of the alert classifier (prefix classifier.).
public enum AlertConfigKeys {
    /// The declarations.
    public static let all: [ConfigKey] = []
}
