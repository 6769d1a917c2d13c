/// Explanations and recommended actions as JSON (built off the hot path, on request).
extension AnomalyDetector {
    /// The member names in state order.
    static let memberOrder = ["robust", "forest", "gru", "prototype", "novelty"]

    /// Recommended actions for series `id` at `severity` (its metric kind × severity).
    public func recommendedActions(id: UInt32, severity: Int) throws -> [String] {
        guard let s = state(of: id) else { throw SMONError.notFound("series id \(id) is not registered") }
        return actions.actions(kind: MetricKind(rawValue: s.kind) ?? .generic, severity: Swift.max(severity, 1))
    }

    /// JSON explaining the last observation of series `id`.
    public func explain(id: UInt32) throws -> String {
        guard let s = state(of: id), let key = registry.key(id) else {
            throw SMONError.notFound("series id \(id) is not registered")
        }
        let r = s.last
        var j = JSONWriter()
        j.beginObject()
        j.field("series", key.canonical)
        j.field("series_id", Int(id))
        j.field("observations", Int(s.count))
        j.field("timestamp_ms", Double(s.lastTsObserved))
        j.field("value", s.lastValue)
        j.field("score", r.score)
        j.field("raw_score", r.rawScore)
        j.field("is_anomaly", r.isAnomaly)
        j.field("severity", AnomalyResult.severityNames[Int(MathUtil.clamp(Double(r.severity), 0, 4))])
        let enabled = [settings.robust, settings.forest, settings.gru, settings.prototype, settings.novelty]
        j.key("members"); j.beginObject()
        for (k, name) in Self.memberOrder.enumerated() where enabled[k] { j.field(name, Double(s.lastMembers[k])) }
        j.endObject()
        j.key("fired"); j.beginArray()
        for (k, name) in Self.memberOrder.enumerated() where enabled[k] && s.lastMembers[k] >= 0.5 { j.string(name) }
        j.endArray()
        j.field("expected", r.expected)
        j.key("expected_range"); j.beginArray(); j.number(r.expectedLow); j.number(r.expectedHigh); j.endArray()
        j.field("deviation", s.lastValue - r.expected)
        let spread = (r.expectedHigh - r.expectedLow) / 6
        j.field("deviation_sigmas", spread > 0 ? (s.lastValue - r.expected) / spread : 0)
        j.key("drift"); j.beginObject()
        j.field("detected", r.drift != 0)
        j.field("page_hinkley", r.drift & 1 != 0)
        j.field("adwin", r.drift & 2 != 0)
        j.field("adwin_window", s.adwin.width)
        j.endObject()
        let cat = ImpactCategory(rawValue: r.impactCategory) ?? .operational
        j.key("business_impact"); j.beginObject()
        j.field("category", cat.name)
        j.field("score", r.impactScore)
        j.field("weight", Double(s.impactWeight))
        j.field("peak_hours", context.isPeak(s.lastTsObserved))
        j.field("deployment", context.inDeployment(service: key.tag("service"), at: s.lastTsObserved))
        j.endObject()
        j.key("correlation")
        if r.groupId != 0, let g = correlation.group(r.groupId) {
            j.beginObject()
            j.field("group_id", Int(g.id))
            j.field("leading_series", registry.key(g.leader)?.canonical ?? "")
            j.key("series"); j.beginArray()
            for m in g.members { j.string(registry.key(m)?.canonical ?? "") }
            j.endArray()
            j.endObject()
        } else { j.null() }
        let kind = MetricKind(rawValue: s.kind) ?? .generic
        j.field("metric_kind", kind.name)
        j.key("recommended_actions"); j.beginArray()
        if r.isAnomaly { for a in actions.actions(kind: kind, severity: Int(r.severity)) { j.string(a) } }
        j.endArray()
        j.endObject()
        return j.text
    }

    /// JSON array of the most recent correlation groups (newest last).
    public func correlationsJSON(limit: Int = 50) -> String {
        var j = JSONWriter()
        j.beginArray()
        for g in correlation.recentGroups(limit: limit) {
            j.beginObject()
            j.field("group_id", Int(g.id))
            j.field("leading_series", registry.key(g.leader)?.canonical ?? "")
            j.field("first_ms", Double(g.firstTs)); j.field("last_ms", Double(g.lastTs))
            j.key("series"); j.beginArray()
            for m in g.members { j.string(registry.key(m)?.canonical ?? "") }
            j.endArray()
            j.endObject()
        }
        j.endArray()
        return j.text
    }
}
