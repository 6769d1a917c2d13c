/// Why an alert was suppressed.
public enum SuppressionReason: Int32, Sendable, CaseIterable {
    /// Not suppressed.
    case none = 0
    /// Its group (incident) already has a surfaced alert at least as urgent (a more urgent alert
    /// re-pages only up to `classifier.repage_priority`).
    case duplicate = 1
    /// The model rates it a likely false positive.
    case likelyFalsePositive = 2
    /// Its fingerprint keeps firing and resolving.
    case flapping = 3
    /// Inside a maintenance window of its service (or labelled `maintenance=true`).
    case maintenance = 4
    /// Inside a deployment window of its service, and of low priority.
    case deployment = 5
    /// A resolved notification (it updates the alert's history; nothing to page).
    case resolved = 6

    /// The name used in JSON.
    public var name: String {
        switch self {
        case .none: return "none"
        case .duplicate: return "duplicate"
        case .likelyFalsePositive: return "likely_false_positive"
        case .flapping: return "flapping"
        case .maintenance: return "maintenance_window"
        case .deployment: return "deployment_window"
        case .resolved: return "resolved"
        }
    }

    /// A sentence for explanations.
    public var explanation: String {
        switch self {
        case .none: return "surfaced"
        case .duplicate: return "duplicate of an alert already surfaced in the same open group (incident)"
        case .likelyFalsePositive: return "likely false positive (probability above classifier.fp_suppress_threshold)"
        case .flapping: return "flapping: the fingerprint keeps firing and resolving"
        case .maintenance: return "inside a maintenance window of the service"
        case .deployment: return "low-priority alert during a deployment of the service"
        case .resolved: return "resolved notification: history updated, nothing to page"
        }
    }
}

/// Everything `classify` decides about one alert.
public struct AlertResult: Sendable, Equatable {
    /// Class index (see `AlertClassifier.className`).
    public var alertClass = 0
    /// Priority 1 (P1, most urgent) ... 4.
    public var priority = 4
    /// Priority score in [0, 1] (higher: more urgent).
    public var priorityScore = 0.0
    /// Confidence of the class, in [0, 1].
    public var confidence = 0.0
    /// Team index (see `AlertClassifier.teamName`).
    public var team = 0
    /// Probability that the alert is a false positive.
    public var falsePositiveProbability = 0.0
    /// Group (incident) id, ≥ 1.
    public var groupId: UInt64 = 0
    /// Whether the group was opened by this alert.
    public var newGroup = false
    /// Suppressed or surfaced.
    public var suppressed = false
    /// Why (`.none` when surfaced).
    public var reason = SuppressionReason.none
    /// Surfaced although its group had already surfaced an alert rated real, because its own
    /// words confidently name a root cause (`classifier.new_root_confidence`) and its service or
    /// that cause is new to the group's surfaced real alerts: likely another incident merged
    /// into the group.
    public var newRootInGroup = false
    /// Surfaced although it would fold as a duplicate, because every alert of its group had
    /// resolved before it fired (the group's incident was over; it is rated real): a new
    /// episode, as an incident tool reopens on a trigger after resolution.
    public var refiredAfterResolve = false
    /// Surfaced although it would fold as a duplicate, because it is more urgent than every
    /// alert its group surfaced at its own service (`classifier.repage_per_service`; it is
    /// rated real): that service got worse than what was paged for it.
    public var repagedAtService = false
    /// Business impact category and weight.
    public var impact = ImpactCategory.operational
    /// Impact weight in [0, 1].
    public var impactWeight = 0.5
    /// SLA: acknowledge / resolve deadlines, ms since the epoch.
    public var ackDeadlineMs: Int64 = 0, resolveDeadlineMs: Int64 = 0
    /// SLA: the team's learned response time makes the acknowledge target unlikely.
    public var slaAtRisk = false
    /// Escalation timing: minutes after the alert at which levels 2 and 3 are paged.
    public var escalateLevel2Minutes = 0.0, escalateLevel3Minutes = 0.0
    /// Escalation levels in the path (2 or 3).
    public var escalationLevels = 3
    /// The timestamp used, ms.
    public var timestampMs: Int64 = 0
    /// Context flags: peak hours, deployment in progress, maintenance window, business event.
    public var peak = false, deployment = false, maintenance = false, businessEvent = false

    /// An empty result.
    public init() {}
}

/// SLA counters per priority.
public struct SLACounters: Sendable, Equatable {
    /// Alerts classified at this priority (firing ones).
    public var alerts: UInt64 = 0
    /// Surfaced.
    public var surfaced: UInt64 = 0
    /// Surfaced and at risk of missing the acknowledge target.
    public var atRisk: UInt64 = 0
    /// Feedback with a time to acknowledge / resolve.
    public var ackReports: UInt64 = 0, resolveReports: UInt64 = 0
    /// Of those, over target.
    public var ackBreaches: UInt64 = 0, resolveBreaches: UInt64 = 0
    /// An empty counter set.
    public init() {}
}

extension SLACounters: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        for v in [alerts, surfaced, atRisk, ackReports, resolveReports, ackBreaches, resolveBreaches] { w.write(v) }
    }
    public init(from r: inout SnapshotReader) throws {
        alerts = try r.read(); surfaced = try r.read(); atRisk = try r.read(); ackReports = try r.read()
        resolveReports = try r.read(); ackBreaches = try r.read(); resolveBreaches = try r.read()
    }
}

/// Names interned to small indices (classes, teams), fixed capacity; lookups compare hashes
/// of the caller's bytes, so a known name costs no allocation.
public struct LabelTable: Sendable, Equatable {
    /// Names in index order.
    public private(set) var names: [String] = []
    var hashes: [UInt64] = []
    /// Most names.
    public let capacity: Int

    /// An empty table.
    public init(capacity: Int) { self.capacity = capacity }

    /// The index of a name given as bytes, if known.
    public func find(_ b: UnsafeRawBufferPointer) -> Int? {
        let h = FNV1a.hash(b)
        for i in 0..<hashes.count where hashes[i] == h { return i }
        return nil
    }

    /// The index of a name, adding it when there is room (nil when full or empty).
    public mutating func intern(_ b: UnsafeRawBufferPointer) -> Int? {
        guard b.count > 0 else { return nil }
        if let i = find(b) { return i }
        guard names.count < capacity else { return nil }
        names.append(String(decoding: b.prefix(128), as: UTF8.self))
        hashes.append(FNV1a.hash(b))
        return names.count - 1
    }

    /// `intern` for a String.
    @discardableResult
    public mutating func intern(_ s: String) -> Int? {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Number of names.
    public var count: Int { names.count }

    func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(names.count))
        for n in names { w.write(n) }
        w.write(hashes)
    }

    mutating func decode(from r: inout SnapshotReader) throws {
        let n = try r.readCount()
        guard n <= capacity else { throw SMONError.corrupt("snapshot has more labels than the configured capacity") }
        var ns: [String] = []
        for _ in 0..<n { ns.append(try r.read()) }
        let hs: [UInt64] = try r.read()
        guard hs.count == n else { throw SMONError.corrupt("snapshot label table inconsistent") }
        names = ns; hashes = hs
    }
}
