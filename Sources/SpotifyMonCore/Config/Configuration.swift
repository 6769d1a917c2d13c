/// A validated set of configuration values: what `smon_config` holds.
///
/// A value type: engines copy it at creation, so later changes to a host's config object
/// never reach a running engine.
public struct Configuration: Sendable, Equatable {
    /// Values set explicitly, normalised, by key.
    public private(set) var values: [String: String] = [:]

    /// An empty configuration: every key at its default.
    public init() {}

    /// Sets `key` to `value` after validation; throws `SMONError.config` with a clear message.
    public mutating func set(_ key: String, _ value: String) throws {
        let k = try ConfigSchema.key(key)
        values[key] = try k.validate(value)
    }

    /// The value of `key` (set or default); throws for an unknown key.
    public func get(_ key: String) throws -> String {
        let k = try ConfigSchema.key(key)
        return values[key] ?? k.defaultValue
    }

    /// The value of a known key as text (the caller names a declared key).
    public func string(_ key: String) -> String {
        (try? get(key)) ?? ""
    }
    /// The value of a known integer key.
    public func int(_ key: String) -> Int { Int(string(key)) ?? 0 }
    /// The value of a known numeric key.
    public func double(_ key: String) -> Double { Double(string(key)) ?? 0 }
    /// The value of a known boolean key.
    public func bool(_ key: String) -> Bool { string(key) == "true" }
    /// The value of a known set key, as its members.
    public func list(_ key: String) -> [String] {
        string(key).split(separator: ",").map(String.init)
    }
}
