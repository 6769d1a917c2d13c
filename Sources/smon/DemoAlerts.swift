import SpotifyMonCore

/// The alert classifier's part of `smon demo`: streams a generated, labeled alert stream
/// (services, teams, cascading incidents, flapping and noise) through a fresh classifier,
/// predicting each alert before learning its labels, and summarises what happened.
enum AlertsDemo {
    static func run(progress: (Double) -> Void) throws -> [String] {
        var g = AlertStreamGenerator(seed: 2026)
        let events = g.generate(alerts: 20_000)
        let c = try AlertClassifier(config: Configuration())
        var n = 0, cls = 0, team = 0, surfaced = 0, escalated = 0
        var incidentBySequence: [String] = [] // per classify call, for the escalations' sequence numbers
        var incidents = Set<String>(), covered = Set<String>(), realIncidents = Set<String>()
        let t0 = Clock.nanos()
        for (i, e) in events.enumerated() {
            if i % 2000 == 0 { progress(Double(i) / Double(events.count)) }
            switch e {
            case .deployment(let s, let a, let b):
                c.addDeployment(service: s, startMs: a, endMs: b)
            case .maintenance(let s, let a, let b): c.addMaintenance(service: s, startMs: a, endMs: b)
            case .alert(let r):
                // Suppressed alerts still firing 10 minutes on (or 10 minutes after their group's
                // paged alerts resolved) are paged late: they cover their incident.
                var late: [UInt64] = []
                c.dueEscalations(nowMs: r.timestampMs, max: .max) { late.append($0.sequence) }
                for q in late where q < UInt64(incidentBySequence.count) {
                    escalated += 1; surfaced += 1; covered.insert(incidentBySequence[Int(q)])
                }
                incidentBySequence.append(r.incidentId ?? "")
                let res = c.classify(r)
                guard !r.resolved else { continue }
                n += 1
                if c.className(res.alertClass) == r.feedback.trueClass { cls += 1 }
                if c.teamName(res.team) == r.feedback.team { team += 1 }
                let inc = r.incidentId ?? ""
                incidents.insert(inc)
                if inc.hasPrefix("inc-") { realIncidents.insert(inc) } // the generator's clean truth (labels are noisy)
                if !res.suppressed { surfaced += 1; covered.insert(inc) }
                c.learn(r, r.feedback)
            }
        }
        progress(1)
        let secs = Double(Clock.nanos() - t0) / 1e9
        let stats = try JSONValue.parse(c.statsJSON())
        let missed = realIncidents.subtracting(covered).count
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : format1(100 * Double(a) / Double(b)) + "%" }
        return [
            "alerts: \(n) firing alerts from \(incidents.count) incidents (\(realIncidents.count) real), predicted then learned (prequential), \(Int(Double(events.count) / secs)) events/s incl. learning",
            "class accuracy \(pct(cls, n)), team routing accuracy \(pct(team, n)) (\(c.teamNames.count) teams, \(c.classNames.count) classes)",
            "surfaced \(surfaced) of \(n) alerts (\(pct(n - surfaced, n)) suppressed): \(String(format1(Double(surfaced) / Double(max(realIncidents.count, 1))))) surfaced per real incident",
            "real incidents left without a surfaced alert: \(missed) of \(realIncidents.count) (\(escalated) suppressed alerts escalated later as still firing)",
            "suppressed by reason: " + (stats["suppressed_by_reason"].map { v -> String in
                if case .object(let m) = v { return m.map { "\($0.0)=\($0.1.text ?? "")" }.joined(separator: ", ") }
                return ""
            } ?? ""),
            "groups opened: \(stats["groups"]?.text ?? "?"); SLA breaches reported: \(stats["sla"]?["breaches"]?.text ?? "?"), at risk: \(stats["sla"]?["at_risk"]?.text ?? "?")",
        ]
    }

    static func format1(_ x: Double) -> String {
        let v = Int((x * 100).rounded())
        return "\(v / 100).\(String(format2(v % 100)))"
    }

    static func format2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
