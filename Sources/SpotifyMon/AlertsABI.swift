import CSpotifyMon
import SpotifyMonCore
#if canImport(Glibc)
import Glibc
#endif

/// The live classifier handles.
let classifiers = HandleTable<AlertClassifier>("smon_classifier")

/// The most alerts one batch call takes.
let maxAlertBatch = 1 << 26

/// A bounded view of an optional C string: at most `limit` bytes are looked at (the rest of a
/// longer string is ignored), no copy.
@inline(__always)
func view(_ p: UnsafePointer<CChar>?, limit: Int) -> UnsafeRawBufferPointer {
    guard let p else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: p, count: strnlen(p, limit))
}

/// An `AlertView` over a C alert (no allocation).
@inline(__always)
func alertView(_ a: smon_alert, textLimit: Int, withId: Bool = false) -> AlertView {
    var v = AlertView()
    if withId { v.alertId = view(a.alert_id, limit: 256) } // only explanations echo it
    v.timestampMs = a.timestamp_ms
    v.sourceSystem = view(a.source_system, limit: 256)
    v.metricName = view(a.metric_name, limit: 256)
    v.message = view(a.alert_message, limit: textLimit)
    v.severityRaw = view(a.severity_raw, limit: 64)
    v.serviceName = view(a.service_name, limit: 256)
    v.labels = view(a.labels, limit: 8192)
    v.fingerprint = view(a.fingerprint, limit: 256)
    v.currentValue = a.current_value
    v.threshold = a.threshold_violated
    v.resolved = a.resolved != 0
    return v
}

/// An `AlertFeedbackView` over C feedback, validated.
@inline(__always)
func feedbackView(_ f: smon_alert_feedback) throws -> AlertFeedbackView {
    guard (-1...1).contains(f.false_positive) else {
        throw ABIFailure(status: .invalidArgument, message: "feedback.false_positive is \(f.false_positive), not -1, 0 or 1")
    }
    guard (0...4).contains(f.priority) else {
        throw ABIFailure(status: .invalidArgument, message: "feedback.priority is \(f.priority), not 0 (unknown) or 1..4")
    }
    var v = AlertFeedbackView()
    v.trueClass = view(f.true_class, limit: 128)
    v.team = view(f.resolved_by, limit: 128)
    v.falsePositive = f.false_positive < 0 ? nil : f.false_positive == 1
    v.priority = Int(f.priority)
    v.timeToAckSeconds = f.time_to_ack_s
    v.timeToResolveSeconds = f.time_to_resolve_s
    return v
}

/// A core result as the C struct.
@inline(__always)
func cResult(_ r: AlertResult) -> smon_alert_result {
    smon_alert_result(alert_class: Int32(r.alertClass), priority: Int32(r.priority), priority_score: r.priorityScore,
                      confidence: r.confidence, team: Int32(r.team), false_positive_probability: r.falsePositiveProbability,
                      group_id: r.groupId, new_group: r.newGroup ? 1 : 0, suppressed: r.suppressed ? 1 : 0,
                      suppress_reason: r.reason.rawValue, impact_category: r.impact.rawValue, sla_at_risk: r.slaAtRisk ? 1 : 0,
                      ack_deadline_ms: r.ackDeadlineMs, resolve_deadline_ms: r.resolveDeadlineMs,
                      escalation_levels: Int32(r.escalationLevels),
                      escalation_after_min: (0, r.escalateLevel2Minutes, r.escalateLevel3Minutes))
}

/// A batch size from a C size_t (which arrives as a negative Int when above Int.max).
@inline(__always)
func batchCount(_ n: Int) throws -> Int {
    guard n >= 0 else { throw ABIFailure(status: .capacity, message: "n = \(UInt(bitPattern: n)) exceeds the limit \(maxAlertBatch)") }
    return try Check.count(n, "n", max: maxAlertBatch)
}

/// A time window within ±4e15 ms with start <= end.
func checkWindow(_ start: Int64, _ end: Int64) throws {
    let lim = AlertClassifier.maxTimestampMs
    guard start >= -lim, end <= lim else {
        throw ABIFailure(status: .invalidArgument, message: "start_ms/end_ms outside ±\(lim) ms")
    }
    guard start <= end else { throw ABIFailure(status: .invalidArgument, message: "start_ms > end_ms") }
}

@_cdecl("smon_classifier_new")
public func smon_classifier_new(_ cfg: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    abiCall("smon_classifier_new") { try EngineABI.new(classifiers, cfg, out) }
}

@_cdecl("smon_classifier_free")
public func smon_classifier_free(_ h: OpaquePointer?) { classifiers.remove(h) }

@_cdecl("smon_classifier_classify")
public func smon_classifier_classify(_ h: OpaquePointer?, _ alert: UnsafePointer<smon_alert>?,
                                     _ out: UnsafeMutablePointer<smon_alert_result>?) -> Int32 {
    abiCall("smon_classifier_classify") {
        let c = try classifiers.get(h)
        let a = try Check.notNull(alert, "alert")
        let out = try Check.notNull(out, "out")
        out.pointee = cResult(c.classify(alertView(a.pointee, textLimit: c.maxTextBytes)))
    }
}

@_cdecl("smon_classifier_classify_batch")
public func smon_classifier_classify_batch(_ h: OpaquePointer?, _ alerts: UnsafePointer<smon_alert>?, _ n: Int,
                                           _ out: UnsafeMutablePointer<smon_alert_result>?) -> Int32 {
    abiCall("smon_classifier_classify_batch") {
        let c = try classifiers.get(h)
        let alerts = try Check.notNull(alerts, "alerts")
        let out = try Check.notNull(out, "out")
        let n = try batchCount(n)
        let limit = c.maxTextBytes
        c.classifyBatch(n, { alertView(alerts[$0], textLimit: limit) }, { out[$0] = cResult($1) })
    }
}

@_cdecl("smon_classifier_classify_json")
public func smon_classifier_classify_json(_ h: OpaquePointer?, _ json: UnsafePointer<CChar>?,
                                          _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_classifier_classify_json") {
        let c = try classifiers.get(h)
        let out = try Check.notNull(jsonOut, "json_out")
        out.pointee = nil
        let p = try Check.notNull(json, "json")
        let n = strnlen(p, 64 << 20)
        guard n < 64 << 20 else { throw ABIFailure(status: .capacity, message: "json is longer than 64 MiB") }
        let parsed = try JSONValue.parse(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: n))
        out.pointee = try mallocString(c.classifyJSON(try AlertDecoding.items(from: parsed)))
    }
}

@_cdecl("smon_classifier_learn")
public func smon_classifier_learn(_ h: OpaquePointer?, _ alert: UnsafePointer<smon_alert>?,
                                  _ feedback: UnsafePointer<smon_alert_feedback>?) -> Int32 {
    abiCall("smon_classifier_learn") {
        let c = try classifiers.get(h)
        let a = try Check.notNull(alert, "alert")
        let f = try Check.notNull(feedback, "feedback")
        let fb = try feedbackView(f.pointee)
        c.learn(alertView(a.pointee, textLimit: c.maxTextBytes), fb)
    }
}

@_cdecl("smon_classifier_learn_batch")
public func smon_classifier_learn_batch(_ h: OpaquePointer?, _ alerts: UnsafePointer<smon_alert>?,
                                        _ feedback: UnsafePointer<smon_alert_feedback>?, _ n: Int) -> Int32 {
    abiCall("smon_classifier_learn_batch") {
        let c = try classifiers.get(h)
        let alerts = try Check.notNull(alerts, "alerts")
        let feedback = try Check.notNull(feedback, "feedback")
        let n = try batchCount(n)
        for i in 0..<n { _ = try feedbackView(feedback[i]) } // validate all before learning any
        let limit = c.maxTextBytes
        c.learnBatch(n) { i in (alertView(alerts[i], textLimit: limit), (try? feedbackView(feedback[i])) ?? AlertFeedbackView()) }
    }
}

@_cdecl("smon_classifier_learn_json")
public func smon_classifier_learn_json(_ h: OpaquePointer?, _ json: UnsafePointer<CChar>?) -> Int32 {
    abiCall("smon_classifier_learn_json") {
        let c = try classifiers.get(h)
        let p = try Check.notNull(json, "json")
        let n = strnlen(p, 64 << 20)
        guard n < 64 << 20 else { throw ABIFailure(status: .capacity, message: "json is longer than 64 MiB") }
        let parsed = try JSONValue.parse(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: n))
        let records = try AlertDecoding.records(from: parsed)
        guard records.contains(where: { !$0.feedback.isEmpty }) else {
            throw ABIFailure(status: .invalidArgument, message: "no feedback fields (label_class, label_team, label_false_positive, label_priority, time_to_ack_s, time_to_resolve_s)")
        }
        for r in records where !r.feedback.isEmpty { c.learn(r, r.feedback) }
    }
}

@_cdecl("smon_classifier_explain")
public func smon_classifier_explain(_ h: OpaquePointer?, _ alert: UnsafePointer<smon_alert>?,
                                    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_classifier_explain") {
        let c = try classifiers.get(h)
        let a = try Check.notNull(alert, "alert")
        let out = try Check.notNull(jsonOut, "json_out")
        out.pointee = nil
        out.pointee = try mallocString(c.explainJSON(alertView(a.pointee, textLimit: c.maxTextBytes, withId: true)))
    }
}

@_cdecl("smon_classifier_stats")
public func smon_classifier_stats(_ h: OpaquePointer?, _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_classifier_stats") {
        let c = try classifiers.get(h)
        let out = try Check.notNull(jsonOut, "json_out")
        out.pointee = try mallocString(c.statsJSON())
    }
}

@_cdecl("smon_classifier_poll_escalations")
public func smon_classifier_poll_escalations(_ h: OpaquePointer?, _ now: Int64, _ out: UnsafeMutablePointer<smon_alert_escalation>?,
                                             _ cap: Int, _ nOut: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_classifier_poll_escalations") {
        let c = try classifiers.get(h)
        let n = try Check.notNull(nOut, "n_out")
        n.pointee = 0
        guard cap != 0 else { return }
        guard cap > 0, cap <= 1 << 26 else { throw ABIFailure(status: .invalidArgument, message: "cap is \(UInt(bitPattern: cap)), more than 2^26") }
        let out = try Check.notNull(out, "out")
        var k = 0
        c.dueEscalations(nowMs: now, max: cap) { e in
            out[k] = smon_alert_escalation(sequence: e.sequence, group_id: e.groupId, fired_ms: e.firedMs, due_ms: e.dueMs,
                                           suppress_reason: e.reason.rawValue, priority: Int32(e.priority),
                                           alert_class: Int32(e.alertClass), team: Int32(e.team))
            k += 1
        }
        n.pointee = k
    }
}

@_cdecl("smon_classifier_label_name")
public func smon_classifier_label_name(_ h: OpaquePointer?, _ kind: Int32, _ index: Int32,
                                       _ buf: UnsafeMutablePointer<CChar>?, _ buflen: Int) -> Int32 {
    abiCall("smon_classifier_label_name") {
        let c = try classifiers.get(h)
        let buf = try Check.notNull(buf, "buf")
        guard buflen > 0 else { throw ABIFailure(status: .invalidArgument, message: "buflen is 0") }
        guard kind == 0 || kind == 1 else { throw ABIFailure(status: .invalidArgument, message: "kind is \(kind), not 0 (class) or 1 (team)") }
        let names = kind == 0 ? c.classNames : c.teamNames
        guard index >= 0, Int(index) < names.count else {
            throw ABIFailure(status: .notFound, message: "no \(kind == 0 ? "class" : "team") with index \(index) (\(names.count) known)")
        }
        copyString(names[Int(index)], into: buf, capacity: buflen)
    }
}

@_cdecl("smon_classifier_add_maintenance")
public func smon_classifier_add_maintenance(_ h: OpaquePointer?, _ service: UnsafePointer<CChar>?, _ start: Int64, _ end: Int64) -> Int32 {
    abiCall("smon_classifier_add_maintenance") {
        let c = try classifiers.get(h)
        let svc = try Check.optionalString(service, "service", maxBytes: 256) ?? "*"
        try checkWindow(start, end)
        c.addMaintenance(service: svc, startMs: start, endMs: end)
    }
}

@_cdecl("smon_classifier_snapshot")
public func smon_classifier_snapshot(_ h: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                     _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_classifier_snapshot") { try EngineABI.snapshot(classifiers, h, data, size) }
}

@_cdecl("smon_classifier_restore")
public func smon_classifier_restore(_ h: OpaquePointer?, _ data: UnsafeRawPointer?, _ size: Int) -> Int32 {
    abiCall("smon_classifier_restore") { try EngineABI.restore(classifiers, h, data, size) }
}

@_cdecl("smon_classifier_performance")
public func smon_classifier_performance(_ h: OpaquePointer?, _ out: UnsafeMutablePointer<smon_performance>?) -> Int32 {
    abiCall("smon_classifier_performance") { try EngineABI.performance(classifiers, h, out) }
}

@_cdecl("smon_classifier_add_deployment")
public func smon_classifier_add_deployment(_ h: OpaquePointer?, _ service: UnsafePointer<CChar>?, _ start: Int64, _ end: Int64) -> Int32 {
    abiCall("smon_classifier_add_deployment") {
        try checkWindow(start, end)
        try EngineABI.addDeployment(classifiers, h, service, start, end)
        try classifiers.get(h).deploymentsChanged()
    }
}
