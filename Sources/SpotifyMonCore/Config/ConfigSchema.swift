/// Every configuration key the library knows, gathered from each engine's declarations.
public enum ConfigSchema {
    /// All keys, by name.
    public static let keys: [String: ConfigKey] = {
        var all: [String: ConfigKey] = [:]
        for k in CoreConfigKeys.all + BusinessContext.configKeys + AnomalyConfigKeys.all
            + AlertConfigKeys.all + ForecastConfigKeys.all + ClusterConfigKeys.all {
            precondition(all[k.name] == nil, "duplicate config key \(k.name)")
            all[k.name] = k
        }
        return all
    }()

    /// The key named `name`, or a `config` error naming the closest known keys.
    public static func key(_ name: String) throws -> ConfigKey {
        if let k = keys[name] { return k }
        let prefix = name.split(separator: ".").first.map(String.init) ?? ""
        let near = keys.keys.filter { $0.hasPrefix(prefix + ".") }.sorted().prefix(6)
        let hint = near.isEmpty ? "" : " (keys under \(prefix).: \(near.joined(separator: ", "))\(near.count == 6 ? ", ..." : ""))"
        throw SMONError.config("unknown config key \"\(name.prefix(100))\"\(hint)")
    }
}

/// Keys shared by every engine.
public enum CoreConfigKeys {
    /// The declarations.
    public static let all: [ConfigKey] = [
        ConfigKey("series.max", .int(1...100_000_000), default: "4000000",
                  "Most series one engine handle will intern; further keys fail with SMON_CAPACITY."),
        ConfigKey("threads.shards", .int(1...4096), default: "64",
                  "Lock shards for per-series state; more shards, less contention between host threads."),
        ConfigKey("seed", .int(0...Int.max), default: "42",
                  "Seed of every random choice (forests, initialisations): same seed, same results."),
    ]
}
