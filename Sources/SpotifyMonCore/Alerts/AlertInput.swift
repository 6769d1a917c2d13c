/// One alert as the classifier reads it: non-owning views of UTF-8 bytes plus numbers.
///
/// The C hot path builds this straight over the caller's strings (no copy, no allocation);
/// the JSON and Swift paths build it over an `AlertRecord`'s storage. Empty views mean
/// "missing". Bytes need not be valid UTF-8: text is hashed as bytes.
public struct AlertView {
    /// The alert's id (echoed in outputs).
    public var alertId = UnsafeRawBufferPointer(start: nil, count: 0)
    /// When it fired (or resolved), ms since the epoch; ≤ 0 means "now in the stream"
    /// (the newest timestamp the classifier has seen).
    public var timestampMs: Int64 = 0
    /// Where it came from (prometheus, datadog, synthetic-probe, ...).
    public var sourceSystem = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The metric or alert rule name.
    public var metricName = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Free text.
    public var message = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The source's own severity word (critical, high, warning, low, info, ...).
    public var severityRaw = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The service it concerns.
    public var serviceName = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Labels as `key=value,key=value` (topology: `depends_on=a|b`; ownership: `team=x` or `owner=x`;
    /// maintenance: `maintenance=true`).
    public var labels = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The source's fingerprint; empty: derived from metric, service and labels.
    public var fingerprint = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The observed value (NaN: unknown).
    public var currentValue: Double = .nan
    /// The threshold it violated (NaN: unknown).
    public var threshold: Double = .nan
    /// True for a "resolved" notification of an earlier alert.
    public var resolved = false

    /// An empty alert.
    public init() {}
}

/// What an operator learned about an alert after the fact (the `learn` call's feedback).
/// Unknown parts are left empty / NaN / nil.
public struct AlertFeedbackView {
    /// The true root-cause class (empty: unknown).
    public var trueClass = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The team that resolved it (empty: unknown).
    public var team = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Whether it was a false positive (nil: unknown).
    public var falsePositive: Bool?
    /// The true priority 1...4 (0: unknown).
    public var priority = 0
    /// Seconds until acknowledged (NaN: unknown).
    public var timeToAckSeconds: Double = .nan
    /// Seconds until resolved (NaN: unknown).
    public var timeToResolveSeconds: Double = .nan

    /// Empty feedback.
    public init() {}
}

/// An alert with owned storage (the JSON / CLI / Swift path). `withView` lends an
/// `AlertView` over it.
public struct AlertRecord: Sendable {
    /// Alert id.
    public var alertId = ""
    /// Timestamp, ms since the epoch (≤ 0: now in the stream).
    public var timestampMs: Int64 = 0
    /// Source system.
    public var sourceSystem = ""
    /// Metric / rule name.
    public var metricName = ""
    /// Message text.
    public var message = ""
    /// Raw severity word.
    public var severityRaw = ""
    /// Service.
    public var serviceName = ""
    /// Labels, in order.
    public var labels: [(String, String)] = []
    /// Fingerprint (empty: derived).
    public var fingerprint = ""
    /// Observed value (NaN: unknown).
    public var currentValue: Double = .nan
    /// Threshold (NaN: unknown).
    public var threshold: Double = .nan
    /// A resolved notification.
    public var resolved = false

    /// Feedback carried on the same line (label_* fields), if any.
    public var feedback = AlertFeedback()
    /// The true incident id, when the input carries one (evaluation only; never used to classify).
    public var incidentId: String?

    /// An empty record.
    public init() {}

    /// Labels in the `key=value,key=value` form (commas and `=` inside keys/values become spaces).
    public var labelText: String {
        var s = ""
        for (k, v) in labels {
            if !s.isEmpty { s += "," }
            s += Self.clean(k, alsoEquals: true) + "=" + Self.clean(v, alsoEquals: false)
        }
        return s
    }

    static func clean(_ s: String, alsoEquals: Bool) -> String {
        if !s.utf8.contains(where: { $0 == 0x2C || (alsoEquals && $0 == 0x3D) }) { return s }
        return String(s.map { $0 == "," || (alsoEquals && $0 == "=") ? " " : $0 })
    }

    /// Calls `body` with a view over this record's bytes.
    public func withView<T>(_ body: (AlertView) throws -> T) rethrows -> T {
        let parts = [alertId, sourceSystem, metricName, message, severityRaw, serviceName, labelText, fingerprint]
        var storage: [UInt8] = []
        var ranges: [Range<Int>] = []
        for p in parts {
            let start = storage.count
            storage.append(contentsOf: p.utf8)
            ranges.append(start..<storage.count)
        }
        storage.append(0)
        return try storage.withUnsafeBytes { raw in
            func slice(_ i: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: raw[ranges[i]]) }
            var v = AlertView()
            v.alertId = slice(0); v.sourceSystem = slice(1); v.metricName = slice(2); v.message = slice(3)
            v.severityRaw = slice(4); v.serviceName = slice(5); v.labels = slice(6); v.fingerprint = slice(7)
            v.timestampMs = timestampMs; v.currentValue = currentValue; v.threshold = threshold; v.resolved = resolved
            return try body(v)
        }
    }
}

/// Owned feedback (Swift / JSON path); `withView` lends an `AlertFeedbackView`.
public struct AlertFeedback: Sendable, Equatable {
    /// True class (nil: unknown).
    public var trueClass: String?
    /// Resolving team (nil: unknown).
    public var team: String?
    /// False positive (nil: unknown).
    public var falsePositive: Bool?
    /// Priority 1...4 (nil: unknown).
    public var priority: Int?
    /// Seconds to acknowledge (nil: unknown).
    public var timeToAckSeconds: Double?
    /// Seconds to resolve (nil: unknown).
    public var timeToResolveSeconds: Double?

    /// Empty feedback.
    public init(trueClass: String? = nil, team: String? = nil, falsePositive: Bool? = nil, priority: Int? = nil,
                timeToAckSeconds: Double? = nil, timeToResolveSeconds: Double? = nil) {
        self.trueClass = trueClass; self.team = team; self.falsePositive = falsePositive; self.priority = priority
        self.timeToAckSeconds = timeToAckSeconds; self.timeToResolveSeconds = timeToResolveSeconds
    }

    /// Whether it carries anything to learn.
    public var isEmpty: Bool {
        trueClass == nil && team == nil && falsePositive == nil && priority == nil
            && timeToAckSeconds == nil && timeToResolveSeconds == nil
    }

    /// Calls `body` with a view over this feedback.
    public func withView<T>(_ body: (AlertFeedbackView) throws -> T) rethrows -> T {
        let c = Array((trueClass ?? "").utf8), t = Array((team ?? "").utf8)
        return try c.withUnsafeBytes { cb in
            try t.withUnsafeBytes { tb in
                var v = AlertFeedbackView()
                v.trueClass = cb; v.team = tb; v.falsePositive = falsePositive
                v.priority = priority.map { (1...4).contains($0) ? $0 : 0 } ?? 0
                v.timeToAckSeconds = timeToAckSeconds ?? .nan
                v.timeToResolveSeconds = timeToResolveSeconds ?? .nan
                return try body(v)
            }
        }
    }
}
