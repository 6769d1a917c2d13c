/// Turns JSON inputs into `AlertRecord`s: the seed's AlertFeatures objects (one per JSONL
/// line, or an array of them) and Prometheus Alertmanager webhook payloads (version 4), and
/// recognises the stream's window announcements (`WindowAnnouncement`).
/// Missing or null fields get defaults; wrong types are ignored like missing ones.
public enum AlertDecoding {
    /// One item of a JSON input: an alert, or a window announcement.
    public enum Item {
        /// An alert to classify (or learn from).
        case alert(AlertRecord)
        /// A deployment or maintenance window to announce (no alert).
        case window(WindowAnnouncement)
    }

    /// The items a JSON document holds, in order: an AlertFeatures object, a window
    /// announcement, an array of these, or an Alertmanager webhook payload (recognised by its
    /// `alerts` array).
    public static func items(from json: JSONValue) throws -> [Item] {
        switch json {
        case .array(let items):
            return try items.flatMap { try self.items(from: $0) }
        case .object:
            if let w = try WindowAnnouncement(json) { return [.window(w)] }
            if case .array(let alerts)? = json["alerts"] { return try alertmanager(json, alerts).map { .alert($0) } }
            return [.alert(try record(json))]
        default:
            throw SMONError.invalidArgument("an alert must be a JSON object, an array of objects, or an Alertmanager payload")
        }
    }

    /// The alerts a JSON document holds (`items`, window announcements left out).
    public static func records(from json: JSONValue) throws -> [AlertRecord] {
        try items(from: json).compactMap { if case .alert(let r) = $0 { r } else { nil } }
    }

    /// Parses a JSON text into records.
    public static func records(fromText text: String) throws -> [AlertRecord] {
        try records(from: try JSONValue.parse(text))
    }

    /// A timestamp field: ISO 8601 / `YYYY-MM-DD HH:MM:SS` text, or a number of epoch
    /// seconds (below 1e11) or milliseconds.
    static func timestamp(_ v: JSONValue?) -> Int64 {
        guard let v else { return 0 }
        switch v {
        case .number(let x):
            guard x.isFinite, abs(x) < 1e15 else { return 0 }
            return abs(x) < 1e11 ? Int64(x * 1000) : Int64(x)
        case .string(let s):
            if let x = Double(s), x.isFinite, abs(x) < 1e15 { return abs(x) < 1e11 ? Int64(x * 1000) : Int64(x) }
            return Timestamp.parseMillis(s) ?? 0
        default: return 0
        }
    }

    static func number(_ v: JSONValue?) -> Double {
        guard let x = v?.double, x.isFinite else { return .nan }
        return x
    }

    static func priority(_ v: JSONValue?) -> Int? {
        guard let v else { return nil }
        if let t = v.text {
            let s = t.uppercased().hasPrefix("P") ? String(t.dropFirst()) : t
            if let p = Int(s), (1...4).contains(p) { return p }
            switch t.lowercased() {
            case "critical": return 1
            case "high": return 2
            case "medium": return 3
            case "low": return 4
            default: return nil
            }
        }
        return nil
    }

    static func labels(_ v: JSONValue?) -> [(String, String)] {
        guard case .object(let members)? = v else { return [] }
        return members.compactMap { k, v in v.text.map { (k, $0) } }
    }

    /// One AlertFeatures object (with optional truth fields `label_*`, `incident_id`, and
    /// feedback fields `time_to_ack_s`, `time_to_resolve_s`).
    public static func record(_ o: JSONValue) throws -> AlertRecord {
        guard case .object = o else { throw SMONError.invalidArgument("an alert must be a JSON object") }
        var r = AlertRecord()
        r.alertId = o["alert_id"]?.text ?? ""
        r.timestampMs = timestamp(o["timestamp"])
        r.sourceSystem = o["source_system"]?.text ?? ""
        r.metricName = o["metric_name"]?.text ?? ""
        r.message = o["alert_message"]?.text ?? o["message"]?.text ?? ""
        r.severityRaw = o["severity_raw"]?.text ?? o["severity"]?.text ?? ""
        r.serviceName = o["service_name"]?.text ?? ""
        r.labels = labels(o["labels"])
        r.fingerprint = o["fingerprint"]?.text ?? ""
        r.currentValue = number(o["current_value"])
        r.threshold = number(o["threshold_violated"] ?? o["threshold"])
        r.resolved = (o["status"]?.text?.lowercased() == "resolved")
        var f = AlertFeedback()
        f.trueClass = o["label_class"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        f.team = o["label_team"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        f.falsePositive = o["label_false_positive"]?.bool
        f.priority = priority(o["label_priority"])
        let ack = number(o["time_to_ack_s"]), res = number(o["time_to_resolve_s"])
        f.timeToAckSeconds = ack.isNaN || ack < 0 ? nil : ack
        f.timeToResolveSeconds = res.isNaN || res < 0 ? nil : res
        r.feedback = f
        r.incidentId = o["incident_id"]?.text
        return r
    }

    /// The alerts of an Alertmanager webhook payload (version 4).
    static func alertmanager(_ payload: JSONValue, _ alerts: [JSONValue]) throws -> [AlertRecord] {
        let groupStatus = payload["status"]?.text ?? "firing"
        return alerts.compactMap { a -> AlertRecord? in
            guard case .object = a else { return nil }
            var r = AlertRecord()
            let labels = labels(a["labels"])
            let lab = { (k: String) in labels.first { $0.0 == k }?.1 }
            let ann = a["annotations"]
            let status = a["status"]?.text ?? groupStatus
            r.resolved = status.lowercased() == "resolved"
            r.fingerprint = a["fingerprint"]?.text ?? ""
            r.timestampMs = timestamp(r.resolved ? (a["endsAt"] ?? a["startsAt"]) : a["startsAt"])
            r.alertId = r.fingerprint.isEmpty ? "" : r.fingerprint + "@" + String(timestamp(a["startsAt"]))
            r.sourceSystem = lab("job").map { "alertmanager/" + $0 } ?? "alertmanager"
            r.metricName = lab("alertname") ?? ""
            let summary = ann?["summary"]?.text ?? ""
            let desc = ann?["description"]?.text ?? ann?["message"]?.text ?? ""
            r.message = summary.isEmpty ? desc : (desc.isEmpty ? summary : summary + " " + desc)
            r.severityRaw = lab("severity") ?? ""
            r.serviceName = lab("service") ?? lab("app") ?? lab("job") ?? ""
            r.labels = labels
            r.currentValue = number(ann?["value"])
            r.threshold = number(ann?["threshold"])
            return r
        }
    }
}

/// A window announcement of the alert stream: `{"type": "deployment" | "maintenance",
/// "service": NAME (absent or "*": every service), "start_ms": MS, "end_ms": MS}`.
public struct WindowAnnouncement: Equatable, Sendable {
    /// Which window.
    public enum Kind: Sendable { case deployment, maintenance }
    /// Deployment or maintenance.
    public var kind: Kind
    /// The service ("*": every service).
    public var service: String
    /// The window, ms since the epoch.
    public var startMs: Int64, endMs: Int64

    /// A window of `kind` at `service` from `startMs` to `endMs`.
    public init(kind: Kind, service: String, startMs: Int64, endMs: Int64) {
        self.kind = kind; self.service = service; self.startMs = startMs; self.endMs = endMs
    }

    /// The announcement `json` holds; nil when it is not one (no `type` of "deployment" or
    /// "maintenance"); an error when it is one with bad times.
    public init?(_ json: JSONValue) throws {
        guard let type = json["type"]?.text, type == "deployment" || type == "maintenance" else { return nil }
        let lim = Double(AlertClassifier.maxTimestampMs)
        guard let a = json["start_ms"]?.double, let b = json["end_ms"]?.double, a.isFinite, b.isFinite,
              abs(a) <= lim, abs(b) <= lim, a <= b else {
            throw SMONError.invalidArgument("a window needs numeric start_ms <= end_ms")
        }
        kind = type == "deployment" ? .deployment : .maintenance
        service = json["service"]?.text ?? "*"
        startMs = Int64(a); endMs = Int64(b)
    }
}
