/// The kind of quantity a metric measures, guessed from its name (drives recommended actions).
public enum MetricKind: UInt8, CaseIterable, Sendable {
    case generic = 0, cpu, memory, latency, errorRate, traffic, disk

    /// Name used in config and JSON.
    public var name: String {
        switch self {
        case .generic: return "generic"
        case .cpu: return "cpu"
        case .memory: return "memory"
        case .latency: return "latency"
        case .errorRate: return "error_rate"
        case .traffic: return "traffic"
        case .disk: return "disk"
        }
    }

    /// The kind named `name`.
    public init?(name: String) {
        guard let k = MetricKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = k
    }

    /// Guesses the kind from a metric name (case-insensitive substrings).
    public static func guess(_ metric: String) -> MetricKind {
        let m = metric.lowercased()
        func has(_ words: [String]) -> Bool { words.contains { m.contains($0) } }
        if has(["error", "fail", "5xx", "exception"]) { return .errorRate }
        if has(["cpu", "load"]) { return .cpu }
        if has(["latency", "response_time", "duration", "delay", "_ms", "seconds"]) { return .latency }
        if has(["mem", "heap", "rss", "gc"]) { return .memory }
        if has(["disk", "storage", "iops", "volume", "inode", "fs_"]) { return .disk }
        if has(["request", "traffic", "throughput", "qps", "rps", "bytes", "network", "packets", "stream", "count"]) { return .traffic }
        return .generic
    }
}

/// Recommended actions keyed by metric kind × severity, with `*` wildcards; overridable.
public struct ActionTable: Sendable {
    /// Rules: (kind or nil for any, severity 1...4 or 0 for any, actions); later rules win.
    public var rules: [(kind: MetricKind?, severity: Int, actions: [String])] = []

    /// An empty table.
    public init() {}

    /// Parses `KIND:SEVERITY=action|action;...`.
    public static func parse(_ text: String) throws -> ActionTable {
        var t = ActionTable()
        for raw in text.split(separator: ";") {
            let item = String(raw).trimmingSpaces
            if item.isEmpty { continue }
            let sides = item.split(separator: "=", maxSplits: 1).map(String.init)
            let lhs = sides.first?.split(separator: ":").map { String($0).trimmingSpaces } ?? []
            guard sides.count == 2, lhs.count == 2 else {
                throw SMONError.config("detector.actions: \"\(item.prefix(80))\" is not KIND:SEVERITY=action|action")
            }
            var kind: MetricKind? = nil
            if lhs[0] != "*" {
                guard let k = MetricKind(name: lhs[0]) else {
                    throw SMONError.config("detector.actions: unknown metric kind \"\(lhs[0].prefix(40))\"")
                }
                kind = k
            }
            var sev = 0
            if lhs[1] != "*" {
                guard let s = AnomalyResult.severityNames.firstIndex(of: lhs[1]), s > 0 else {
                    throw SMONError.config("detector.actions: unknown severity \"\(lhs[1].prefix(40))\" (low, medium, high, critical, *)")
                }
                sev = s
            }
            let acts = sides[1].split(separator: "|").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            guard !acts.isEmpty else { throw SMONError.config("detector.actions: \"\(item.prefix(80))\" lists no action") }
            t.rules.append((kind, sev, acts))
        }
        return t
    }

    /// This table with `other`'s rules taking precedence.
    public func overridden(by other: ActionTable) -> ActionTable {
        var t = self
        t.rules += other.rules
        return t
    }

    /// Actions for a kind and severity (the most specific, latest rule wins).
    public func actions(kind: MetricKind, severity: Int) -> [String] {
        var best: [String] = [], bestRank = -1
        for r in rules {
            guard r.kind == nil || r.kind == kind, r.severity == 0 || r.severity == severity else { continue }
            let rank = (r.kind != nil ? 2 : 0) + (r.severity != 0 ? 1 : 0)
            if rank >= bestRank { best = r.actions; bestRank = rank }
        }
        return best
    }

    /// The built-in table.
    public static let defaults: ActionTable = {
        let text = """
        *:*=Check recent deployments and configuration changes|Compare with correlated series;\
        *:critical=Page the on-call engineer|Open an incident;\
        *:high=Notify the owning team;\
        cpu:*=Check the top CPU consumers|Look for runaway loops or GC pressure;\
        cpu:high=Scale out the service|Check the top CPU consumers;\
        cpu:critical=Scale out immediately|Throttle non-critical batch work|Page the on-call engineer;\
        memory:*=Check for memory leaks (heap growth per release)|Inspect GC activity;\
        memory:critical=Restart the leaking instances in rotation|Page the on-call engineer;\
        latency:*=Check downstream dependencies and database query times|Inspect slow traces;\
        latency:critical=Fail over or shed load|Page the on-call engineer;\
        error_rate:*=Inspect recent error logs|Check the latest deployment;\
        error_rate:high=Consider rolling back the latest deployment|Inspect recent error logs;\
        error_rate:critical=Roll back the latest deployment|Page the on-call engineer;\
        traffic:*=Verify upstream traffic sources and rate limits|Check for bot or retry storms;\
        traffic:critical=Enable rate limiting|Scale out the edge|Page the on-call engineer;\
        disk:*=Check disk usage growth and log rotation;\
        disk:critical=Free or extend the volume now|Page the on-call engineer
        """
        return (try? parse(text)) ?? ActionTable()
    }()
}
