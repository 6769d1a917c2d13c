import Testing
@testable import SpotifyMonCore

/// Helpers shared by the alert tests.
enum AlertFixtures {
    static let t0: Int64 = 1_793_491_200_000 // 2026-11-01 00:00 UTC

    static func alert(_ msg: String, service: String = "svc", metric: String = "m", severity: String = "high",
                      t: Int64 = t0, labels: [(String, String)] = [], value: Double = 2, threshold: Double = 1,
                      fingerprint: String = "", resolved: Bool = false, id: String = "a") -> AlertRecord {
        var r = AlertRecord()
        r.alertId = id; r.message = msg; r.serviceName = service; r.metricName = metric; r.severityRaw = severity
        r.timestampMs = t; r.labels = labels; r.currentValue = value; r.threshold = threshold; r.fingerprint = fingerprint
        r.resolved = resolved; r.sourceSystem = "prometheus"
        return r
    }

    static func classifier(_ settings: [(String, String)] = []) throws -> AlertClassifier {
        var c = Configuration()
        try c.set("classifier.hash_bits", "14")
        try c.set("classifier.max_fingerprints", "4096")
        for (k, v) in settings { try c.set(k, v) }
        return try AlertClassifier(config: c)
    }

    static func stream(_ n: Int, seed: UInt64 = 7) -> [AlertStreamGenerator.Event] {
        var g = AlertStreamGenerator(seed: seed)
        return g.generate(alerts: n)
    }

    /// Runs a stream prequentially; returns (record, result) for firing alerts.
    static func run(_ c: AlertClassifier, _ events: [AlertStreamGenerator.Event], learn: Bool = true) -> [(AlertRecord, AlertResult)] {
        var out: [(AlertRecord, AlertResult)] = []
        for e in events {
            switch e {
            case .deployment(let s, let a, let b):
                c.addDeployment(service: s, startMs: a, endMs: b)
            case .maintenance(let s, let a, let b): c.addMaintenance(service: s, startMs: a, endMs: b)
            case .alert(let r):
                let res = c.classify(r)
                if !r.resolved {
                    out.append((r, res))
                    if learn { c.learn(r, r.feedback) }
                }
            }
        }
        return out
    }
}

@Suite("Alert JSON input")
struct AlertJSONTests {
    @Test func parsesValues() throws {
        let v = try JSONValue.parse(#" {"a": [1, -2.5e3, true, null, "x\u00e9\n"], "b": {"c": "d"}} "#)
        #expect(v["a"] == .array([.number(1), .number(-2500), .bool(true), .null, .string("xé\n")]))
        #expect(v["b"]?["c"]?.text == "d")
    }

    @Test(arguments: ["", "{", "{\"a\"}", "{\"a\":}", "[1,]", "tru", "\"abc", "{\"a\":1} x", "01x", "{\"a\":\"\\q\"}",
                      String(repeating: "[", count: 100)])
    func rejectsMalformed(_ text: String) {
        #expect(throws: SMONError.self) { try JSONValue.parse(text) }
    }

    @Test func repairsInvalidUTF8() throws {
        let bytes: [UInt8] = Array("{\"m\":\"".utf8) + [0xFF, 0xC0, 0x41] + Array("\"}".utf8)
        let v = try bytes.withUnsafeBufferPointer { try JSONValue.parse($0) }
        #expect(v["m"]?.text?.hasSuffix("A") == true)
    }

    @Test func decodesAlertFeaturesAndTruth() throws {
        let rs = try AlertDecoding.records(fromText: """
        {"alert_id":"x1","timestamp":"2026-11-01T10:00:00Z","source_system":"prometheus","metric_name":"http_response_time",
         "alert_message":"High response time detected","severity_raw":"high","current_value":2500.0,"threshold_violated":1000.0,
         "service_name":"checkout","labels":{"team":"payments","n":3},"label_class":"network","label_priority":"P2",
         "label_false_positive":false,"incident_id":"inc-9","time_to_ack_s":60}
        """)
        #expect(rs.count == 1)
        let r = rs[0]
        #expect(r.alertId == "x1" && r.metricName == "http_response_time" && r.currentValue == 2500 && r.threshold == 1000)
        #expect(r.timestampMs == 1_793_527_200_000)
        #expect(r.labels.count == 2 && r.labelText == "team=payments,n=3")
        #expect(r.feedback == AlertFeedback(trueClass: "network", falsePositive: false, priority: 2, timeToAckSeconds: 60))
        #expect(r.incidentId == "inc-9")
    }

    @Test func decodesAlertmanagerV4() throws {
        let rs = try AlertDecoding.records(fromText: """
        {"version":"4","status":"firing","groupKey":"g","receiver":"r","alerts":[
          {"status":"firing","labels":{"alertname":"HighLatency","service":"checkout","severity":"critical","job":"api"},
           "annotations":{"summary":"p99 above 2s","description":"checkout is slow","value":"2.5","threshold":"2"},
           "startsAt":"2026-11-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f1"},
          {"status":"resolved","labels":{"alertname":"Disk"},"annotations":{},"startsAt":"2026-11-01T09:00:00Z",
           "endsAt":"2026-11-01T09:30:00Z","fingerprint":"f2"}]}
        """)
        #expect(rs.count == 2)
        #expect(rs[0].metricName == "HighLatency" && rs[0].serviceName == "checkout" && rs[0].severityRaw == "critical")
        #expect(rs[0].message == "p99 above 2s checkout is slow" && rs[0].currentValue == 2.5 && rs[0].fingerprint == "f1")
        #expect(rs[1].resolved && rs[1].timestampMs == 1_793_525_400_000)
    }

    @Test func missingFieldsGetDefaults() throws {
        let r = try AlertDecoding.records(fromText: #"{"alert_id":null,"current_value":"abc","labels":5}"#)[0]
        #expect(r.alertId == "" && r.currentValue.isNaN && r.labels.isEmpty && r.feedback.isEmpty)
        #expect(throws: SMONError.self) { try AlertDecoding.records(fromText: "7") }
    }

    @Test func windowLinesAreItemsOfTheirOwn() throws {
        let text = #"[{"type":"deployment","service":"checkout","start_ms":1000,"end_ms":2000},"#
            + #"{"alert_id":"a","type":"other"},{"type":"maintenance","start_ms":5,"end_ms":5}]"#
        let items = try AlertDecoding.items(from: try JSONValue.parse(text))
        #expect(items.count == 3)
        guard items.count == 3, case .window(let d) = items[0], case .alert(let a) = items[1], case .window(let m) = items[2] else { return }
        #expect(d == WindowAnnouncement(kind: .deployment, service: "checkout", startMs: 1000, endMs: 2000))
        #expect(a.alertId == "a" && m.kind == .maintenance && m.service == "*" && m.startMs == 5)
        #expect(try AlertDecoding.records(from: try JSONValue.parse(text)).map(\.alertId) == ["a"])
        for bad in [#"{"type":"deployment","start_ms":2,"end_ms":1}"#, #"{"type":"maintenance","start_ms":"x","end_ms":1}"#,
                    #"{"type":"deployment","start_ms":1,"end_ms":1e300}"#] {
            #expect(throws: SMONError.self) { try AlertDecoding.items(from: try JSONValue.parse(bad)) }
        }
    }
}

@Suite("Alert classifier")
struct AlertClassifierTests {
    @Test func coldStartUsesRulesAndOwnership() throws {
        let c = try AlertFixtures.classifier([("classifier.ownership_rules", "pay*=payments")])
        let r = c.classify(AlertFixtures.alert("Replication lag on postgres-users is 40s", service: "postgres-users",
                                               labels: [("team", "data")]))
        #expect(c.className(r.alertClass) == "database")
        #expect(c.teamName(r.team) == "data")
        #expect(!r.suppressed && r.newGroup && r.groupId == 1)
        let p = c.classify(AlertFixtures.alert("TLS certificate expires soon, unauthorized requests", service: "payments-api", t: AlertFixtures.t0 + 86_400_000))
        #expect(c.teamName(p.team) == "payments")
        #expect(c.className(p.alertClass) == "security")
        let none = c.classify(AlertFixtures.alert("something odd", service: "zzz", t: AlertFixtures.t0 + 2 * 86_400_000))
        #expect(c.teamName(none.team) == "sre")
    }

    @Test func feedbackTeachesClassTeamAndFalsePositives() throws {
        let c = try AlertFixtures.classifier()
        for i in 0..<60 {
            let t = AlertFixtures.t0 + Int64(i) * 3_600_000
            c.learn(AlertFixtures.alert("Widget frobnication stalled on shard \(i)", service: "widgets", t: t),
                    AlertFeedback(trueClass: "widgetry", team: "widget-team", falsePositive: false, priority: 1))
            c.learn(AlertFixtures.alert("Synthetic ping jitter on probe \(i)", service: "probes", severity: "warning", t: t),
                    AlertFeedback(trueClass: "network", team: "netops", falsePositive: true, priority: 4))
        }
        let a = c.classify(AlertFixtures.alert("Widget frobnication stalled on shard 99", service: "widgets", t: AlertFixtures.t0 + 400 * 3_600_000))
        #expect(c.className(a.alertClass) == "widgetry" && c.teamName(a.team) == "widget-team")
        #expect(a.falsePositiveProbability < 0.3 && !a.suppressed)
        let b = c.classify(AlertFixtures.alert("Synthetic ping jitter on probe 99", service: "probes", severity: "warning",
                                               t: AlertFixtures.t0 + 401 * 3_600_000))
        #expect(b.falsePositiveProbability > 0.7)
        #expect(b.suppressed && b.reason == .likelyFalsePositive)
        #expect(a.priority < b.priority)
    }

    @Test func duplicatesAndFlappingAreFolded() throws {
        let c = try AlertFixtures.classifier()
        let t = AlertFixtures.t0
        let first = c.classify(AlertFixtures.alert("Disk almost full on host-1", fingerprint: "fp1"))
        let dup = c.classify(AlertFixtures.alert("Disk almost full on host-1", t: t + 60_000, fingerprint: "fp1"))
        #expect(!first.suppressed && dup.suppressed && dup.reason == .duplicate && dup.groupId == first.groupId)
        let res = c.classify(AlertFixtures.alert("Disk almost full on host-1", t: t + 90_000, fingerprint: "fp1", resolved: true))
        #expect(res.suppressed && res.reason == .resolved)
        // A fingerprint that keeps firing and resolving is flapping.
        var last = AlertResult()
        for k in 0..<8 {
            let tt = t + 10_000_000 + Int64(k) * 240_000
            last = c.classify(AlertFixtures.alert("Latency blip", service: "flappy", t: tt, fingerprint: "flap"))
            _ = c.classify(AlertFixtures.alert("Latency blip", service: "flappy", t: tt + 60_000, fingerprint: "flap", resolved: true))
        }
        #expect(last.suppressed && (last.reason == .flapping || last.reason == .duplicate))
        #expect(c.explainJSON(AlertFixtures.alert("Latency blip", service: "flappy", t: t + 20_000_000, fingerprint: "flap").withView { $0 }).contains("\"flaps\""))
    }

    @Test func relatedServicesShareAGroup() throws {
        let c = try AlertFixtures.classifier()
        let t = AlertFixtures.t0
        let root = c.classify(AlertFixtures.alert("Replication lag on postgres-payments", service: "postgres-payments", metric: "lag"))
        let down = c.classify(AlertFixtures.alert("Upstream timeouts from payments", service: "payments", metric: "timeouts", t: t + 90_000,
                                                  labels: [("depends_on", "postgres-payments|vault")]))
        let far = c.classify(AlertFixtures.alert("Certificate expiry for auth", service: "auth", metric: "cert", t: t + 100_000))
        let late = c.classify(AlertFixtures.alert("Upstream timeouts from payments", service: "payments", metric: "timeouts", t: t + 5 * 3_600_000,
                                                  labels: [("depends_on", "postgres-payments|vault")]))
        #expect(down.groupId == root.groupId)
        #expect(far.groupId != root.groupId)
        #expect(late.groupId != root.groupId)
    }

    @Test func businessContextShiftsPriorityAndSuppression() throws {
        let c = try AlertFixtures.classifier([("context.peak_hours", "18-22")])
        let base = AlertFixtures.t0 + 10 * 3_600_000 // 10:00
        let off = c.classify(AlertFixtures.alert("playback latency high", service: "playback", metric: "playback_latency", t: base))
        let peak = c.classify(AlertFixtures.alert("playback latency high", service: "playback2", metric: "playback_latency", t: base + 9 * 3_600_000))
        #expect(peak.peak && !off.peak)
        #expect(peak.priorityScore > off.priorityScore)
        #expect(off.impact == .userExperience)
        c.context.addDeployment(.init(service: "search", startMs: base, endMs: base + 3_600_000))
        c.deploymentsChanged()
        let d = c.classify(AlertFixtures.alert("x", service: "search", t: base + 60_000))
        #expect(d.deployment)
        c.addMaintenance(service: "db", startMs: base, endMs: base + 3_600_000)
        let m = c.classify(AlertFixtures.alert("x", service: "db", t: base + 60_000))
        #expect(m.maintenance)
    }

    /// During a deployment, only alerts at `classifier.deployment_suppress_priority` or lower
    /// that the model does not rate real are held (reason deployment_window).
    @Test func aDeploymentHoldsOnlyTheLowestPriorities() throws {
        let t = AlertFixtures.t0 + 3_600_000
        let cases: [(severity: String, value: Double)] = [("info", 1.01), ("low", 1.2), ("warning", 1.5), ("warning", 3), ("high", 2), ("high", 6)]
        for setting in [3, 4, 5] {
            // Nothing is rated real, nothing is a likely false positive: the deployment rule decides.
            let c = try AlertFixtures.classifier([("classifier.real_threshold", "0"), ("classifier.fp_suppress_threshold", "1"),
                                                  ("classifier.deployment_suppress_priority", "\(setting)")])
            var seen = Set<Int>()
            for (i, k) in cases.enumerated() {
                let svc = "deploying-\(i)"
                c.addDeployment(service: svc, startMs: t, endMs: t + 3_600_000)
                let r = c.classify(AlertFixtures.alert("rollout \(i) step \(i * 7)", service: svc, metric: "metric_\(i)", severity: k.severity,
                                                       t: t + 60_000 + Int64(i) * 1000, value: k.value, fingerprint: "f\(i)"))
                #expect(r.deployment)
                #expect(r.suppressed == (r.priority >= setting), "P\(r.priority) with setting \(setting): \(r.reason)")
                if r.suppressed { #expect(r.reason == .deployment) }
                seen.insert(r.priority)
            }
            #expect(seen.contains(3) && seen.contains(4), "priorities seen: \(seen)")
        }
    }

    @Test func slaCountsBreachesAndRisk() throws {
        let c = try AlertFixtures.classifier()
        for i in 0..<10 {
            c.learn(AlertFixtures.alert("Payment failures", service: "pay", t: AlertFixtures.t0 + Int64(i) * 1000, labels: [("team", "slow")]),
                    AlertFeedback(team: "slow", priority: 1, timeToAckSeconds: 1800, timeToResolveSeconds: 7200))
        }
        #expect(c.sla[0].ackBreaches == 10 && c.sla[0].resolveBreaches == 10)
        let r = c.classify(AlertFixtures.alert("Payment failures", service: "pay", severity: "critical", t: AlertFixtures.t0 + 99_000_000,
                                               labels: [("team", "slow")], value: 100, threshold: 1))
        #expect(c.teamName(r.team) == "slow")
        if r.priority == 1 { #expect(r.slaAtRisk) }
        #expect(r.ackDeadlineMs > r.timestampMs && r.resolveDeadlineMs > r.ackDeadlineMs)
        #expect(c.statsJSON().contains("\"ack_breaches\":10"))
    }

    @Test func badInputGivesDefinedResults() throws {
        let c = try AlertFixtures.classifier()
        let empty = c.classify(AlertRecord())
        #expect((1...4).contains(empty.priority) && empty.priorityScore.isFinite && empty.falsePositiveProbability.isFinite)
        var huge = AlertFixtures.alert(String(repeating: "disk full ", count: 200_000))
        huge.currentValue = .infinity; huge.threshold = 0
        huge.labels = [("", ""), ("=", ","), ("team", ""), ("depends_on", "||")]
        let h = c.classify(huge)
        #expect(h.priorityScore.isFinite)
        let bytes: [UInt8] = [0xFF, 0xFE, 0x41, 0xC0, 0xAF]
        let r = bytes.withUnsafeBytes { b -> AlertResult in
            var v = AlertView(); v.message = b; v.serviceName = b; v.labels = b; v.alertId = b; v.timestampMs = .max
            return c.classify(v)
        }
        #expect(r.groupId >= 1)
        var tMin = AlertView(); tMin.timestampMs = .min
        _ = c.classify(tMin)
        c.learn(AlertRecord(), AlertFeedback(trueClass: String(repeating: "x", count: 10_000), team: "", priority: 9, timeToAckSeconds: .nan))
        #expect(c.explainJSON(AlertView()).hasPrefix("{"))
        #expect(try JSONValue.parse(c.statsJSON())["classified"]?.double == 4)
    }

    @Test func learnsTheGeneratedStream() throws {
        let c = try AlertFixtures.classifier()
        let results = AlertFixtures.run(c, AlertFixtures.stream(3000))
        let tail = results.suffix(1000)
        let clsAcc = Double(tail.filter { c.className($0.1.alertClass) == $0.0.feedback.trueClass }.count) / Double(tail.count)
        let teamAcc = Double(tail.filter { c.teamName($0.1.team) == $0.0.feedback.team }.count) / Double(tail.count)
        #expect(clsAcc > 0.6, "class accuracy \(clsAcc)")
        #expect(teamAcc > 0.7, "team accuracy \(teamAcc)")
        // Fewer surfaced alerts than alerts.
        let surfaced = results.filter { !$0.1.suppressed }.count
        #expect(Double(surfaced) < 0.5 * Double(results.count))
    }

    @Test func neverSuppressesTheOnlyRealAlertOfAGroup() throws {
        let c = try AlertFixtures.classifier()
        var surfacedGroups = Set<UInt64>()
        for (_, r) in AlertFixtures.run(c, AlertFixtures.stream(2000, seed: 11)) {
            if r.falsePositiveProbability < 0.5 && !surfacedGroups.contains(r.groupId) {
                #expect(!r.suppressed, "a real-rated alert was suppressed in a group with nothing surfaced")
            }
            if r.newRootInGroup { #expect(!r.suppressed && r.falsePositiveProbability < 0.5 && surfacedGroups.contains(r.groupId)) }
            if !r.suppressed { surfacedGroups.insert(r.groupId) }
        }
    }

    /// Real incidents (the generator's truth) none of whose alerts was surfaced.
    static func unsurfacedRealIncidents(_ results: [(AlertRecord, AlertResult)]) -> Int {
        var real = Set<String>(), covered = Set<String>()
        for (a, r) in results {
            guard let inc = a.incidentId, inc.hasPrefix("inc-") else { continue }
            real.insert(inc)
            if !r.suppressed { covered.insert(inc) }
        }
        return real.subtracting(covered).count
    }

    @Test func aSecondRootInAPagedGroupIsSurfaced() throws {
        // Two real incidents in one group: a vague first alert at a store, then a security
        // problem at a service that depends on it (same cluster, within the span: it joins by
        // topology). The cascade symptom after them stays a duplicate.
        func run(_ minConfidence: String) throws -> [AlertResult] {
            let c = try AlertFixtures.classifier([("classifier.new_root_confidence", minConfidence)])
            let t = AlertFixtures.t0
            let ctx = [("cluster", "prod-eu-1")]
            return [
                c.classify(AlertFixtures.alert("Store db-a degraded", service: "db-a", metric: "store_status", labels: ctx)),
                c.classify(AlertFixtures.alert("Brute force login attempts: unauthorized and forbidden responses", service: "svc-b",
                                               metric: "failed_logins_rate", t: t + 60_000, labels: ctx + [("depends_on", "db-a")])),
                c.classify(AlertFixtures.alert("Calls from svc-c are slow", service: "svc-c", metric: "call_duration",
                                               t: t + 120_000, labels: ctx + [("depends_on", "svc-b")])),
            ]
        }
        let on = try run("0.5"), off = try run("1")
        #expect(on[1].groupId == on[0].groupId && on[2].groupId == on[0].groupId, "the three alerts should share a group")
        #expect(on[0].falsePositiveProbability < 0.5 && on[1].falsePositiveProbability < 0.5 && on[1].confidence > 0.5)
        #expect(!on[0].suppressed && !on[1].suppressed && on[1].newRootInGroup, "the second root was suppressed")
        #expect(on[2].suppressed && on[2].reason == .duplicate && !on[2].newRootInGroup)
        // Disabled (confidence 1), the second root is folded into the first one's page: the old behaviour.
        #expect(off[1].groupId == off[0].groupId && off[1].suppressed && off[1].reason == .duplicate && !off[1].newRootInGroup)
    }

    @Test func aNewCauseAtAPagedServiceIsSurfaced() throws {
        // One service, two causes: the group pages for a database problem, then the same service
        // reports a full disk (a cause the group has not paged for: surfaced), then the disk again
        // under another rule (that cause has paged now: a duplicate).
        func run(_ minConfidence: String) throws -> [AlertResult] {
            let c = try AlertFixtures.classifier([("classifier.new_root_confidence", minConfidence)])
            let t = AlertFixtures.t0
            let ctx = [("cluster", "prod-eu-1")] // same cluster: the cause differs, the incident may not
            return [
                c.classify(AlertFixtures.alert("Deadlock detected in db-a query, replication stalled", service: "db-a", metric: "db_deadlocks", labels: ctx)),
                c.classify(AlertFixtures.alert("Disk full on db-a: volume capacity exhausted", service: "db-a", metric: "disk_used",
                                               t: t + 60_000, labels: ctx)),
                c.classify(AlertFixtures.alert("Disk full on db-a: inode capacity exhausted", service: "db-a", metric: "inodes_used",
                                               t: t + 90_000, labels: ctx)),
            ]
        }
        let on = try run("0.5"), off = try run("1")
        #expect(on[1].groupId == on[0].groupId && on[2].groupId == on[0].groupId, "the three alerts should share a group")
        #expect(on[0].alertClass != on[1].alertClass && on[1].confidence > 0.5, "\(on[0]) | \(on[1])")
        #expect(!on[0].suppressed && !on[1].suppressed && on[1].newRootInGroup, "the second cause was suppressed")
        #expect(on[2].suppressed && on[2].reason == .duplicate && !on[2].newRootInGroup)
        #expect(off[1].suppressed && off[1].reason == .duplicate && !off[1].newRootInGroup)
    }

    @Test func anAlertFiringAgainAfterItsGroupResolvedIsSurfaced() throws {
        // A fires and pages; B (same group) fires; A re-notifies (a duplicate); A resolves, B
        // still fires: A again is a duplicate. B resolves: the group's incident is over, and A
        // firing again starts another episode (surfaced); its re-notification folds again.
        let c = try AlertFixtures.classifier()
        let t = AlertFixtures.t0
        func a(_ dt: Int64, _ fp: String, resolved: Bool = false) -> AlertResult {
            c.classify(AlertFixtures.alert(fp == "A" ? "Replication lag on db-a is 45s" : "Slow queries on db-a",
                                           service: "db-a", metric: fp == "A" ? "lag" : "slow", t: t + dt,
                                           fingerprint: fp, resolved: resolved))
        }
        let first = a(0, "A"), b = a(30_000, "B"), again = a(60_000, "A")
        _ = a(90_000, "A", resolved: true)
        let whileB = a(120_000, "A")
        _ = a(130_000, "A", resolved: true); _ = a(150_000, "B", resolved: true)
        let reopened = a(240_000, "A"), renotified = a(270_000, "A")
        #expect(!first.suppressed && first.falsePositiveProbability < 0.5)
        #expect([b, again, whileB, reopened, renotified].allSatisfy { $0.groupId == first.groupId }, "one group throughout")
        #expect(again.suppressed && again.reason == .duplicate && !again.refiredAfterResolve)
        #expect(whileB.suppressed && !whileB.refiredAfterResolve, "B was still firing")
        #expect(!reopened.suppressed && reopened.refiredAfterResolve, "\(reopened)")
        #expect(renotified.suppressed && renotified.reason == .duplicate)
        #expect(c.statsJSON().contains("\"surfaced_refired\":1"))
        // The firing counts survive a snapshot.
        let d = try AlertFixtures.classifier()
        try c.snapshot().withUnsafeBytes { try d.restore($0) }
        #expect(d.snapshot() == c.snapshot())
        #expect(d.grouper.groups.map(\.firing) == c.grouper.groups.map(\.firing))
    }

    @Test func aMoreUrgentAlertRepagesUpToTheConfiguredPriority() throws {
        // One service, one group: an info alert (P3) pages first; a more urgent one (P2) of another rule,
        // then a critical one (P1), follow. Each more urgent alert than the group has paged for is
        // surfaced only when its priority is at most classifier.repage_priority.
        func run(_ repage: String) throws -> [AlertResult] {
            let c = try AlertFixtures.classifier([("classifier.repage_priority", repage), ("classifier.new_root_confidence", "1")])
            let t = AlertFixtures.t0
            return [
                c.classify(AlertFixtures.alert("Slow queries on checkout", service: "checkout", metric: "slow", severity: "info", fingerprint: "a")),
                c.classify(AlertFixtures.alert("Slow queries on checkout", service: "checkout", metric: "slow2", severity: "high",
                                               t: t + 30_000, fingerprint: "b")),
                c.classify(AlertFixtures.alert("Slow queries on checkout", service: "checkout", metric: "slow3", severity: "critical",
                                               t: t + 60_000, fingerprint: "c")),
            ]
        }
        let any = try run("4")
        #expect(any.allSatisfy { $0.groupId == any[0].groupId }, "one group")
        #expect(any[0].priority > any[1].priority && any[1].priority > any[2].priority, "\(any.map(\.priority))")
        #expect(any.allSatisfy { !$0.suppressed }, "every upgrade re-pages at 4")
        for level in 0...3 {
            let r = try run(String(level))
            #expect(!r[0].suppressed)
            #expect(r[1].suppressed == (r[1].priority > level), "P\(r[1].priority) at repage \(level)")
            #expect(r[1].suppressed ? r[1].reason == .duplicate : true)
            // The best surfaced priority is the first alert's, or the second's if it re-paged.
            let best = r[1].suppressed ? r[0].priority : r[1].priority
            #expect(r[2].suppressed == (r[2].priority >= best || r[2].priority > level), "P\(r[2].priority) at repage \(level)")
        }
    }

    @Test func aServiceWorseThanItWasPagedForRepages() throws {
        // A P1 page at db; web (which depends on db) pages a P3 symptom as a new root (any
        // new service is one at confidence 0). A P2 alert at web then re-pages (web got worse,
        // though the group has paged P1), a P3 one after it folds; off, the P2 one folds too.
        func run(_ perService: String) throws -> (AlertClassifier, [AlertResult]) {
            let c = try AlertFixtures.classifier([("classifier.repage_per_service", perService), ("classifier.new_root_confidence", "0")])
            let t = AlertFixtures.t0
            let web = [("depends_on", "db")]
            let r = [
                c.classify(AlertFixtures.alert("Deadlocks on db", service: "db", metric: "deadlocks", severity: "critical", value: 16, fingerprint: "d")),
                c.classify(AlertFixtures.alert("Slow pages on web", service: "web", metric: "slow", severity: "info", t: t + 20_000,
                                               labels: web, fingerprint: "w1")),
                c.classify(AlertFixtures.alert("Slow pages on web", service: "web", metric: "slow2", severity: "high", t: t + 40_000,
                                               labels: web, fingerprint: "w2")),
                c.classify(AlertFixtures.alert("Slow pages on web", service: "web", metric: "slow3", severity: "info", t: t + 60_000,
                                               labels: web, fingerprint: "w3")),
            ]
            return (c, r)
        }
        let (c, on) = try run("true")
        #expect(on.allSatisfy { $0.groupId == on[0].groupId }, "one group")
        #expect(on[0].priority < on[2].priority && on[2].priority < on[1].priority, "\(on.map(\.priority))")
        #expect(!on[0].suppressed && !on[1].suppressed && on[1].newRootInGroup)
        #expect(!on[2].suppressed && on[2].repagedAtService, "\(on[2])")
        #expect(on[3].suppressed && on[3].reason == .duplicate && !on[3].repagedAtService)
        #expect(c.statsJSON().contains("\"surfaced_service_upgrade\":1"))
        #expect(c.resultJSON(on[2], alertId: "w2").contains("\"repaged_at_service\":true"))
        // The priorities per service survive a snapshot.
        let d = try AlertFixtures.classifier([("classifier.new_root_confidence", "0")])
        try c.snapshot().withUnsafeBytes { try d.restore($0) }
        #expect(d.snapshot() == c.snapshot())
        #expect(d.grouper.groups.map(\.servicePriorities) == c.grouper.groups.map(\.servicePriorities))
        let (_, off) = try run("false")
        #expect(off[2].suppressed && off[2].reason == .duplicate && !off[2].repagedAtService)
    }

    @Test func aNearCertainFalsePositiveKeepsToAGroupOfItsOwn() throws {
        // After feedback that synthetic-probe failures are false positives, one at a store in an
        // incident does not join the incident's group (isolation on) or does (off); a real
        // symptom after it still joins the incident, and the probe's re-notification stays in
        // the probe's own group.
        func run(_ threshold: String) throws -> (AlertClassifier, [AlertResult]) {
            let c = try AlertFixtures.classifier([("classifier.isolate_fp_threshold", threshold)])
            let t = AlertFixtures.t0
            var fb = AlertFeedback()
            fb.falsePositive = true
            for i in 0..<40 {
                var p = AlertFixtures.alert("Synthetic check failed for svc-\(i % 7) endpoint /health", service: "svc-\(i % 7)",
                                            metric: "probe_success", severity: "warning", t: t - 86_400_000 + Int64(i) * 600_000,
                                            value: 1.01, fingerprint: "old-probe-\(i)")
                p.sourceSystem = "synthetic-probe"
                c.learn(p, fb)
            }
            var probe = AlertFixtures.alert("Synthetic check failed for db-a endpoint /health", service: "db-a", metric: "probe_success",
                                            severity: "warning", t: t + 30_000, value: 1.01, fingerprint: "probe")
            probe.sourceSystem = "synthetic-probe"
            var renotified = probe
            renotified.timestampMs = t + 150_000
            return (c, [
                c.classify(AlertFixtures.alert("Deadlock detected in db-a transaction", service: "db-a", metric: "db_deadlocks", fingerprint: "root")),
                c.classify(probe),
                c.classify(AlertFixtures.alert("Upstream timeouts from svc-b calling db-a", service: "svc-b", metric: "upstream_timeouts",
                                               t: t + 90_000, labels: [("depends_on", "db-a")], fingerprint: "symptom")),
                c.classify(renotified),
            ])
        }
        let (c, on) = try run("0.9"), (_, off) = try run("1")
        #expect(on[1].falsePositiveProbability >= 0.9, "\(on[1])")
        #expect(on[1].groupId != on[0].groupId && on[1].newGroup && on[1].suppressed && on[1].reason == .likelyFalsePositive)
        #expect(on[2].groupId == on[0].groupId, "the symptom should join the incident")
        #expect(on[3].groupId == on[1].groupId && on[3].suppressed)
        #expect(c.statsJSON().contains("\"groups_isolated\":1"))
        #expect(off[1].groupId == off[0].groupId && off[1].suppressed, "without isolation the probe joins the incident")
        // The isolation survives a snapshot: the restored classifier keeps others out of the probe's group.
        let d = try AlertFixtures.classifier([("classifier.isolate_fp_threshold", "0.9")])
        try c.snapshot().withUnsafeBytes { try d.restore($0) }
        #expect(d.snapshot() == c.snapshot())
        #expect(d.grouper.groups.filter(\.isolated).count == 1)
    }

    @Test func aSuppressedAlertThatKeepsFiringIsEscalated() throws {
        // A probe alert learned as a false positive many times is suppressed as one; a
        // transient one resolves and is never escalated, one still firing 10 minutes on is,
        // once; a snapshot keeps the queue.
        let c = try AlertFixtures.classifier([("classifier.escalate_persisting_s", "600")])
        let t = AlertFixtures.t0
        var fb = AlertFeedback(); fb.falsePositive = true
        func probe(_ dt: Int64, _ fp: String, resolved: Bool = false) -> AlertRecord {
            AlertFixtures.alert("Synthetic check failed for web endpoint /health", service: "web", metric: "probe_success",
                                t: t + dt, fingerprint: fp, resolved: resolved)
        }
        for i in 0..<40 {
            let dt = Int64(i) * 3_600_000 // an hour apart: no flapping, no open group
            _ = c.classify(probe(dt, "p\(i)")); c.learn(probe(dt, "p\(i)"), fb)
            _ = c.classify(probe(dt + 60_000, "p\(i)", resolved: true))
        }
        let t1: Int64 = 41 * 3_600_000
        let before = Int(c.classified)
        let transient = c.classify(probe(t1, "transient"))
        _ = c.classify(probe(t1 + 90_000, "transient", resolved: true))
        let stuck = c.classify(probe(t1 + 1_000, "stuck"))
        #expect(transient.suppressed && transient.reason == .likelyFalsePositive, "\(transient)")
        #expect(stuck.suppressed && stuck.reason == .likelyFalsePositive)
        var got: [PersistingAlert] = []
        #expect(c.dueEscalations(nowMs: t + t1 + 300_000, max: 10) { got.append($0) } == 0, "not due yet")
        let d = try AlertFixtures.classifier([("classifier.escalate_persisting_s", "600")])
        try c.snapshot().withUnsafeBytes { try d.restore($0) }
        #expect(c.dueEscalations(nowMs: t + t1 + 601_000, max: 10) { got.append($0) } == 1)
        #expect(got.count == 1 && got[0].sequence == UInt64(before + 2) && got[0].groupId == stuck.groupId
                && got[0].reason == .likelyFalsePositive && got[0].dueMs == t + t1 + 601_000, "\(got)")
        #expect(c.dueEscalations(nowMs: t + t1 + 3_600_000, max: 10) { got.append($0) } == 0, "handed out once")
        // The restored copy escalates the same alert.
        var fromSnapshot: [PersistingAlert] = []
        d.dueEscalations(nowMs: t + t1 + 601_000, max: 10) { fromSnapshot.append($0) }
        #expect(fromSnapshot == [got[0]])
        #expect(c.statsJSON().contains("\"escalated_persisting\":1"))
        // Its group now counts it as surfaced (later alerts of equal or lower urgency fold behind
        // it) and stays open from the due time.
        let g = c.grouper.groups.first { $0.id == stuck.groupId }
        #expect(g?.surfaced == 1 && g?.surfacedReal == 1 && g?.lastMs == t + t1 + 601_000)
        // Inside a maintenance window (false-positive suppression off, so that is the reason), it stays quiet.
        let m = try AlertFixtures.classifier([("classifier.escalate_persisting_s", "600"), ("classifier.fp_suppress_threshold", "1")])
        for i in 0..<40 {
            let dt = Int64(i) * 3_600_000
            _ = m.classify(probe(dt, "p\(i)")); m.learn(probe(dt, "p\(i)"), fb)
            _ = m.classify(probe(dt + 60_000, "p\(i)", resolved: true))
        }
        m.addMaintenance(service: "web", startMs: t + t1, endMs: t + t1 + 3_600_000)
        let quiet = m.classify(probe(t1 + 1_000, "stuck"))
        #expect(quiet.suppressed && quiet.reason == .maintenance, "\(quiet)")
        #expect(m.dueEscalations(nowMs: t + t1 + 700_000, max: 10) { _ in } == 0, "maintenance is not escalated")
        // Disabled (0), nothing is queued.
        let off = try AlertFixtures.classifier([("classifier.escalate_persisting_s", "0")])
        _ = off.classify(probe(0, "x"))
        #expect(off.dueEscalations(nowMs: t + 86_400_000, max: 10) { _ in } == 0)
    }

    @Test func aFoldedAlertThatOutlivesItsIncidentIsEscalated() throws {
        // A pages; B (same service, another fingerprint) folds behind it as a duplicate; A
        // resolves and B keeps firing: ten minutes after A resolved, B is due, once, and its group
        // then counts it as paged. A snapshot keeps what is waiting; B resolving first, or the
        // setting at 0, escalates nothing.
        let t = AlertFixtures.t0
        func scenario(_ settings: [(String, String)] = [], bResolvesAt: Int64? = nil) throws -> (AlertClassifier, AlertResult, UInt64) {
            let c = try AlertFixtures.classifier(settings)
            func a(_ dt: Int64, _ fp: String, resolved: Bool = false) -> AlertResult {
                c.classify(AlertFixtures.alert(fp == "A" ? "Replication lag on db-a is 45s" : "Slow queries on db-a",
                                               service: "db-a", metric: fp == "A" ? "lag" : "slow", t: t + dt,
                                               fingerprint: fp, resolved: resolved))
            }
            let first = a(0, "A")
            #expect(!first.suppressed)
            let sequenceB = c.classified
            let b = a(30_000, "B")
            _ = a(90_000, "A", resolved: true)
            if let r = bResolvesAt { _ = a(r, "B", resolved: true) }
            return (c, b, sequenceB)
        }
        let (c, b, sequenceB) = try scenario([("classifier.escalate_outlived_s", "600")])
        #expect(b.suppressed && b.reason == .duplicate && b.falsePositiveProbability < 0.5, "\(b)")
        #expect(c.grouper.groups.first { $0.id == b.groupId }?.pagedFiring == 0 && c.outlived.count == 1)
        var got: [PersistingAlert] = []
        #expect(c.dueEscalations(nowMs: t + 689_000, max: 10) { got.append($0) } == 0, "not due yet")
        let d = try AlertFixtures.classifier([("classifier.escalate_outlived_s", "600")])
        try c.snapshot().withUnsafeBytes { try d.restore($0) }
        #expect(d.snapshot() == c.snapshot())
        #expect(c.dueEscalations(nowMs: t + 690_000, max: 10) { got.append($0) } == 1)
        #expect(got.count == 1 && got[0].sequence == sequenceB && got[0].groupId == b.groupId && got[0].reason == .duplicate
                && got[0].firedMs == t + 30_000 && got[0].dueMs == t + 690_000, "\(got)")
        #expect(c.dueEscalations(nowMs: t + 7_200_000, max: 10) { got.append($0) } == 0, "handed out once")
        #expect(c.statsJSON().contains("\"escalated_outlived\":1"))
        let g = c.grouper.groups.first { $0.id == b.groupId }
        #expect(g?.pagedFiring == 1 && g?.surfaced == 2 && g?.lastMs == t + 690_000)
        // The restored copy escalates the same alert.
        var fromSnapshot: [PersistingAlert] = []
        d.dueEscalations(nowMs: t + 690_000, max: 10) { fromSnapshot.append($0) }
        #expect(fromSnapshot == got)
        // B resolved before it was due: nothing. Disabled: nothing is waiting.
        let (early, _, _) = try scenario([("classifier.escalate_outlived_s", "600")], bResolvesAt: 400_000)
        #expect(early.dueEscalations(nowMs: t + 7_200_000, max: 10) { _ in } == 0)
        let (off, _, _) = try scenario([("classifier.escalate_outlived_s", "0")])
        #expect(off.outlived.count == 0 && off.dueEscalations(nowMs: t + 7_200_000, max: 10) { _ in } == 0)
        // C folds in after A (the only paged alert) resolved, while B still fires: due ten
        // minutes after C fired; B resolves before its own due time.
        let late = try AlertFixtures.classifier([("classifier.escalate_outlived_s", "600")])
        func l(_ dt: Int64, _ fp: String, _ msg: String, resolved: Bool = false) -> AlertResult {
            late.classify(AlertFixtures.alert(msg, service: "db-a", metric: fp, t: t + dt, fingerprint: fp, resolved: resolved))
        }
        _ = l(0, "A", "Replication lag on db-a is 45s"); _ = l(30_000, "B", "Slow queries on db-a")
        _ = l(90_000, "A", "Replication lag on db-a is 45s", resolved: true)
        let sequenceC = late.classified
        let cAlert = l(240_000, "C", "Slow queries on db-a: p99 query time 900ms")
        _ = l(360_000, "B", "Slow queries on db-a", resolved: true)
        #expect(cAlert.suppressed && cAlert.reason == .duplicate && cAlert.falsePositiveProbability < 0.5, "\(cAlert)")
        var lateGot: [PersistingAlert] = []
        #expect(late.dueEscalations(nowMs: t + 839_000, max: 10) { lateGot.append($0) } == 0)
        #expect(late.dueEscalations(nowMs: t + 840_000, max: 10) { lateGot.append($0) } == 1)
        #expect(lateGot.first?.sequence == sequenceC && lateGot.first?.dueMs == t + 840_000, "\(lateGot)")
    }

    @Test func aGeneratedFingerprintIsOneAlertAtATime() throws {
        // While a fingerprint fires, each of its notifications belongs to one incident (a second
        // failure raising it adds no alert of its own), so every incident has an alert of its own.
        for seed: UInt64 in [3, 21] {
            var firing: [String: String] = [:]
            var own = Set<String>(), seen = Set<String>()
            for case .alert(let a) in AlertFixtures.stream(6000, seed: seed) {
                if a.resolved { firing[a.fingerprint] = nil; continue }
                let incident = a.incidentId ?? ""
                seen.insert(incident)
                if let current = firing[a.fingerprint] {
                    #expect(current == incident, "seed \(seed): \(a.alertId) re-notifies \(a.fingerprint) firing for \(current)")
                } else {
                    firing[a.fingerprint] = incident
                    own.insert(incident)
                }
            }
            #expect(own == seen && seen.count > 1000)
        }
    }

    @Test func realIncidentsMergedIntoPagedGroupsStillSurface() throws {
        // On a generated stream, real incidents whose alerts all land in a group that already paged
        // for another incident: fewer with new roots surfaced than with the rule disabled.
        let events = AlertFixtures.stream(8000, seed: 21)
        let on = Self.unsurfacedRealIncidents(AlertFixtures.run(try AlertFixtures.classifier(), events))
        let off = Self.unsurfacedRealIncidents(AlertFixtures.run(try AlertFixtures.classifier([("classifier.new_root_confidence", "1")]), events))
        print("unsurfaced real incidents: \(on) with new roots surfaced, \(off) without")
        #expect(on < off, "new roots: \(on) unsurfaced real incidents, disabled: \(off)")
    }

    @Test func snapshotRoundTripContinuesIdentically() throws {
        let events = AlertFixtures.stream(1200, seed: 3)
        let half = events.count / 2
        let a = try AlertFixtures.classifier()
        _ = AlertFixtures.run(a, Array(events[..<half]))
        let snap = a.snapshot()
        let b = try AlertFixtures.classifier()
        try snap.withUnsafeBytes { try b.restore($0) }
        let ra = AlertFixtures.run(a, Array(events[half...])), rb = AlertFixtures.run(b, Array(events[half...]))
        #expect(ra.count == rb.count)
        #expect(zip(ra, rb).allSatisfy { $0.1 == $1.1 })
        if let k = (0..<min(ra.count, rb.count)).first(where: { ra[$0].1 != rb[$0].1 }) {
            print("DEBUG first diff \(k) of \(ra.count): \(ra[k].0.message) | \(ra[k].1) | \(rb[k].1)")
        }
        let sa = a.snapshot(), sb = b.snapshot()
        if let k = zip(sa, sb).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset { print("DEBUG snapshot diff at \(k) of \(sa.count)") }
        #expect(sa == sb)
        // Corrupt snapshots fail and leave the engine as it was.
        var bad = snap
        bad[bad.count / 2] ^= 0x55
        let before = b.snapshot()
        #expect(throws: SMONError.self) { try bad.withUnsafeBytes { try b.restore($0) } }
        #expect(b.snapshot() == before)
        let other = try AlertFixtures.classifier([("classifier.hash_bits", "12")])
        #expect(throws: SMONError.self) { try snap.withUnsafeBytes { try other.restore($0) } }
    }

    @Test func snapshotsKeepTheAnnouncedWindows() throws {
        let t = AlertFixtures.t0
        let a = try AlertFixtures.classifier()
        a.addMaintenance(service: "db", startMs: t, endMs: t + 3_600_000)
        a.context.addDeployment(.init(service: "web", startMs: t, endMs: t + 3_600_000)); a.deploymentsChanged()
        let b = try AlertFixtures.classifier()
        try a.snapshot().withUnsafeBytes { try b.restore($0) }
        #expect(b.context.allDeployments == a.context.allDeployments)
        for c in [a, b] {
            let inMaintenance = c.classify(AlertFixtures.alert("Replica lag", service: "db", t: t + 60_000))
            let inDeployment = c.classify(AlertFixtures.alert("Pod restarted", service: "web", t: t + 60_000))
            #expect(inMaintenance.maintenance && inDeployment.deployment)
        }
        #expect(a.snapshot() == b.snapshot())
    }

    @Test func escalationFollowsPriorityAndLearnedResponse() throws {
        let c = try AlertFixtures.classifier()
        let r = c.classify(AlertFixtures.alert("payment checkout failures", service: "payments", metric: "payment_errors",
                                               severity: "critical", value: 50, threshold: 1))
        #expect(r.priority == 1 && r.escalationLevels == 3 && r.escalateLevel2Minutes == 5)
        let json = c.resultJSON(r, alertId: "x")
        let v = try JSONValue.parse(json)
        #expect(v["escalation"]?["path"] == .array([.string("sre-oncall"), .string("sre-secondary"), .string("incident-commander")]))
        for k in ["alert_id", "alert_class", "priority", "priority_score", "recommended_team", "false_positive_probability",
                  "group_id", "suppressed", "escalation"] { #expect(v[k] != nil, "missing \(k)") }
    }

    @Test func configRejectsBadValues() {
        var c = Configuration()
        #expect(throws: SMONError.self) { try c.set("classifier.sla_ack_minutes", "1,2,3") }
        #expect(throws: SMONError.self) { try c.set("classifier.class_rules", "=x") }
        #expect(throws: SMONError.self) { try c.set("classifier.ownership_rules", "a=") }
        #expect(throws: SMONError.self) { try c.set("classifier.default_team", "") }
        #expect(throws: SMONError.self) { try c.set("classifier.maintenance_windows", "db@5-1") }
        #expect(throws: SMONError.self) { try c.set("classifier.deployment_suppress_priority", "0") }
        #expect(throws: SMONError.self) { try c.set("classifier.deployment_suppress_priority", "6") }
    }
}

@Suite("Alert feature hashing")
struct AlertHashingTests {
    @Test func labelKeyLiteralsMatchTheirHashes() {
        let pairs: [(String, UInt64)] = [("team", Keys.team), ("owner", Keys.owner), ("service", Keys.service), ("app", Keys.app),
            ("severity", Keys.severity), ("alertname", Keys.alertname), ("depends_on", Keys.dependsOn), ("instance", Keys.instance),
            ("pod", Keys.pod), ("maintenance", Keys.maintenance), ("silenced", Keys.silenced), ("cluster", Keys.cluster),
            ("namespace", Keys.namespace), ("region", Keys.region), ("datacenter", Keys.datacenter), ("dc", Keys.dc)]
        for (name, h) in pairs { #expect(FeatureHash.text(.label, name) == h, "\(name)") }
        #expect(FeatureHash.text(.label, "TEAM") == Keys.team)
    }

    /// The simplest statement of `WordHash`: bytes packed little-endian into zero-padded words.
    static func referenceHash(_ bytes: [UInt8], seed: UInt64, lowercased: Bool) -> UInt64 {
        var h = seed
        var i = 0
        while i < bytes.count {
            var w: UInt64 = 0
            for j in 0..<min(8, bytes.count - i) {
                var b = bytes[i + j]
                if lowercased && b >= 0x41 && b <= 0x5A { b |= 0x20 }
                w |= UInt64(b) << UInt64(8 * j)
            }
            h = WordHash.step(h, w)
            i += 8
        }
        return WordHash.step(h, UInt64(bytes.count))
    }

    @Test func wordHashMatchesItsReferenceWhateverItMayRead() {
        var rng = Xoshiro256(seed: 11)
        let alphabet = Array("aZ09 =,-_.|\u{7F}".utf8) + [0x80, 0xC3, 0xFF, 0x40, 0x5B, 0x60, 0x7B]
        for _ in 0..<2_000 {
            let n = Int.random(in: 0...40, using: &rng), pad = Int.random(in: 0...12, using: &rng)
            let bytes = (0..<(n + pad)).map { _ in alphabet.randomElement(using: &rng)! }
            let lower = Bool.random(using: &rng)
            let want = Self.referenceHash(Array(bytes[0..<n]), seed: 42, lowercased: lower)
            bytes.withUnsafeBytes { b in
                for readable in [n, n + pad] {
                    let got = WordHash.hash(b.baseAddress!, count: n, readable: readable, seed: 42, lowercased: lower)
                    #expect(got == want, "n \(n) readable \(readable)")
                }
            }
        }
        #expect(WordHash.hash("Disk FULL", lowercased: true) == WordHash.hash("disk full", lowercased: true))
        #expect(WordHash.hash("Disk FULL") != WordHash.hash("disk full"))
    }

    @Test func labelScannerFindsTheSamePairsAsForEachLabel() {
        var rng = Xoshiro256(seed: 12)
        let pieces = ["team", "Service", "cluster", "depends_on", "instance", "x", "A b", " ", "=", ",", "prod-eu-1", "", "v=w", "  k  "]
        let f = AlertFeaturizer(ngram: 3, maxTextBytes: 512)
        let x = FeatureBuffer(capacity: AlertFeaturizer.capacity, bits: 20)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...14, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            Array(text.utf8).withUnsafeBytes { b in
                var a = AlertView(); a.labels = b
                var info = LabelInfo()
                x.reset()
                f.labels(a, into: x, info: &info)
                // The expected features: each pair's hash seeded by its key's, topology keys left out.
                var want: [Int32] = []
                var service = ""
                Bytes.forEachLabel(a.labels) { k, v in
                    let hk = FeatureHash.bytes(.label, k)
                    let hv = WordHash.hash(v, seed: hk ^ 0x3D, lowercased: true)
                    if hk != Keys.dependsOn && hk != Keys.instance && hk != Keys.pod { want.append(x.row(hv)) }
                    if hk == Keys.service { service = Bytes.string(v) }
                }
                #expect(Array(UnsafeBufferPointer(start: x.index, count: x.count)) == want, "\(text)")
                #expect(Bytes.string(info.service) == service, "\(text)")
            }
        }
    }

    @Test func wordsFoundByBitScansMatchAByteByByteSplit() {
        var rng = Xoshiro256(seed: 13)
        let pieces = ["Disk", "FULL", "on", "ip-10-0-1-2", "204ms", "42", "007", " ", "  ", ",", ":", "é", "\u{7F}", "x", "_", "Ünïcode"]
        let f = AlertFeaturizer(ngram: 3, maxTextBytes: 512)
        let x = FeatureBuffer(capacity: AlertFeaturizer.capacity, bits: 20, textBytes: 512)
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8.prefix(512))
            // The plain definition: split at non-word bytes, numbers bucketed, bigrams of consecutive words.
            var want: [Int32] = [], prev: UInt64 = 0, words = 0, i = 0
            while i < bytes.count && words < AlertFeaturizer.maxWords {
                guard FeatureHash.isWordByte(bytes[i]) else { i += 1; continue }
                var j = i
                while j < bytes.count && FeatureHash.isWordByte(bytes[j]) { j += 1 }
                let w = Array(bytes[i..<j])
                words += 1
                if w.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { want.append(x.row(FeatureHash.bucket(.word, -1))) } else {
                    let h = w.withUnsafeBytes { FeatureHash.bytes(.word, $0) }
                    want.append(x.row(h))
                    if prev != 0 { want.append(x.row(FeatureHash.mix(prev &* 31 ^ h ^ FeatureHash.start(.bigram)))) }
                    prev = h
                }
                i = j
            }
            if words == 0 { want.append(x.row(FeatureHash.bucket(.word, -2))) }
            var r = AlertRecord(); r.message = text
            x.reset()
            r.withView { _ = f.text($0, into: x) }
            #expect(Array(UnsafeBufferPointer(start: x.index, count: want.count)) == want, "\(text)")
            #expect(x.count - want.count == (bytes.count >= 3 ? min(bytes.count - 2, AlertFeaturizer.maxNgrams) : 0), "\(text)")
        }
    }

    /// The label, message and metric-name caches replay exactly the features the featurizer
    /// computes afresh (explain mode bypasses every cache), on a miss and on a hit.
    @Test func replayedFeaturesAreTheFeaturesComputedAfresh() throws {
        let c = try AlertFixtures.classifier()
        func features(_ a: AlertView, explain: Bool) -> [Int32: Float] {
            c.x.names = explain ? [] : nil
            var info = LabelInfo()
            c.beginFeatures(a, &info)
            _ = c.finishFeatures(a, info, HistoryStats(), ContextFlags(), a.timestampMs)
            var m: [Int32: Float] = [:]
            for i in 0..<c.x.count { m[c.x.index[i], default: 0] += c.x.value[i] }
            return m
        }
        var checked = 0
        for case .alert(let r) in AlertFixtures.stream(1500) {
            r.withView { a in
                let first = features(a, explain: false), again = features(a, explain: false)
                let fresh = features(a, explain: true)
                #expect(first == fresh && again == fresh, "alert \(r.alertId)")
            }
            checked += 1
        }
        c.x.names = nil
        #expect(checked > 1000)
    }

    @Test func hugeMessagesCostTheSameFeatures() {
        let f = AlertFeaturizer(ngram: 3, maxTextBytes: 512)
        let x = FeatureBuffer(capacity: AlertFeaturizer.capacity, bits: 12, textBytes: 512)
        var r = AlertRecord(); r.message = String(repeating: "word ", count: 300_000)
        r.withView { _ = f.text($0, into: x) }
        #expect(x.count == AlertFeaturizer.maxWords * 2 - 1 + AlertFeaturizer.maxNgrams)
        #expect(x.count <= AlertFeaturizer.maxWords * 2 + AlertFeaturizer.maxNgrams + 2)
    }
}
