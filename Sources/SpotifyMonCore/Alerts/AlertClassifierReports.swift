/// Snapshots, statistics, explanations and the JSON form of results.
extension AlertClassifier {
    // MARK: - Snapshot

    /// The whole state (models, names, histories, groups, response patterns, counters, and
    /// the deployment and maintenance windows announced at run time).
    public func snapshot() -> [UInt8] {
        lock.withLock {
            var w = SnapshotWriter()
            w.write(UInt32(7)) // classifier payload version
            classes.encode(to: &w)
            teams.encode(to: &w)
            model.encode(to: &w)
            fingerprints.encode(to: &w)
            grouper.encode(to: &w)
            response.encode(to: &w)
            w.write(sla)
            w.write(suppressedByReason)
            for v in [classified, learned, groupsOpened, feedbackClass, feedbackTeam, feedbackFP, feedbackPriority] { w.write(v) }
            w.write(lastTimeMs)
            w.write(surfacedNewRoot) // since version 2
            // Since version 3: the announced windows (deployments, maintenance).
            w.write(context.allDeployments)
            w.write(UInt64(maintenance.count))
            for m in maintenance { w.write(m.service); w.write(m.start); w.write(m.end) }
            // and the expertise bonuses as they stand (refreshed in place between full refreshes).
            w.write(response.bonus.map(\.bitPattern))
            w.write(surfacedRefired) // since version 4, with the pending escalations
            w.write(escalatedPersisting)
            pending.encode(to: &w)
            w.write(groupsIsolated) // since version 5, with the groups' isolation flags
            // Since version 6, with the groups' paged counts and folded alerts: the outlived ring
            // and the paged fingerprints' slots.
            w.write(escalatedOutlived)
            outlived.encode(to: &w, timed: true)
            w.write(fingerprints.slots.indices.filter { fingerprints.slots[$0].paged }.map { UInt32($0) })
            w.write(surfacedServiceUpgrade) // since version 7, with the groups' priorities per service
            return Snapshot.seal(w, engine: .classifier)
        }
    }

    /// Replaces the state with a snapshot's; on error nothing changes.
    public func restore(_ bytes: UnsafeRawBufferPointer) throws {
        var r = try Snapshot.open(bytes, engine: .classifier)
        let version: UInt32 = try r.read()
        guard (1...7).contains(version) else { throw SMONError.corrupt("classifier snapshot payload version \(version) unknown") }
        var c = LabelTable(capacity: classes.capacity), t = LabelTable(capacity: teams.capacity)
        try c.decode(from: &r)
        try t.decode(from: &r)
        guard t.count >= 1 else { throw SMONError.corrupt("snapshot has no teams") }
        // Decode the model into a scratch model so a failure leaves the engine untouched.
        let m = HashedLinearModel(bits: model.rows.trailingZeroBitCount, maxClasses: model.maxClasses, maxTeams: model.maxTeams,
                                  learningRate: Double(model.learningRate), l2: Double(model.l2))
        try m.decode(from: &r)
        var fps = FingerprintTable(capacity: config.int("classifier.max_fingerprints"))
        try fps.decode(from: &r)
        var g = AlertGrouper(windowSeconds: config.int("classifier.group_window_s"), spanSeconds: config.int("classifier.group_span_s"),
                             threshold: config.double("classifier.group_threshold"))
        try g.decode(from: &r, version: version, slots: fps.slots.count)
        if version < 4 { g.recountFiring(fps) }
        var resp = ResponseStats(maxTeams: model.maxTeams, maxClasses: model.maxClasses)
        try resp.decode(from: &r)
        let s: [SLACounters] = try r.read()
        let sup: [UInt64] = try r.read()
        var counters: [UInt64] = []
        for _ in 0..<7 { counters.append(try r.read()) }
        let last: Int64 = try r.read()
        let newRoots: UInt64 = version >= 2 ? try r.read() : 0
        var windows: (deployments: [BusinessContext.Deployment], maintenance: [(service: UInt64, start: Int64, end: Int64)])?
        if version >= 3 {
            let d: [BusinessContext.Deployment] = try r.read()
            var m: [(service: UInt64, start: Int64, end: Int64)] = []
            for _ in 0..<(try r.readCount(minSize: 24)) { m.append((try r.read(), try r.read(), try r.read())) }
            let inRange = { (t: Int64) in t.magnitude <= Self.maxTimestampMs.magnitude } // magnitude: no trap on Int64.min
            guard d.allSatisfy({ inRange($0.startMs) && inRange($0.endMs) }), m.allSatisfy({ inRange($0.start) && inRange($0.end) }) else {
                throw SMONError.corrupt("snapshot window time out of range")
            }
            windows = (d, m)
            let bonus: [UInt32] = try r.read()
            guard bonus.count == resp.bonus.count else { throw SMONError.corrupt("snapshot expertise table has the wrong shape") }
            resp.bonus = bonus.map { Float(bitPattern: $0) }
            guard resp.bonus.allSatisfy({ $0.isFinite }) else { throw SMONError.corrupt("snapshot expertise bonus is not finite") }
        }
        let refired: UInt64 = version >= 4 ? try r.read() : 0
        let escalated: UInt64 = version >= 4 ? try r.read() : 0
        var pend = PendingEscalations(capacity: config.int("classifier.max_fingerprints"))
        if version >= 4 { try pend.decode(from: &r, slots: fps.slots.count, dueAfterMs: persistMs) }
        let isolated: UInt64 = version >= 5 ? try r.read() : 0
        let outlivedCount: UInt64 = version >= 6 ? try r.read() : 0
        var outl = PendingEscalations(capacity: config.int("classifier.max_fingerprints"))
        if version >= 6 {
            try outl.decode(from: &r, slots: fps.slots.count, dueAfterMs: nil)
            let paged: [UInt32] = try r.read()
            guard paged.allSatisfy({ Int($0) < fps.slots.count }) else { throw SMONError.corrupt("snapshot paged fingerprint out of range") }
            for i in paged { fps[Int(i)].paged = true }
        } else {
            g.recountPaged(&fps)
        }
        let serviceUpgrades: UInt64 = version >= 7 ? try r.read() : 0
        try r.finish()
        guard s.count == 4, sup.count == suppressedByReason.count else { throw SMONError.corrupt("snapshot counters have the wrong shape") }
        guard last >= 0, last <= Self.maxTimestampMs else { throw SMONError.corrupt("snapshot stream time out of range") }
        lock.withLock {
            classes = c; teams = t
            model.w.update(from: m.w, count: model.rows * model.stride)
            fingerprints = fps; grouper = g; response = resp; sla = s; suppressedByReason = sup
            classified = counters[0]; learned = counters[1]; groupsOpened = counters[2]; feedbackClass = counters[3]
            feedbackTeam = counters[4]; feedbackFP = counters[5]; feedbackPriority = counters[6]
            lastTimeMs = last
            surfacedNewRoot = newRoots; surfacedRefired = refired
            escalatedPersisting = escalated; pending = pend; groupsIsolated = isolated
            escalatedOutlived = outlivedCount; outlived = outl
            surfacedServiceUpgrade = serviceUpgrades
            if let windows { context.setDeployments(windows.deployments); maintenance = windows.maintenance }
            deployCacheStamp = .min
        }
    }

    // MARK: - JSON input

    /// Classifies the alerts of decoded JSON items in order, announcing their windows on the
    /// way; returns a JSON array of one result (`resultJSON`) per alert.
    public func classifyJSON(_ items: [AlertDecoding.Item]) -> String {
        var text = "["
        var first = true
        for item in items {
            switch item {
            case .window(let w): announce(w)
            case .alert(let r):
                if !first { text += "," }
                first = false
                text += resultJSON(classify(r), alertId: r.alertId)
            }
        }
        return text + "]"
    }

    // MARK: - Statistics

    /// Counters as JSON: alerts, suppression by reason, groups, feedback, SLA per priority.
    public func statsJSON() -> String {
        lock.withLock {
            var j = JSONWriter()
            j.beginObject()
            j.field("classified", Int(truncatingIfNeeded: classified))
            j.field("learned", Int(truncatingIfNeeded: learned))
            j.field("groups", Int(truncatingIfNeeded: groupsOpened))
            let sup = suppressedByReason.enumerated().filter { $0.offset != 0 }.reduce(UInt64(0)) { $0 + $1.element }
            j.field("suppressed", Int(truncatingIfNeeded: sup))
            j.field("surfaced", Int(truncatingIfNeeded: suppressedByReason[0]))
            j.field("surfaced_new_root", Int(truncatingIfNeeded: surfacedNewRoot))
            j.field("surfaced_refired", Int(truncatingIfNeeded: surfacedRefired))
            j.field("surfaced_service_upgrade", Int(truncatingIfNeeded: surfacedServiceUpgrade))
            j.field("groups_isolated", Int(truncatingIfNeeded: groupsIsolated))
            j.field("escalated_persisting", Int(truncatingIfNeeded: escalatedPersisting))
            j.field("pending_escalations", pending.count)
            j.field("pending_escalations_dropped", Int(truncatingIfNeeded: pending.dropped))
            j.field("escalated_outlived", Int(truncatingIfNeeded: escalatedOutlived))
            j.field("pending_outlived", outlived.count)
            j.key("suppressed_by_reason"); j.beginObject()
            for r in SuppressionReason.allCases where r != .none { j.field(r.name, Int(truncatingIfNeeded: suppressedByReason[Int(r.rawValue)])) }
            j.endObject()
            j.key("feedback"); j.beginObject()
            j.field("class", Int(truncatingIfNeeded: feedbackClass)); j.field("team", Int(truncatingIfNeeded: feedbackTeam))
            j.field("false_positive", Int(truncatingIfNeeded: feedbackFP)); j.field("priority", Int(truncatingIfNeeded: feedbackPriority))
            j.endObject()
            j.key("sla"); j.beginObject()
            var breaches: UInt64 = 0, atRisk: UInt64 = 0
            for p in 0..<4 {
                let s = sla[p]
                breaches += s.ackBreaches + s.resolveBreaches; atRisk += s.atRisk
                j.key("P\(p + 1)"); j.beginObject()
                j.field("ack_target_minutes", ackTargets[p]); j.field("resolve_target_minutes", resolveTargets[p])
                j.field("alerts", Int(truncatingIfNeeded: s.alerts)); j.field("surfaced", Int(truncatingIfNeeded: s.surfaced))
                j.field("at_risk", Int(truncatingIfNeeded: s.atRisk))
                j.field("ack_reports", Int(truncatingIfNeeded: s.ackReports)); j.field("ack_breaches", Int(truncatingIfNeeded: s.ackBreaches))
                j.field("resolve_reports", Int(truncatingIfNeeded: s.resolveReports))
                j.field("resolve_breaches", Int(truncatingIfNeeded: s.resolveBreaches))
                j.endObject()
            }
            j.field("breaches", Int(truncatingIfNeeded: breaches)); j.field("at_risk", Int(truncatingIfNeeded: atRisk))
            j.endObject()
            j.key("classes"); j.beginArray(); for c in classes.names { j.string(c) }; j.endArray()
            j.key("teams"); j.beginArray(); for t in teams.names { j.string(t) }; j.endArray()
            j.field("fingerprints", fingerprints.occupied)
            j.endObject()
            return j.text
        }
    }

    // MARK: - Results as JSON

    /// The escalation path of a result: on-call, secondary, incident commander (P1/P2) or team lead.
    public func escalationJSON(_ r: AlertResult, into j: inout JSONWriter, teamName team: String) {
        j.beginObject()
        j.key("path"); j.beginArray()
        j.string(team + "-oncall")
        if r.escalationLevels >= 3 { j.string(team + "-secondary"); j.string("incident-commander") } else { j.string(team + "-lead") }
        j.endArray()
        j.key("after_minutes"); j.beginArray()
        j.number(0); j.number(r.escalateLevel2Minutes)
        if r.escalationLevels >= 3 { j.number(r.escalateLevel3Minutes) }
        j.endArray()
        j.endObject()
    }

    /// One result as the CLI prints it (one JSON object), with the suppressed alerts that fell
    /// due for escalation as it arrived (`escalate_now`: each with its alert's id), if any.
    public func resultJSON(_ r: AlertResult, alertId: String, escalations: [(alertId: String, alert: PersistingAlert)] = []) -> String {
        let cls = className(r.alertClass), team = teamName(r.team)
        var j = JSONWriter()
        j.beginObject()
        j.field("alert_id", alertId)
        j.field("alert_class", cls)
        j.field("priority", "P\(r.priority)")
        j.field("priority_score", (r.priorityScore * 10000).rounded() / 10000)
        j.field("confidence", (r.confidence * 10000).rounded() / 10000)
        j.field("recommended_team", team)
        j.field("false_positive_probability", (r.falsePositiveProbability * 10000).rounded() / 10000)
        j.field("group_id", Int(truncatingIfNeeded: r.groupId))
        j.field("suppressed", r.suppressed)
        j.field("suppression_reason", r.reason == .none ? "" : r.reason.name)
        if r.newRootInGroup { j.field("new_root_in_group", true) }
        if r.refiredAfterResolve { j.field("refired_after_resolve", true) }
        if r.repagedAtService { j.field("repaged_at_service", true) }
        j.key("escalation"); escalationJSON(r, into: &j, teamName: team)
        j.key("sla"); j.beginObject()
        j.field("ack_deadline_ms", Int(r.ackDeadlineMs)); j.field("resolve_deadline_ms", Int(r.resolveDeadlineMs))
        j.field("at_risk", r.slaAtRisk)
        j.endObject()
        j.field("impact", r.impact.name)
        j.key("context"); j.beginObject()
        j.field("peak_hours", r.peak); j.field("deployment", r.deployment)
        j.field("maintenance", r.maintenance); j.field("business_event", r.businessEvent)
        j.endObject()
        if !escalations.isEmpty {
            j.key("escalate_now"); j.beginArray()
            for (id, e) in escalations {
                j.beginObject()
                j.field("alert_id", id); j.field("group_id", Int(truncatingIfNeeded: e.groupId))
                j.field("reason", "still firing \((e.dueMs - e.firedMs) / 1000) s after it was suppressed")
                j.field("suppression_reason", e.reason.name); j.field("priority", "P\(e.priority)")
                j.field("alert_class", className(e.alertClass)); j.field("recommended_team", teamName(e.team))
                j.field("fired_ms", Int(e.firedMs)); j.field("due_ms", Int(e.dueMs))
                j.endObject()
            }
            j.endArray()
        }
        j.endObject()
        return j.text
    }

    // MARK: - Explanation

    /// Why the classifier would decide what it decides for `a`, without changing any state:
    /// class and team probabilities, the features that pushed the class most, the
    /// false-positive probability and its history inputs, priority components, context.
    public func explainJSON(_ a: AlertView) -> String {
        lock.withLock {
            let t = streamTime(a)
            var info = LabelInfo()
            x.names = []
            defer { x.names = nil }
            beginFeatures(a, &info)
            let fpKey = fingerprintKey(a, info)
            let hist = fingerprints.find(fpKey).map { historyStats(fingerprints[$0], at: t) } ?? HistoryStats()
            let fl = flags(service: AlertFeaturizer.service(a, info), info: info, at: t)
            _ = finishFeatures(a, info, hist, fl, t)
            let owner = owner(a, info)
            let s = score(a, info, hist: hist, owner: owner)
            let (cat, impactW) = impact(a, info)
            let ps = priorityScore(a, info, s, impactWeight: impactW, category: cat, flags: fl)
            var j = JSONWriter()
            j.beginObject()
            j.field("alert_id", Bytes.string(a.alertId))
            j.key("class_probabilities"); j.beginObject()
            let nC = classes.count
            var cp: [(String, Double)] = (0..<nC).map { (classes.names[$0], Double(scratch[$0])) }
            cp.sort { $0.1 > $1.1 }
            for (n, p) in cp.prefix(6) { j.field(n, (p * 10000).rounded() / 10000) }
            j.endObject()
            j.key("team_probabilities"); j.beginObject()
            var tp: [(String, Double)] = (0..<teams.count).map { (teams.names[$0], Double(scratch[scratchCount + $0])) }
            tp.sort { $0.1 > $1.1 }
            for (n, p) in tp.prefix(5) { j.field(n, (p * 10000).rounded() / 10000) }
            j.endObject()
            j.field("ownership_team", owner >= 0 ? teams.names[owner] : "")
            // Top features for the chosen class.
            var contrib: [(String, Double)] = []
            if let names = x.names, s.cls < nC {
                for f in 0..<min(x.count, names.count) {
                    let wv = Double(model.w[Int(x.index[f]) * model.stride + model.classColumn(s.cls)] * x.value[f])
                    if wv != 0 { contrib.append((names[f], wv)) }
                }
            }
            contrib.sort { abs($0.1) > abs($1.1) }
            j.key("top_features"); j.beginArray()
            for (n, v) in contrib.prefix(10) { j.beginObject(); j.field("feature", n); j.field("weight", (v * 1000).rounded() / 1000); j.endObject() }
            j.endArray()
            j.field("false_positive_probability", (s.fp * 10000).rounded() / 10000)
            j.key("history"); j.beginObject()
            j.field("fired_before", Int(hist.count)); j.field("seconds_since_last", Double(hist.sinceSeconds))
            j.field("flaps", Double(hist.flaps)); j.field("typical_auto_resolve_seconds", Double(hist.autoResolveSeconds))
            j.field("past_false_positive_rate", Double(hist.fpRate)); j.field("false_positive_feedback", Double(hist.fpFeedback))
            j.endObject()
            j.key("priority"); j.beginObject()
            j.field("score", (ps * 10000).rounded() / 10000); j.field("level", "P\(Self.priority(ps))")
            j.field("severity_urgency", Self.severityUrgency(AlertFeaturizer.severity(a, info)))
            j.field("value_threshold_ratio", AlertFeaturizer.ratio(a) ?? .nan)
            j.field("impact", cat.name); j.field("impact_weight", impactW)
            j.field("learned_urgency", (s.learnedUrgency * 10000).rounded() / 10000)
            j.endObject()
            j.key("context"); j.beginObject()
            j.field("peak_hours", fl.peak); j.field("deployment", fl.deployment)
            j.field("maintenance", fl.maintenance); j.field("business_event", fl.businessEvent)
            j.endObject()
            j.field("features", x.count)
            j.endObject()
            return j.text
        }
    }
}
