/// A realistic labeled alert stream, generated from a seed, for the demo, the tests and the
/// evaluation (`smon classify --generate N --seed S` writes it as JSONL).
///
/// The world: 28 services owned by 9 teams, wired by a dependency topology (edge → product
/// services → data stores and infrastructure). Over simulated days:
/// - **Incidents** start at a root service (rate ×2 at peak hours 18–22) with a root-cause
///   class that fits the service (databases: database/capacity; infrastructure:
///   infrastructure/network/capacity; product services: application/capacity/security;
///   deployments: deployment). The root fires 1–3 alerts; the incident **cascades** to
///   services that depend on the root (1–2 hops, each with probability 0.65) whose alerts
///   describe symptoms (latency, upstream timeouts, error rates), sometimes naming the root.
///   Alerts re-notify while the incident lasts and send `resolved` at the end. A fingerprint
///   is one alert: a failure that would raise a fingerprint already firing (for another incident,
///   or twice in one incident) adds no alert, as in Alertmanager.
/// - **Incident identity**: a failure of the same cause at a service whose incident of that
///   cause is still going on is that incident, and so is one whose root alert is an alert already
///   firing for another incident (its failure shows only through that alert).
/// - **False positives**: flapping fingerprints (bursts of short fire/resolve cycles near the
///   threshold), transient spikes, synthetic-probe failures, noisy restarts during
///   deployments, and alerts during **maintenance windows**; a quarter of them borrow the
///   wording of real incidents.
/// - **Deployments** (several per day, 20 min) are announced as events; 25% of them cause
///   a deployment incident.
/// - **Labels**: `team` on 70% of alerts (10% of those stale: the previous owner),
///   `depends_on` topology, `cluster`/`namespace`, `instance`; **label noise**: 5% of class
///   and team truths are replaced at random.
/// - Truth per alert: `label_class` (the incident's root cause), `label_team` (the root's
///   owner, who resolves it), `label_false_positive`, `label_priority` (from impact, severity,
///   peak hours), `incident_id`, and response times (`time_to_ack_s`, `time_to_resolve_s`)
///   from per-team speeds.
public struct AlertStreamGenerator {
    /// One item of the stream.
    public enum Event {
        /// An alert with its truth.
        case alert(AlertRecord)
        /// A deployment window announcement.
        case deployment(service: String, startMs: Int64, endMs: Int64)
        /// A maintenance window announcement.
        case maintenance(service: String, startMs: Int64, endMs: Int64)

        /// Its time, ms.
        public var timeMs: Int64 {
            switch self {
            case .alert(let a): return a.timestampMs
            case .deployment(_, let s, _), .maintenance(_, let s, _): return s
            }
        }
    }

    struct Service {
        let name: String, team: String, kind: Kind, deps: [Int], impact: Double
        enum Kind { case edge, product, data, infra }
    }

    /// Root-cause classes.
    public static let classes = ["infrastructure", "application", "database", "network", "security", "capacity", "deployment"]

    let services: [Service]
    var dependents: [[Int]]
    var rng: Xoshiro256
    var events: [Event] = []
    var incidentCounter = 0
    /// Per fingerprint, the firing episodes emitted so far (first notification, resolution), ms.
    var episodes: [String: [(start: Int64, end: Int64, incident: String)]] = [:]
    /// Per root service, the last incident rooted there: its id, cause and end, ms.
    var ongoing: [Int: (id: String, cls: String, endMs: Int64)] = [:]
    /// Incidents folded into an earlier one (their root alert was one already firing for it).
    var mergedInto: [String: String] = [:]
    let start: Int64 = 1_793_491_200_000 // 2026-11-01T00:00:00Z
    let teamSpeed: [String: Double]
    let previousOwner: [String: String]

    /// A generator with a seed.
    public init(seed: UInt64) {
        rng = Xoshiro256(seed: seed)
        func s(_ n: String, _ t: String, _ k: Service.Kind, _ d: [Int], _ i: Double) -> Service {
            Service(name: n, team: t, kind: k, deps: d, impact: i)
        }
        // Indices: 0-5 infra/data, 6-10 data, 11-23 product, 24-27 edge.
        services = [
            s("k8s-nodes", "platform", .infra, [], 0.5), s("dns", "netops", .infra, [], 0.6),
            s("loadbalancer", "netops", .infra, [1], 0.7), s("kafka-events", "platform", .infra, [0], 0.5),
            s("object-storage", "platform", .infra, [0], 0.5), s("vault", "identity", .infra, [0], 0.6),
            s("postgres-payments", "data", .data, [0], 0.9), s("postgres-users", "data", .data, [0], 0.7),
            s("cassandra-playlists", "data", .data, [0], 0.6), s("redis-cache", "data", .data, [0], 0.5),
            s("elasticsearch-catalog", "data", .data, [0], 0.5),
            s("payments", "payments", .product, [6, 5, 1], 1.0), s("checkout", "payments", .product, [11, 9, 1], 1.0),
            s("subscriptions", "payments", .product, [11, 7], 0.9), s("auth", "identity", .product, [7, 5, 9], 0.9),
            s("user-profile", "identity", .product, [7, 9], 0.6), s("playback", "streaming", .product, [4, 9, 14], 0.9),
            s("audio-cdn", "streaming", .product, [4, 2], 0.9), s("search", "discovery", .product, [10, 9], 0.7),
            s("recommendations", "discovery", .product, [8, 3, 9], 0.6), s("playlists", "discovery", .product, [8, 14], 0.6),
            s("ad-server", "growth", .product, [3, 9], 0.7), s("notifications", "growth", .product, [3, 15], 0.4),
            s("catalog", "discovery", .product, [10, 4], 0.6),
            s("api-gateway", "edge", .edge, [2, 14, 16, 18, 20, 11], 0.9), s("web-player", "edge", .edge, [24, 17], 0.9),
            s("mobile-bff", "edge", .edge, [24, 19, 13], 0.8), s("partner-api", "edge", .edge, [24, 21, 23], 0.5),
        ]
        dependents = Array(repeating: [], count: services.count)
        for (i, svc) in services.enumerated() { for d in svc.deps { dependents[d].append(i) } }
        teamSpeed = ["platform": 1.0, "netops": 0.8, "data": 1.3, "payments": 0.6, "identity": 1.0, "streaming": 0.7,
                     "discovery": 1.6, "growth": 2.0, "edge": 0.9]
        previousOwner = ["platform": "netops", "netops": "platform", "data": "platform", "payments": "growth", "identity": "payments",
                         "streaming": "edge", "discovery": "growth", "growth": "discovery", "edge": "streaming"]
    }

    /// Production clusters (an incident stays in one).
    static let clusters = ["prod-eu-1", "prod-us-1", "prod-ap-1"]

    /// The teams of the generated world.
    public static let teams = ["platform", "netops", "data", "payments", "identity", "streaming", "discovery", "growth", "edge"]

    mutating func u() -> Double { rng.nextUnit() }
    /// Uniform in [0, n) (own modulo draw, so generated streams stay identical whatever Numerics does).
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
    mutating func chance(_ p: Double) -> Bool { u() < p }
    mutating func logNormal(_ median: Double, _ sigma: Double) -> Double { median * _exp(sigma * rng.nextGaussian()) }

    static func isPeak(_ t: Int64) -> Bool { let h = Int((t / 3_600_000) % 24); return h >= 18 && h < 22 }

    struct Template { let metric: String, text: String, unit: String, threshold: Double }

    static let rootTemplates: [String: [Template]] = [
        "database": [
            Template(metric: "pg_replication_lag_seconds", text: "Replication lag on {svc} is {v}s", unit: "s", threshold: 30),
            Template(metric: "db_connections_used_ratio", text: "Connection pool exhausted on {svc}: too many connections", unit: "", threshold: 0.9),
            Template(metric: "db_query_duration_p99_ms", text: "Slow queries on {svc}: p99 query time {v}ms", unit: "ms", threshold: 500),
            Template(metric: "db_deadlocks_total", text: "Deadlock detected in {svc} transaction", unit: "", threshold: 1),
        ],
        "capacity": [
            Template(metric: "node_disk_used_percent", text: "Disk almost full on {host}: {v}% used", unit: "%", threshold: 85),
            Template(metric: "container_memory_working_set_ratio", text: "Memory usage high on {svc} pod {pod}", unit: "", threshold: 0.9),
            Template(metric: "cpu_utilization_percent", text: "CPU saturation on {svc}: {v}% for 10m", unit: "%", threshold: 90),
            Template(metric: "kube_pod_oomkilled", text: "OOMKilled container in {svc}, heap exhausted", unit: "", threshold: 1),
        ],
        "network": [
            Template(metric: "net_packet_loss_ratio", text: "Packet loss between {svc} and {dep}", unit: "", threshold: 0.01),
            Template(metric: "dns_lookup_failures_total", text: "DNS resolution failures for {svc}", unit: "", threshold: 10),
            Template(metric: "tcp_retransmits_rate", text: "TCP retransmits high on {host}", unit: "", threshold: 100),
            Template(metric: "lb_unhealthy_backends", text: "Load balancer reports unhealthy backends for {svc}", unit: "", threshold: 1),
        ],
        "infrastructure": [
            Template(metric: "kube_node_not_ready", text: "Node {host} not ready, kubelet unresponsive", unit: "", threshold: 1),
            Template(metric: "node_hardware_errors", text: "Hardware error on host {host}: ECC memory fault", unit: "", threshold: 1),
            Template(metric: "volume_attach_failures", text: "Volume attach failure for {svc} on {host}", unit: "", threshold: 1),
            Template(metric: "kernel_hung_tasks", text: "Kernel hung tasks on {host}", unit: "", threshold: 1),
        ],
        "application": [
            Template(metric: "app_exceptions_rate", text: "Exception rate spike in {svc}: NullPointerException in handler", unit: "/s", threshold: 5),
            Template(metric: "http_5xx_ratio", text: "{svc} returning 5xx errors: {v}% of requests", unit: "%", threshold: 2),
            Template(metric: "worker_panics_total", text: "Panic in {svc} worker goroutine", unit: "", threshold: 1),
            Template(metric: "failed_jobs_total", text: "Failed jobs in {svc} batch processor", unit: "", threshold: 10),
        ],
        "security": [
            Template(metric: "auth_failed_logins_rate", text: "Brute force login attempts against {svc}", unit: "/s", threshold: 50),
            Template(metric: "tls_cert_expiry_days", text: "TLS certificate for {svc} expires soon", unit: "d", threshold: 7),
            Template(metric: "unauthorized_requests_rate", text: "Unauthorized access spike on {svc}: 401 and 403 responses", unit: "/s", threshold: 20),
            Template(metric: "fraud_score_alerts", text: "Fraud detection flagged suspicious transactions on {svc}", unit: "", threshold: 5),
        ],
        "deployment": [
            Template(metric: "kube_pod_crashlooping", text: "CrashLoopBackOff for {svc} after rollout {ver}", unit: "", threshold: 1),
            Template(metric: "canary_health_failures", text: "Canary {ver} of {svc} failing health checks", unit: "", threshold: 1),
            Template(metric: "http_5xx_ratio", text: "Error rate up after release {ver} of {svc}", unit: "%", threshold: 2),
            Template(metric: "image_pull_failures", text: "Image pull failure for {svc}:{ver}", unit: "", threshold: 1),
        ],
    ]

    static let symptomTemplates: [Template] = [
        Template(metric: "http_request_duration_p99_ms", text: "High latency on {svc}: p99 {v}ms", unit: "ms", threshold: 800),
        Template(metric: "upstream_timeouts_total", text: "Upstream timeouts from {svc} calling {dep}", unit: "", threshold: 20),
        Template(metric: "http_5xx_ratio", text: "{svc} error rate {v}% above threshold", unit: "%", threshold: 2),
        Template(metric: "request_queue_depth", text: "Request queue backing up in {svc}", unit: "", threshold: 1000),
        Template(metric: "circuit_breaker_open", text: "Circuit breaker open in {svc} for {dep}", unit: "", threshold: 1),
    ]

    static let noiseTemplates: [Template] = [
        Template(metric: "cpu_utilization_percent", text: "CPU spike on {svc}: {v}%", unit: "%", threshold: 90),
        Template(metric: "http_request_duration_p99_ms", text: "Latency blip on {svc}: p99 {v}ms", unit: "ms", threshold: 800),
        Template(metric: "probe_success", text: "Synthetic check failed for {svc} endpoint /health", unit: "", threshold: 1),
        Template(metric: "kube_pod_container_restarts", text: "Container restarted in {svc} pod {pod}", unit: "", threshold: 1),
        Template(metric: "readiness_probe_failures", text: "Readiness probe failed for {svc} pod {pod}", unit: "", threshold: 1),
        Template(metric: "gc_pause_ms", text: "Long GC pause in {svc}: {v}ms", unit: "ms", threshold: 200),
    ]

    static func noiseClass(_ metric: String) -> String {
        if metric.contains("cpu") || metric.contains("gc_") { return "capacity" }
        if metric.contains("duration") || metric.contains("probe_success") { return "network" }
        return "application"
    }

    mutating func render(_ tpl: Template, svc: Int, dep: Int?, ratio: Double, ver: String) -> (String, Double, Double) {
        let v = tpl.threshold * ratio
        let vText = v >= 100 ? String(Int(v)) : String(Int((v * 10).rounded())) .insertingDecimal
        var s = tpl.text
        s = s.replacing("{svc}", with: services[svc].name)
        s = s.replacing("{dep}", with: dep.map { services[$0].name } ?? "backend")
        s = s.replacing("{v}", with: vText)
        s = s.replacing("{host}", with: "ip-10-0-\(below(64))-\(below(250))")
        s = s.replacing("{pod}", with: services[svc].name + "-" + String(rng.next() % 0xFFFFF, radix: 16))
        s = s.replacing("{ver}", with: ver)
        return (s, v, tpl.threshold)
    }

    mutating func labels(svc: Int, team: String?, cluster: String) -> [(String, String)] {
        let sv = services[svc]
        var l: [(String, String)] = [("service", sv.name)]
        if let team {
            l.append(("team", chance(0.1) ? (previousOwner[team] ?? team) : team))
        }
        if !sv.deps.isEmpty { l.append(("depends_on", sv.deps.map { services[$0].name }.joined(separator: "|"))) }
        l.append(("cluster", cluster))
        l.append(("namespace", sv.kind == .data || sv.kind == .infra ? "infra" : "apps"))
        l.append(("instance", "\(sv.name)-\(below(6))"))
        return l
    }

    mutating func noisy(_ truth: String, _ all: [String]) -> String { chance(0.05) ? pick(all) : truth }

    /// Emits one alert (plus re-notifications and its resolution); returns the incident whose
    /// firing episode of the same fingerprint it ran into (then nothing is emitted).
    @discardableResult
    mutating func emit(at t: Int64, svc: Int, tpl: Template, dep: Int?, ratio: Double, severity: String, source: String,
                       cls: String, team: String, fp: Bool, priority: Int, incident: String, durationMs: Int64,
                       repeats: Int, ver: String, cluster: String? = nil, extraLabels: [(String, String)] = []) -> String? {
        let (msg, v, th) = render(tpl, svc: svc, dep: dep, ratio: ratio, ver: ver)
        var r = AlertRecord()
        r.timestampMs = t
        r.sourceSystem = source
        r.metricName = tpl.metric
        r.message = msg
        r.severityRaw = severity
        r.serviceName = services[svc].name
        let cl = cluster ?? pick(Self.clusters)
        r.labels = labels(svc: svc, team: chance(0.7) ? services[svc].team : nil, cluster: cl) + extraLabels
        r.labels.append(("alertname", tpl.metric))
        r.currentValue = v; r.threshold = th
        r.fingerprint = String(FNV1a.hash(tpl.metric + "|" + services[svc].name + "|" + (dep.map { String($0) } ?? "")) & 0xFFFF_FFFF_FFFF, radix: 16)
        let speed = teamSpeed[team] ?? 1
        let ackBase = [3.0, 10, 40, 120][priority - 1] * 60
        var f = AlertFeedback()
        f.trueClass = noisy(cls, Self.classes)
        f.team = noisy(team, Self.teams)
        f.falsePositive = chance(0.03) ? !fp : fp
        f.priority = priority
        f.timeToAckSeconds = (logNormal(ackBase * speed, 0.5)).rounded()
        f.timeToResolveSeconds = max(Double(durationMs) / 1000, f.timeToAckSeconds! + logNormal(ackBase * 4 * speed, 0.6)).rounded()
        r.feedback = f
        r.incidentId = incident
        // One fingerprint is one alert: while it fires, a second failure that would raise it adds
        // no alert of its own (Alertmanager keeps notifying the one already firing). The random
        // draws are made all the same, so the rest of the stream does not depend on the collision.
        let end = t + max(durationMs, 30_000)
        let collision = episodes[r.fingerprint, default: []].first { t <= $0.end && end >= $0.start }
        var copies: [AlertRecord] = []
        for k in 0...repeats {
            var c = r
            c.timestampMs = t + Int64(k) * Int64(logNormal(240_000, 0.3))
            if c.timestampMs > t + durationMs && k > 0 { break }
            copies.append(c)
        }
        if let collision { return collision.incident }
        episodes[r.fingerprint, default: []].append((t, end, incident))
        var res = r
        res.resolved = true
        res.timestampMs = end
        copies.append(res)
        for var c in copies {
            c.alertId = "a\(events.count)"
            events.append(.alert(c))
        }
        return nil
    }

    mutating func incident(at t: Int64, root: Int, cls forced: String? = nil, ver: String = "") {
        incidentCounter += 1
        let sv = services[root]
        let cls: String
        if let forced { cls = forced } else {
            switch sv.kind {
            case .data: cls = pick(["database", "database", "database", "capacity"])
            case .infra: cls = pick(sv.name == "dns" || sv.name == "loadbalancer" ? ["network", "network", "infrastructure"]
                                        : ["infrastructure", "infrastructure", "capacity", "network"])
            case .product, .edge:
                cls = sv.name == "auth" || sv.name == "payments" ? pick(["application", "security", "capacity"])
                    : pick(["application", "application", "capacity"])
            }
        }
        // The same cause failing again at a service whose incident of that cause is still going
        // on is that incident (one problem, handled once), not an independent one.
        let id: String
        if let o = ongoing[root], o.cls == cls, t < o.endMs { id = o.id } else { id = "inc-\(incidentCounter)" }
        let peak = Self.isPeak(t)
        var priority = sv.impact >= 0.9 ? 1 : sv.impact >= 0.7 ? 2 : 3
        if peak && priority > 1 && sv.kind != .infra { priority -= 1 }
        if cls == "security" { priority = min(priority, 2) }
        let duration = Int64(logNormal(25 * 60_000, 0.6))
        if let o = ongoing[root], o.id == id { ongoing[root]!.endMs = max(o.endMs, t + duration) } else { ongoing[root] = (id, cls, t + duration) }
        let severity = priority == 1 ? "critical" : priority == 2 ? pick(["critical", "high"]) : pick(["high", "warning"])
        let tpls = Self.rootTemplates[cls]!
        let cluster = pick(Self.clusters)
        let nRoot = 1 + below(2)
        for k in 0..<nRoot {
            // A root alert already firing for another incident: this failure shows only through
            // that incident's alert, so it is part of it.
            if let other = emit(at: t + Int64(k) * 30_000 + Int64(below(30_000)), svc: root, tpl: pick(tpls), dep: sv.deps.isEmpty ? nil : pick(sv.deps),
                 ratio: 1.05 + 2 * u(), severity: severity, source: "prometheus", cls: cls, team: sv.team, fp: false,
                 priority: priority, incident: id, durationMs: duration, repeats: below(3), ver: ver, cluster: cluster),
               other != id, other.hasPrefix("inc-") {
                mergedInto[id] = other
            }
        }
        // Cascade over dependents, 1–2 hops.
        var frontier = [(root, 0)]
        var seen: Set<Int> = [root]
        while let (s, hop) = frontier.popLast() {
            guard hop < 2 else { continue }
            for d in dependents[s] where !seen.contains(d) && chance(0.65) {
                seen.insert(d)
                frontier.append((d, hop + 1))
                let delay = Int64(hop + 1) * 60_000 + Int64(below(180_000))
                let sevD = priority <= 2 ? pick(["high", "warning", "critical"]) : "warning"
                emit(at: t + delay, svc: d, tpl: pick(Self.symptomTemplates), dep: chance(0.6) ? s : pick(services[d].deps),
                     ratio: 1.05 + 1.5 * u(), severity: sevD, source: pick(["prometheus", "prometheus", "datadog"]), cls: cls,
                     team: sv.team, fp: false, priority: min(4, priority + (hop == 0 ? 0 : 1)), incident: id,
                     durationMs: max(60_000, duration - delay), repeats: below(2), ver: ver, cluster: cluster)
            }
        }
    }

    mutating func noise(at t: Int64, svc: Int, inMaintenance: Bool = false, deploying: Bool = false) {
        incidentCounter += 1
        let id = "noise-\(incidentCounter)"
        var tpl = pick(Self.noiseTemplates)
        var cls = Self.noiseClass(tpl.metric)
        var ratio = 1.0 + 0.5 * u() * u()
        if chance(0.25) { // hard: looks like a real incident
            cls = pick(Self.classes.filter { $0 != "deployment" })
            tpl = pick(Self.rootTemplates[cls]!)
            ratio = 1.0 + 0.8 * u()
        }
        if deploying { tpl = pick([Self.noiseTemplates[3], Self.noiseTemplates[4]]); cls = "deployment" }
        let source = tpl.metric == "probe_success" ? "synthetic-probe" : pick(["prometheus", "prometheus", "datadog", "cloudwatch"])
        let severity = chance(0.15) ? "critical" : pick(["warning", "warning", "info", "high"])
        let extra: [(String, String)] = inMaintenance && chance(0.5) ? [("maintenance", "true")] : []
        emit(at: t, svc: svc, tpl: tpl, dep: nil, ratio: ratio, severity: severity, source: source, cls: cls,
             team: services[svc].team, fp: true, priority: 4, incident: id, durationMs: Int64(logNormal(90_000, 0.5)),
             repeats: 0, ver: "", extraLabels: extra)
    }

    mutating func flapBurst(at t: Int64, svc: Int, tpl: Template) {
        incidentCounter += 1
        let id = "flap-\(incidentCounter)"
        var tt = t
        for _ in 0..<(3 + below(5)) {
            emit(at: tt, svc: svc, tpl: tpl, dep: nil, ratio: 1.0 + 0.2 * u(), severity: "warning", source: "prometheus",
                 cls: Self.noiseClass(tpl.metric), team: services[svc].team, fp: true, priority: 4, incident: id,
                 durationMs: Int64(logNormal(60_000, 0.4)), repeats: 0, ver: "")
            tt += Int64(logNormal(4 * 60_000, 0.5))
        }
    }

    /// Generates about `alerts` alert lines (plus deployment/maintenance events), in time order.
    public mutating func generate(alerts target: Int) -> [Event] {
        events = []
        episodes = [:]; ongoing = [:]; mergedInto = [:]
        var t = start
        // A fixed set of flaky fingerprints.
        var flaky: [(Int, Template)] = []
        for _ in 0..<12 { flaky.append((below(services.count), pick(Self.noiseTemplates))) }
        var alertCount = 0
        while alertCount < target {
            let before = events.count
            let peak = Self.isPeak(t)
            let roll = u()
            if roll < 0.30 {
                // A real incident, rooted more often deep in the stack.
                let root = chance(0.45) ? below(11) : 11 + below(17)
                incident(at: t, root: root)
            } else if roll < 0.42 {
                // A deployment: 20 minutes, 25% of them break something.
                let svc = 11 + below(17)
                let ver = "v\(1 + below(4)).\(below(20)).\(below(10))"
                events.append(.deployment(service: services[svc].name, startMs: t, endMs: t + 20 * 60_000))
                if chance(0.25) { incident(at: t + 3 * 60_000, root: svc, cls: "deployment", ver: ver) }
                if chance(0.6) { noise(at: t + Int64(below(600_000)), svc: svc, deploying: true) }
            } else if roll < 0.47 {
                // Maintenance on a data or infra service: noisy alerts inside the window.
                let svc = below(11)
                let end = t + 45 * 60_000
                events.append(.maintenance(service: services[svc].name, startMs: t, endMs: end))
                for _ in 0..<(1 + below(3)) { noise(at: t + Int64(below(2_400_000)), svc: svc, inMaintenance: true) }
            } else if roll < 0.62 {
                let (svc, tpl) = pick(flaky)
                flapBurst(at: t, svc: svc, tpl: tpl)
            } else {
                noise(at: t, svc: below(services.count))
            }
            for e in events[before...] { if case .alert(let a) = e, !a.resolved { alertCount += 1 } }
            let meanGap = peak ? 3.0 : 6.0 // minutes
            t += Int64(-_log(max(u(), 1e-12)) * meanGap * 60_000)
        }
        // Folded incidents take the id of the one they are part of.
        func survivor(_ id: String) -> String {
            var id = id, hops = 0
            while let next = mergedInto[id], hops < 64 { id = next; hops += 1 }
            return id
        }
        if !mergedInto.isEmpty {
            for i in events.indices {
                if case .alert(var a) = events[i], let inc = a.incidentId, mergedInto[inc] != nil {
                    a.incidentId = survivor(inc); events[i] = .alert(a)
                }
            }
        }
        // Stable sort by time.
        let indexed = events.enumerated().sorted { a, b in
            a.element.timeMs != b.element.timeMs ? a.element.timeMs < b.element.timeMs : a.offset < b.offset
        }
        var out = indexed.map { $0.element }
        // Renumber alert ids in stream order.
        var n = 0
        for i in out.indices { if case .alert(var a) = out[i] { a.alertId = "alert-\(n)"; n += 1; out[i] = .alert(a) } }
        return out
    }

    /// One event as a JSONL line.
    public static func jsonLine(_ e: Event) -> String {
        var j = JSONWriter()
        j.beginObject()
        switch e {
        case .deployment(let s, let a, let b), .maintenance(let s, let a, let b):
            if case .deployment = e { j.field("type", "deployment") } else { j.field("type", "maintenance") }
            j.field("service", s); j.field("start_ms", Int(a)); j.field("end_ms", Int(b))
        case .alert(let r):
            j.field("alert_id", r.alertId)
            j.field("timestamp", Int(r.timestampMs))
            j.field("source_system", r.sourceSystem)
            j.field("metric_name", r.metricName)
            j.field("alert_message", r.message)
            j.field("severity_raw", r.severityRaw)
            j.field("current_value", (r.currentValue * 1000).rounded() / 1000)
            j.field("threshold_violated", r.threshold)
            j.field("service_name", r.serviceName)
            j.key("labels"); j.beginObject(); for (k, v) in r.labels { j.field(k, v) }; j.endObject()
            j.field("fingerprint", r.fingerprint)
            j.field("status", r.resolved ? "resolved" : "firing")
            j.field("label_class", r.feedback.trueClass ?? "")
            j.field("label_team", r.feedback.team ?? "")
            j.field("label_false_positive", r.feedback.falsePositive ?? false)
            j.field("label_priority", "P\(r.feedback.priority ?? 4)")
            j.field("incident_id", r.incidentId ?? "")
            j.field("incident_real", r.incidentId?.hasPrefix("inc-") ?? false)
            j.field("time_to_ack_s", r.feedback.timeToAckSeconds ?? 0)
            j.field("time_to_resolve_s", r.feedback.timeToResolveSeconds ?? 0)
        }
        j.endObject()
        return j.text
    }
}

extension String {
    /// "123" → "12.3" (one decimal from a tenfold integer text).
    var insertingDecimal: String {
        if count <= 1 { return "0." + self }
        return String(dropLast()) + "." + String(suffix(1))
    }
}
