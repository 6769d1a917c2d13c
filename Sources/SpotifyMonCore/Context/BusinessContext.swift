/// The business rules every engine consults: peak hours, deployment windows and the impact
/// table (the seed's `business_rules`).
///
/// Rules come from configuration; deployments are also announced at run time
/// (`addDeployment`). Thread-safe: rules are immutable, the deployment list has a lock.
public final class BusinessContext: @unchecked Sendable {
    /// Peak hours `[start, end)` in local hours 0...24 (start > end wraps past midnight).
    public let peakStart: Int, peakEnd: Int
    /// Sensitivity multiplier during peak hours (the seed's `sensitivity_multiplier`).
    public let peakMultiplier: Double
    /// Local time = UTC + this many minutes.
    public let utcOffsetMinutes: Int
    /// During a deployment, monitoring sensitivity is multiplied by this (seed: `monitoring_increase`).
    public let deploymentMonitoringIncrease: Double
    /// During a deployment, alert thresholds are multiplied by this (seed: `alert_threshold_reduction`).
    public let deploymentThresholdFactor: Double
    /// The impact table, first match wins.
    public let impactRules: [ImpactRule]

    private let lock = Lock()
    private var deployments: [Deployment] = []

    /// A deployment window of a service (`"*"`: every service).
    public struct Deployment: Sendable, Equatable, SnapshotCodable {
        /// The service deployed, or `*`.
        public var service: String
        /// Start, ms since the epoch.
        public var startMs: Int64
        /// End, ms since the epoch.
        public var endMs: Int64

        /// Appends the window.
        public func encode(to w: inout SnapshotWriter) { w.write(service); w.write(startMs); w.write(endMs) }

        /// Reads a window written by `encode`.
        public init(from r: inout SnapshotReader) throws {
            service = try r.read(); startMs = try r.read(); endMs = try r.read()
        }

        /// A window.
        public init(service: String, startMs: Int64, endMs: Int64) {
            self.service = service; self.startMs = startMs; self.endMs = endMs
        }
    }

    /// The configuration keys of the business context.
    public static let configKeys: [ConfigKey] = [
        ConfigKey("context.peak_hours", .text { try parsePeak($0) }, default: "18-22",
                  "Peak hours START-END in local hours (e.g. 18-22; 22-2 wraps), or \"none\"."),
        ConfigKey("context.peak_multiplier", .double(0.1...10), default: "1.5",
                  "Sensitivity multiplier during peak hours."),
        ConfigKey("context.utc_offset_minutes", .int(-24 * 60...24 * 60), default: "0",
                  "Local time offset from UTC, in minutes, for peak hours."),
        ConfigKey("context.deployment_monitoring_increase", .double(1...10), default: "2.0",
                  "Sensitivity multiplier for series of a service during its deployment window."),
        ConfigKey("context.deployment_threshold_factor", .double(0.1...1), default: "0.8",
                  "Alert threshold factor during a deployment window (below 1: alerts fire earlier)."),
        ConfigKey("context.impact_rules", .text { _ = try ImpactRule.parseTable($0) }, default: defaultImpactRules,
                  "Impact table: PATTERN=CATEGORY[:WEIGHT];... over metric names or TAG:PATTERN; first match wins."),
        ConfigKey("context.deployments", .text { _ = try parseDeployments($0) }, default: "",
                  "Known deployment windows SERVICE@START_MS-END_MS;... (more can be announced at run time)."),
    ]

    /// The default impact table.
    public static let defaultImpactRules =
        "*payment*=revenue:1.0;*checkout*=revenue:1.0;*billing*=revenue:0.9;*subscription*=revenue:0.9;"
        + "*order*=revenue:0.8;*ad_*=revenue:0.7;*revenue*=revenue:1.0;"
        + "*auth*=security:0.9;*login*=security:0.8;*security*=security:1.0;*fraud*=security:1.0;*intrusion*=security:1.0;"
        + "*latency*=user_experience:0.8;*response_time*=user_experience:0.8;*error*=user_experience:0.8;"
        + "*playback*=user_experience:0.9;*stream*=user_experience:0.8;*buffer*=user_experience:0.7;*audio*=user_experience:0.7;"
        + "*=operational:0.5"

    static func parsePeak(_ s: String) throws {
        _ = try peakBounds(s)
    }

    static func peakBounds(_ s: String) throws -> (Int, Int) {
        if s == "none" || s.isEmpty { return (0, 0) }
        let p = s.split(separator: "-").map { Int(String($0).trimmingSpaces) }
        guard p.count == 2, let a = p[0], let b = p[1], (0...24).contains(a), (0...24).contains(b) else {
            throw SMONError.config("context.peak_hours: \"\(s)\" is not START-END with hours in 0...24, or none")
        }
        return (a, b)
    }

    static func parseDeployments(_ s: String) throws -> [Deployment] {
        var out: [Deployment] = []
        for raw in s.split(separator: ";") {
            let item = String(raw).trimmingSpaces
            if item.isEmpty { continue }
            let at = item.split(separator: "@", maxSplits: 1).map(String.init)
            let range = at.count == 2 ? at[1].split(separator: "-").map { Int64(String($0)) } : []
            guard at.count == 2, !at[0].isEmpty, range.count == 2, let a = range[0], let b = range[1], a <= b else {
                throw SMONError.config("context.deployments: \"\(item)\" is not SERVICE@START_MS-END_MS")
            }
            out.append(Deployment(service: at[0], startMs: a, endMs: b))
        }
        return out
    }

    /// The context a configuration describes (the configuration was validated on `set`).
    public init(config: Configuration) {
        (peakStart, peakEnd) = (try? Self.peakBounds(config.string("context.peak_hours"))) ?? (0, 0)
        peakMultiplier = config.double("context.peak_multiplier")
        utcOffsetMinutes = config.int("context.utc_offset_minutes")
        deploymentMonitoringIncrease = config.double("context.deployment_monitoring_increase")
        deploymentThresholdFactor = config.double("context.deployment_threshold_factor")
        impactRules = (try? ImpactRule.parseTable(config.string("context.impact_rules"))) ?? []
        deployments = (try? Self.parseDeployments(config.string("context.deployments"))) ?? []
    }

    /// The local hour of day (0...23) of a UTC timestamp in ms.
    public func localHour(_ tsMs: Int64) -> Int {
        let minutes = tsMs / 60_000 + Int64(utcOffsetMinutes)
        let m = ((minutes % 1440) + 1440) % 1440
        return Int(m / 60)
    }

    /// The local day of week (0 = Monday ... 6 = Sunday) of a UTC timestamp in ms.
    public func localWeekday(_ tsMs: Int64) -> Int {
        let minutes = tsMs / 60_000 + Int64(utcOffsetMinutes)
        let days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        return Int(((days + 3) % 7 + 7) % 7) // 1970-01-01 was a Thursday (3 with Monday = 0)
    }

    /// Whether `tsMs` falls in peak hours.
    public func isPeak(_ tsMs: Int64) -> Bool {
        if peakStart == peakEnd { return false }
        let h = localHour(tsMs)
        return peakStart < peakEnd ? (h >= peakStart && h < peakEnd) : (h >= peakStart || h < peakEnd)
    }

    /// Announces a deployment window. Windows that ended more than a day before the newest
    /// start are dropped, so the list stays short.
    public func addDeployment(_ d: Deployment) {
        lock.withLock {
            deployments.append(d)
            let horizon = d.startMs.subtractingReportingOverflow(86_400_000).overflow ? Int64.min : d.startMs - 86_400_000
            deployments.removeAll { $0.endMs < horizon }
        }
    }

    /// The deployment windows known now.
    public var allDeployments: [Deployment] { lock.withLock { deployments } }

    /// Replaces the deployment windows (a restored snapshot's).
    public func setDeployments(_ d: [Deployment]) { lock.withLock { deployments = d } }

    /// Whether `service` (nil: any) is inside a deployment window at `tsMs`.
    public func inDeployment(service: String?, at tsMs: Int64) -> Bool {
        lock.withLock {
            deployments.contains { d in
                tsMs >= d.startMs && tsMs <= d.endMs && (d.service == "*" || service == nil || d.service == service)
            }
        }
    }

    /// The sensitivity multiplier at `tsMs` for `service`: peak multiplier × deployment increase.
    public func sensitivity(service: String?, at tsMs: Int64) -> Double {
        var m = isPeak(tsMs) ? peakMultiplier : 1
        if inDeployment(service: service, at: tsMs) { m *= deploymentMonitoringIncrease }
        return m
    }

    /// The impact category and weight of a series, from the first matching rule
    /// (operational, 0.5 when none matches).
    public func impact(metric: String, tags: [(name: String, value: String)]) -> (category: ImpactCategory, weight: Double) {
        let lower = metric.lowercased()
        for r in impactRules where r.matches(lowercasedMetric: lower, tags: tags) { return (r.category, r.weight) }
        return (.operational, 0.5)
    }
}
