/// The intelligent alert classifier: for each alert, its root-cause class, priority (P1–P4)
/// and score, confidence, recommended team, false-positive probability, escalation path and
/// timing, group (incident) id, suppression with a reason, SLA deadlines and risk, from
/// online models that learn from feedback (`learn`) and start from rules and priors.
///
/// Thread-safe: one lock per handle (calls on one handle are serialised; the fastest path is
/// one handle per thread). `classify` allocates nothing per alert once warm (a class or team
/// name seen for the first time, or an impact/ownership cache miss, allocates once).
public final class AlertClassifier: MonitoringEngine, @unchecked Sendable {
    /// Snapshots of this engine carry the classifier tag.
    public static let snapshotEngine = Snapshot.Engine.classifier
    /// Telemetry of classify and learn calls.
    public let performance = PerformanceRecorder()
    /// Peak hours, deployments and impact rules.
    public let context: BusinessContext

    let lock = Lock()
    let config: Configuration
    let featurizer: AlertFeaturizer
    let model: HashedLinearModel
    let x: FeatureBuffer
    /// Group-context features of the alert being classified.
    let gx: FeatureBuffer
    let scratch: UnsafeMutablePointer<Float>
    let scratchCount: Int
    /// The label blocks of recently seen label texts (see `beginFeatures`).
    let labelCache = FeatureReplayCache(capacity: 1024, maxBytes: 256, maxRows: 32, empty: LabelReplay())
    /// The text blocks of recently seen messages (see `textFeatures`).
    let textCache = FeatureReplayCache(capacity: 1024, maxBytes: 128, maxRows: AlertFeaturizer.maxTextRows, empty: TextReplay())
    /// The metric-name rows of recently seen metric names (see `AlertFeaturizer.categorical`).
    let metricCache = FeatureReplayCache(capacity: 256, maxBytes: 96, maxRows: AlertFeaturizer.maxMetricRows, empty: false)

    /// Classes and teams.
    public internal(set) var classes: LabelTable
    /// Teams (index 0 is the default team).
    public internal(set) var teams: LabelTable
    var fingerprints: FingerprintTable
    var grouper: AlertGrouper
    var response: ResponseStats
    /// SLA counters per priority (index 0 = P1).
    public internal(set) var sla = [SLACounters](repeating: SLACounters(), count: 4)
    var suppressedByReason = [UInt64](repeating: 0, count: SuppressionReason.allCases.count)
    var classified: UInt64 = 0, learned: UInt64 = 0, groupsOpened: UInt64 = 0
    /// Alerts surfaced as a new root in a group that had already paged (see `AlertResult.newRootInGroup`).
    var surfacedNewRoot: UInt64 = 0
    /// Alerts surfaced because their group had resolved (see `AlertResult.refiredAfterResolve`).
    var surfacedRefired: UInt64 = 0
    /// Alerts surfaced as more urgent than their group had paged at their service (see `AlertResult.repagedAtService`).
    var surfacedServiceUpgrade: UInt64 = 0
    /// Groups opened isolated by a near-certain false positive (`classifier.isolate_fp_threshold`).
    var groupsIsolated: UInt64 = 0
    /// Suppressed alerts waiting to be found still firing (see `dueEscalations`), and how many were escalated.
    var pending: PendingEscalations
    var escalatedPersisting: UInt64 = 0
    /// Folded alerts whose group's paged alerts have all resolved, in due order (see
    /// `pagedStopped`), and how many were escalated.
    var outlived: PendingEscalations
    var escalatedOutlived: UInt64 = 0
    var feedbackClass: UInt64 = 0, feedbackTeam: UInt64 = 0, feedbackFP: UInt64 = 0, feedbackPriority: UInt64 = 0
    var lastTimeMs: Int64 = 0

    // Settings.
    let ackTargets: [Double], resolveTargets: [Double]
    let fpSuppress: Double, realThreshold: Double, flapWindowMs: Int64, flapThreshold: Float, priorStrength: Double
    let newRootConfidence: Double
    /// False-positive probability (before group context) from which an alert opens an isolated group.
    let isolateFP: Double
    /// `classifier.repage_priority`: an alert more urgent than its
    /// group's surfaced ones is surfaced only when its priority is at most this (1...4; 0: never).
    let repagePriority: Int
    /// `classifier.repage_per_service`: an alert more urgent than every alert its group surfaced
    /// at its service re-pages (up to `repagePriority`).
    let repagePerService: Bool
    /// Priority (1–4) from which alerts not rated real are suppressed during a deployment (5: never).
    let deploymentSuppressPriority: Int
    /// How long a suppressed alert must keep firing to be escalated, ms (0: never).
    let persistMs: Int64
    /// How long a folded alert must outlive its group's paged alerts to be escalated, ms (0: never).
    let outlivedMs: Int64
    let ownership: [(glob: String, team: String)]
    var maintenance: [(service: UInt64, start: Int64, end: Int64)]
    let businessEvents: [(start: Int64, end: Int64)]

    // Caches (direct-mapped; a miss computes and allocates once).
    var impactCache: [(key: UInt64, category: ImpactCategory, weight: Double)]
    /// Whether any impact rule looks at tags (else the cache keys on metric and service only).
    let impactUsesTags: Bool
    var ownerCache: [(key: UInt64, team: Int32)]
    var deployCache: [(service: UInt64, start: Int64, end: Int64)] = []
    var deployCacheStamp: Int64 = .min
    var deployCacheCalls = 0

    /// Builds a classifier from a validated configuration.
    public init(config: Configuration) throws {
        self.config = config
        context = BusinessContext(config: config)
        let bits = config.int("classifier.hash_bits")
        let maxC = config.int("classifier.max_classes"), maxT = config.int("classifier.max_teams")
        featurizer = AlertFeaturizer(ngram: config.int("classifier.char_ngrams"), maxTextBytes: config.int("classifier.max_text_bytes"))
        model = HashedLinearModel(bits: bits, maxClasses: maxC, maxTeams: maxT,
                                  learningRate: config.double("classifier.learning_rate"), l2: config.double("classifier.l2"))
        x = FeatureBuffer(capacity: AlertFeaturizer.capacity, bits: bits, textBytes: config.int("classifier.max_text_bytes"))
        scratchCount = maxC + maxT + 8
        scratch = .allocate(capacity: scratchCount * 6)
        scratch.initialize(repeating: 0, count: scratchCount * 6)
        gx = FeatureBuffer(capacity: 8, bits: bits)
        classes = LabelTable(capacity: maxC)
        teams = LabelTable(capacity: maxT)
        fingerprints = FingerprintTable(capacity: config.int("classifier.max_fingerprints"))
        grouper = AlertGrouper(windowSeconds: config.int("classifier.group_window_s"), spanSeconds: config.int("classifier.group_span_s"),
                               threshold: config.double("classifier.group_threshold"))
        response = ResponseStats(maxTeams: maxT, maxClasses: maxC)
        ackTargets = (try? AlertRules.parseFour(config.string("classifier.sla_ack_minutes"), "")) ?? [5, 15, 60, 240]
        resolveTargets = (try? AlertRules.parseFour(config.string("classifier.sla_resolve_minutes"), "")) ?? [60, 240, 1440, 4320]
        fpSuppress = config.double("classifier.fp_suppress_threshold")
        realThreshold = config.double("classifier.real_threshold")
        newRootConfidence = config.double("classifier.new_root_confidence")
        isolateFP = config.double("classifier.isolate_fp_threshold")
        repagePriority = config.int("classifier.repage_priority")
        deploymentSuppressPriority = config.int("classifier.deployment_suppress_priority")
        repagePerService = config.bool("classifier.repage_per_service")
        persistMs = Int64(config.int("classifier.escalate_persisting_s")) * 1000
        pending = PendingEscalations(capacity: config.int("classifier.max_fingerprints"))
        outlivedMs = Int64(config.int("classifier.escalate_outlived_s")) * 1000
        outlived = PendingEscalations(capacity: config.int("classifier.max_fingerprints"))
        flapWindowMs = Int64(config.int("classifier.flap_window_s")) * 1000
        flapThreshold = Float(config.int("classifier.flap_threshold"))
        priorStrength = config.double("classifier.prior_strength")
        ownership = (try? AlertRules.parseOwnership(config.string("classifier.ownership_rules"))) ?? []
        maintenance = ((try? BusinessContext.parseDeployments(config.string("classifier.maintenance_windows"))) ?? [])
            .map { (Self.serviceKey($0.service), $0.startMs, $0.endMs) }
        businessEvents = ((try? BusinessContext.parseDeployments(config.string("classifier.business_events"))) ?? [])
            .map { ($0.startMs, $0.endMs) }
        impactCache = Array(repeating: (0, .operational, 0.5), count: 16384)
        impactUsesTags = context.impactRules.contains { $0.tag != nil }
        ownerCache = Array(repeating: (0, -1), count: 1024)

        teams.intern(config.string("classifier.default_team"))
        for t in config.list("classifier.teams") { teams.intern(String(t).trimmingSpaces) }
        for c in config.list("classifier.classes") where !String(c).trimmingSpaces.isEmpty { classes.intern(String(c).trimmingSpaces) }
        applyPriors()
    }

    deinit { scratch.deallocate() }

    /// Bytes of a message that are featurized (callers may stop reading there).
    public var maxTextBytes: Int { featurizer.maxTextBytes }

    /// The hash a service name is indexed by (`*` and empty: 0 = every service).
    static func serviceKey(_ s: String) -> UInt64 {
        s == "*" || s.isEmpty ? 0 : FeatureHash.text(.service, s)
    }

    /// Cold-start priors: keyword rules push their class, the bias leans toward "real" and the default team.
    func applyPriors() {
        let rules = (try? AlertRules.parseClassRules(config.string("classifier.class_rules"))) ?? []
        for (cls, words) in rules {
            guard let c = classes.intern(cls) else { continue }
            for w in words {
                let parts = w.split(separator: " ").map(String.init)
                if parts.count >= 2 {
                    let h1 = FeatureHash.text(.word, parts[0]), h2 = FeatureHash.text(.word, parts[1])
                    model.bump(row: x.row(FeatureHash.mix(h1 &* 31 ^ h2 ^ FeatureHash.start(.bigram))), column: model.classColumn(c), 3)
                } else {
                    let h = FeatureHash.text(.word, w)
                    model.bump(row: x.row(h), column: model.classColumn(c), 3)
                    model.bump(row: x.row(h ^ FeatureHash.start(.metricToken)), column: model.classColumn(c), 3)
                }
            }
        }
        let bias = x.row(FeatureHash.start(.bias))
        model.bump(row: bias, column: HashedLinearModel.fpColumn, -1.5)
        model.bump(row: bias, column: model.teamColumn(0), 0.5)
    }

    // MARK: - Classify

    /// Classifies one alert (updating its history, grouping and counters).
    public func classify(_ a: AlertView) -> AlertResult {
        let t0 = Clock.nanos()
        let r = lock.withLock { classifyLocked(a) }
        performance.record(events: 1, nanos: Clock.nanos() &- t0)
        return r
    }

    /// Classifies `n` alerts in order into `out` (one lock, one timing for the batch).
    public func classifyBatch(_ n: Int, _ alert: (Int) -> AlertView, _ out: (Int, AlertResult) -> Void) {
        let t0 = Clock.nanos()
        lock.withLock { for i in 0..<n { out(i, classifyLocked(alert(i))) } }
        performance.record(events: n, nanos: Clock.nanos() &- t0)
    }

    /// `classify` for an owned record.
    public func classify(_ r: AlertRecord) -> AlertResult { r.withView { classify($0) } }

    /// The stream time of an alert: its timestamp, or the newest seen when it has none.
    @inline(__always)
    func streamTime(_ a: AlertView) -> Int64 {
        a.timestampMs > 0 ? min(a.timestampMs, Self.maxTimestampMs) : lastTimeMs
    }

    /// Timestamps are clamped to this (year ~128,000), so time differences never overflow.
    public static let maxTimestampMs: Int64 = 4_000_000_000_000_000

    /// The fingerprint of an alert: its own, else metric + service + labels.
    @inline(__always)
    func fingerprintKey(_ a: AlertView, _ info: LabelInfo) -> UInt64 {
        if a.fingerprint.count > 0 { return FeatureHash.mix(WordHash.hash(a.fingerprint)) }
        var h = WordHash.hash(a.metricName)
        let svc = AlertFeaturizer.service(a, info)
        h = WordHash.hash(svc, seed: h ^ 0x7C)
        if a.metricName.count == 0 && svc.count == 0 && a.labels.count == 0 {
            // Nothing identifies the alert but its text.
            h = WordHash.hash(UnsafeRawBufferPointer(rebasing: a.message.prefix(128)), seed: h ^ 0x7E)
        }
        return FeatureHash.mix(h ^ info.all)
    }

    /// History as features see it, before this alert.
    @inline(__always)
    func historyStats(_ f: FingerprintState, at t: Int64) -> HistoryStats {
        var s = HistoryStats()
        s.count = f.count
        s.sinceSeconds = f.count == 0 ? -1 : Float(max(0, t - f.lastFireMs)) / 1000
        s.flaps = decayedFlaps(f, at: t)
        s.autoResolveSeconds = f.autoResolveSeconds
        s.fpRate = f.fpRate; s.fpFeedback = f.fpFeedback
        return s
    }

    /// Flaps halve every flap window of quiet.
    @inline(__always)
    func decayedFlaps(_ f: FingerprintState, at t: Int64) -> Float {
        guard f.flaps > 0 else { return 0 }
        let quiet = Double(max(0, t - f.lastSeenMs)) / Double(max(flapWindowMs, 1))
        return f.flaps * Float(_exp(-0.693 * min(quiet, 60)))
    }

    /// Context flags at `t` for a service.
    func flags(service: UnsafeRawBufferPointer, info: LabelInfo, at t: Int64) -> ContextFlags {
        var f = ContextFlags()
        f.peak = context.isPeak(t)
        let key = service.count > 0 ? FeatureHash.bytes(.service, service) : 0
        refreshDeployments(t)
        for d in deployCache where t >= d.start && t <= d.end && (d.service == 0 || d.service == key) { f.deployment = true; break }
        f.maintenance = info.maintenance
        if !f.maintenance {
            for m in maintenance where t >= m.start && t <= m.end && (m.service == 0 || m.service == key) { f.maintenance = true; break }
        }
        for e in businessEvents where t >= e.start && t <= e.end { f.businessEvent = true; break }
        return f
    }

    /// Refreshes the local copy of the deployment windows every 256 calls or second of stream time.
    func refreshDeployments(_ t: Int64) {
        deployCacheCalls += 1
        if deployCacheCalls < 256 && deployCacheStamp != .min && abs(t - deployCacheStamp) < 1000 { return }
        deployCacheCalls = 0
        deployCacheStamp = t
        deployCache = context.allDeployments.map { (Self.serviceKey($0.service), $0.startMs, $0.endMs) }
    }

    /// Announces a window read from the alert stream (see `WindowAnnouncement`).
    public func announce(_ w: WindowAnnouncement) {
        switch w.kind {
        case .deployment: addDeployment(service: w.service, startMs: w.startMs, endMs: w.endMs)
        case .maintenance: addMaintenance(service: w.service, startMs: w.startMs, endMs: w.endMs)
        }
    }

    /// Announces a deployment window of a service (`*`: all) in the shared context, and makes
    /// the next alert see it (`deploymentsChanged`).
    public func addDeployment(service: String, startMs: Int64, endMs: Int64) {
        context.addDeployment(.init(service: service, startMs: startMs, endMs: endMs))
        deploymentsChanged()
    }

    /// Announces a maintenance window of a service (`*` or empty: all): alerts there that the
    /// model does not rate real are suppressed. Windows that ended a day before the newest start are dropped.
    public func addMaintenance(service: String, startMs: Int64, endMs: Int64) {
        let startMs = max(-Self.maxTimestampMs, min(startMs, Self.maxTimestampMs))
        let endMs = max(-Self.maxTimestampMs, min(endMs, Self.maxTimestampMs))
        lock.withLock {
            maintenance.append((Self.serviceKey(service), startMs, endMs))
            let horizon = startMs - 86_400_000
            maintenance.removeAll { $0.end < horizon }
        }
    }

    /// Forces the next call to re-read the deployment windows (after `addDeployment`).
    public func deploymentsChanged() { lock.withLock { deployCacheStamp = .min; deployCacheCalls = 1 << 20 } }

    /// Starts the features of an alert: clears `x`, adds the bias and the labels (filling `info`,
    /// which the caller passes empty), replayed from `labelCache` when the same labels were seen
    /// recently.
    @inline(__always)
    func beginFeatures(_ a: AlertView, _ info: inout LabelInfo) {
        x.reset()
        x.add(FeatureHash.start(.bias), 1, name: "bias")
        // Explain mode records names, which the cache does not keep.
        if x.explaining { featurizer.labels(a, into: x, info: &info); return }
        let k = labelCache.key(a.labels)
        if let hit = labelCache.find(a.labels, k), hit.count <= x.room {
            x.appendBlock(rows: hit.rows, count: hit.count, weight: AlertFeaturizer.labelWeight)
            hit.payload.apply(to: &info, text: a.labels)
            return
        }
        let start = x.count
        featurizer.labels(a, into: x, info: &info)
        if let r = LabelReplay(info, in: a.labels) { labelCache.store(a.labels, k, rows: x.index + start, count: x.count - start, payload: r) }
    }

    /// The message's features (`AlertFeaturizer.text`), replayed from `textCache` when the same
    /// text was seen recently; returns the word sketch.
    @inline(__always)
    func textFeatures(_ a: AlertView) -> UInt64 {
        // With less room, `text` could drop features: not replayed (nor kept) then.
        if x.explaining || x.room < AlertFeaturizer.maxTextRows { return featurizer.text(a, into: x) }
        let msg = featurizer.textKey(a, x)
        let k = textCache.key(msg)
        if let hit = textCache.find(msg, k) {
            featurizer.replayText(hit.payload, rows: hit.rows, count: hit.count, into: x)
            return hit.payload.sketch
        }
        let start = x.count
        let r = featurizer.textBlocks(a, into: x)
        textCache.store(msg, k, rows: x.index + start, count: x.count - start, payload: r)
        return r.sketch
    }

    /// Adds the rest of the features; returns the text sketch.
    @inline(__always)
    func finishFeatures(_ a: AlertView, _ info: LabelInfo, _ hist: HistoryStats, _ fl: ContextFlags, _ t: Int64) -> UInt64 {
        let sketch = textFeatures(a)
        featurizer.categorical(a, info, metricCache: metricCache, into: x)
        featurizer.numbers(a, hour: context.localHour(t), weekday: context.localWeekday(t), flags: fl, into: x)
        featurizer.history(hist, into: x)
        return sketch
    }

    /// Severity words → urgency in [0, 1].
    static func severityUrgency(_ s: UnsafeRawBufferPointer) -> Double {
        if s.count == 0 { return 0.5 }
        if Bytes.hasPrefix(s, "crit") || Bytes.hasPrefix(s, "fatal") || Bytes.hasPrefix(s, "emerg") || Bytes.equals(s, "p1")
            || Bytes.equals(s, "page") || Bytes.equals(s, "sev1") || Bytes.equals(s, "disaster") { return 1.0 }
        if Bytes.hasPrefix(s, "high") || Bytes.hasPrefix(s, "err") || Bytes.hasPrefix(s, "major") || Bytes.equals(s, "p2")
            || Bytes.equals(s, "sev2") || Bytes.equals(s, "alert") { return 0.75 }
        if Bytes.hasPrefix(s, "warn") || Bytes.hasPrefix(s, "med") || Bytes.hasPrefix(s, "minor") || Bytes.equals(s, "p3")
            || Bytes.equals(s, "sev3") || Bytes.equals(s, "average") { return 0.5 }
        if Bytes.hasPrefix(s, "low") || Bytes.hasPrefix(s, "info") || Bytes.hasPrefix(s, "notice") || Bytes.equals(s, "p4")
            || Bytes.equals(s, "sev4") || Bytes.hasPrefix(s, "debug") { return 0.25 }
        return 0.5
    }

    /// The impact of an alert from the shared impact table (cached per metric, service and labels).
    func impact(_ a: AlertView, _ info: LabelInfo) -> (ImpactCategory, Double) {
        let svc = AlertFeaturizer.service(a, info)
        let key = FeatureHash.mix(WordHash.hash(a.metricName) ^ WordHash.hash(svc) &* 3 ^ (impactUsesTags ? info.all &* 7 : 0)) | 1
        let slot = Int(truncatingIfNeeded: key) & (impactCache.count - 1)
        if impactCache[slot].key == key { return (impactCache[slot].category, impactCache[slot].weight) }
        // Two-way: the neighbour slot, and a miss evicts the first slot's entry into it.
        if impactCache[slot ^ 1].key == key { return (impactCache[slot ^ 1].category, impactCache[slot ^ 1].weight) }
        impactCache[slot ^ 1] = impactCache[slot]
        var tags: [(name: String, value: String)] = []
        Bytes.forEachLabel(a.labels) { k, v in tags.append((Bytes.string(k), Bytes.string(v))) }
        if svc.count > 0, !tags.contains(where: { $0.name == "service" }) { tags.append(("service", Bytes.string(svc))) }
        var metric = Bytes.string(a.metricName)
        if metric.isEmpty { metric = Bytes.string(info.alertname) }
        // A metric name alone rarely says "payments"; let the service name match metric globs too.
        var (cat, w) = context.impact(metric: metric, tags: tags)
        if cat == .operational, svc.count > 0 {
            let (c2, w2) = context.impact(metric: Bytes.string(svc), tags: tags)
            if c2 != .operational { (cat, w) = (c2, w2) }
        }
        impactCache[slot] = (key, cat, w)
        return (cat, w)
    }

    /// The team an ownership label or rule names (−1: none).
    func owner(_ a: AlertView, _ info: LabelInfo) -> Int {
        if info.owner.count > 0 { return teams.intern(info.owner) ?? -1 }
        guard !ownership.isEmpty else { return -1 }
        let svc = AlertFeaturizer.service(a, info)
        guard svc.count > 0 else { return -1 }
        let key = WordHash.hash(svc) | 1
        let slot = Int(truncatingIfNeeded: key) & (ownerCache.count - 1)
        if ownerCache[slot].key == key { return Int(ownerCache[slot].team) }
        let s = Bytes.string(svc).lowercased()
        var team = -1
        for r in ownership where AlertRules.glob(r.glob, s) { team = teams.intern(r.team) ?? -1; break }
        ownerCache[slot] = (key, Int32(team))
        return team
    }

    /// What the models say about the features in `x` (no state change).
    struct Scores {
        var cls = 0, clsConf = 0.0
        var team = 0, teamConf = 0.0
        var fp = 0.0
        var learnedUrgency = 0.5
    }

    /// Scores `x`: class probabilities in scratch[0..<nC], team in scratch[S..<S+nT].
    func score(_ a: AlertView, _ info: LabelInfo, hist: HistoryStats, owner: Int) -> Scores {
        finish(a, info, hist: hist, owner: owner, zfp: rawLogits())
    }

    /// Raw logits of `x` into the scratch heads; returns the false-positive logit.
    @inline(__always)
    func rawLogits() -> Float {
        model.scoresAll(x, nC: classes.count, nT: teams.count, pc: scratch, pt: scratch + scratchCount, pp: scratch + 2 * scratchCount)
    }

    /// Adds the logits of the features in `g` to the scratch heads; returns the false-positive part.
    @inline(__always)
    func addLogits(_ g: FeatureBuffer) -> Float {
        guard g.count > 0 else { return 0 }
        let nC = classes.count, nT = teams.count
        let qc = scratch + 3 * scratchCount, qt = scratch + 4 * scratchCount, qp = scratch + 5 * scratchCount
        let z = model.scoresAll(g, nC: nC, nT: nT, pc: qc, pt: qt, pp: qp)
        for j in 0..<nC { scratch[j] += qc[j] }
        for j in 0..<nT { scratch[scratchCount + j] += qt[j] }
        for j in 0..<4 { scratch[2 * scratchCount + j] += qp[j] }
        return z
    }

    /// The class the raw logits point to, and its probability (scratch unchanged).
    @inline(__always)
    func preliminaryClass() -> (Int, Double) {
        let nC = classes.count
        guard nC > 0 else { return (-1, 0) }
        let q = scratch + 3 * scratchCount
        for j in 0..<nC { q[j] = scratch[j] }
        let c = HashedLinearModel.softmax(q, nC)
        return (c, Double(q[c]))
    }

    /// The group-context features: the group's root class and team, whether the alert joined
    /// an existing group, whether that group already surfaced an alert rated real.
    @inline(__always)
    func groupFeatures(into g: FeatureBuffer, rootClass: Int, rootTeam: Int, flags: UInt8) {
        if rootClass >= 0 { g.add(FeatureHash.bucket(.group, 1000 + rootClass), 0.8, name: "group-root-class:\(rootClass)") }
        if rootTeam >= 0 { g.add(FeatureHash.bucket(.group, 2000 + rootTeam), 0.8, name: "group-root-team:\(rootTeam)") }
        if flags & 1 != 0 { g.add(FeatureHash.bucket(.group, 1), 0.8, name: "joined-open-group") }
        if flags & 2 != 0 { g.add(FeatureHash.bucket(.group, 2), 0.8, name: "group-has-real-alert") }
    }

    /// The false-positive probability of logit `z`, with the rules that hold before any
    /// feedback: flapping and barely-over-threshold alerts are suspect.
    @inline(__always)
    static func falsePositive(logit z: Double, _ a: AlertView, _ hist: HistoryStats) -> Double {
        var z = z
        if hist.flaps >= 1 { z += 0.4 * Double(min(hist.flaps, 5)) }
        if let r = AlertFeaturizer.ratio(a), r < 1.05 { z += 0.5 }
        return MathUtil.sigmoid(z)
    }

    /// Softmaxes the scratch heads and applies ownership, expertise and cold-start rules.
    func finish(_ a: AlertView, _ info: LabelInfo, hist: HistoryStats, owner: Int, zfp z: Float) -> Scores {
        var s = Scores()
        let nC = classes.count, nT = teams.count
        let pc = scratch, pt = scratch + scratchCount, pp = scratch + 2 * scratchCount
        let zfp = Double(z)
        s.cls = max(0, HashedLinearModel.softmax(pc, nC))
        s.clsConf = nC > 0 ? Double(pc[s.cls]) : 0
        // Ownership labels and rules weigh most before the model has seen who resolves what.
        if owner >= 0 && owner < nT { pt[owner] += Float(2.0 * 50 / (50 + Double(feedbackTeam))) + 0.3 }
        response.addExpertiseBonuses(cls: s.cls, to: pt, teams: nT)
        s.team = max(0, HashedLinearModel.softmax(pt, nT))
        s.teamConf = nT > 0 ? Double(pt[s.team]) : 0
        s.fp = Self.falsePositive(logit: zfp, a, hist)
        HashedLinearModel.softmax(pp, 4)
        s.learnedUrgency = Double(pp[0]) * 0.9 + Double(pp[1]) * 0.65 + Double(pp[2]) * 0.42 + Double(pp[3]) * 0.15
        return s
    }

    /// The priority score from rules, the learned head and the business context.
    func priorityScore(_ a: AlertView, _ info: LabelInfo, _ s: Scores, impactWeight: Double, category: ImpactCategory,
                       flags fl: ContextFlags) -> Double {
        let sev = Self.severityUrgency(AlertFeaturizer.severity(a, info))
        var ratioTerm = 0.3
        if let r = AlertFeaturizer.ratio(a) { ratioTerm = MathUtil.clamp(_log(max(r, 1e-9)) / _log(2) / 3, 0, 1) }
        let rule = 0.45 * sev + 0.2 * ratioTerm + 0.35 * impactWeight
        let n = Double(feedbackPriority)
        let wLearned = n / (n + max(priorStrength, 1e-9))
        var score = (1 - wLearned) * rule + wLearned * s.learnedUrgency
        score *= 1 - 0.5 * s.fp
        if fl.peak && (category == .userExperience || category == .revenue) { score *= min(context.peakMultiplier, 1.5) * 0.85 + 0.15 }
        if fl.businessEvent { score *= 1.2 }
        if fl.deployment { score *= 1.05 }
        if fl.maintenance { score *= 0.8 }
        return MathUtil.clamp(score, 0, 1)
    }

    /// P1 ≥ 0.7 > P2 ≥ 0.5 > P3 ≥ 0.3 > P4.
    @inline(__always)
    static func priority(_ score: Double) -> Int {
        score >= 0.7 ? 1 : score >= 0.5 ? 2 : score >= 0.3 ? 3 : 4
    }

    func classifyLocked(_ a: AlertView) -> AlertResult {
        let t = streamTime(a)
        if t > lastTimeMs { lastTimeMs = t }
        var info = LabelInfo()
        beginFeatures(a, &info)
        let fpKey = fingerprintKey(a, info)
        let slot = fingerprints.slot(fpKey)
        var f = fingerprints[slot]
        let hist = historyStats(f, at: t)
        let svc = AlertFeaturizer.service(a, info)
        let fl = flags(service: svc, info: info, at: t)
        let sketch = finishFeatures(a, info, hist, fl, t)
        let owner = owner(a, info)
        var zfp = rawLogits()
        let (preCls, preConf) = preliminaryClass()
        let (cat, impactW) = impact(a, info)

        // Grouping first (firing alerts): the group's context then informs the models.
        var gslot = -1, isNew = true
        let wasFiring = f.firing
        var key = GroupKey()
        if !a.resolved {
            key.service = svc.count > 0 ? FeatureHash.bytes(.service, svc) : 0
            key.context = info.context
            key.alertname = a.metricName.count > 0 ? WordHash.hash(a.metricName) : (info.alertname.count > 0 ? WordHash.hash(info.alertname) : 0)
            key.textBits = sketch
            key.timeMs = t
            key.cls = preCls; key.clsConfidence = preConf
            if info.dependsOn.count > 0 {
                var start = 0
                let d = info.dependsOn
                for i in 0...d.count where i == d.count || d[i] == 0x7C {
                    if i > start { key.addDep(FeatureHash.bytes(.service, Bytes.trim(UnsafeRawBufferPointer(rebasing: d[start..<i])))) }
                    start = i + 1
                }
            }
            // The fingerprint's own group, while it is still firing or flapping back.
            let preferred = (wasFiring || (f.lastResolveMs > 0 && t - f.lastResolveMs <= flapWindowMs)) ? f.groupId : 0
            // A near-certain false positive by its own features opens a group of its own, which
            // no other fingerprint joins: noise neither joins an incident nor gathers one.
            let alone = isolateFP < 1 && Self.falsePositive(logit: Double(zfp), a, hist) >= isolateFP
            (gslot, isNew) = grouper.place(key, preferred: preferred, alone: alone)
            if alone && isNew { groupsIsolated &+= 1 }
            let g = grouper.summary(gslot)
            f.statsRootClass = isNew ? -1 : g.rootClass
            f.statsRootTeam = isNew ? -1 : g.rootTeam
            f.statsGroupFlags = (isNew ? 0 : 1) | (g.surfacedReal > 0 ? 2 : 0)
            gx.reset()
            groupFeatures(into: gx, rootClass: Int(f.statsRootClass), rootTeam: Int(f.statsRootTeam), flags: f.statsGroupFlags)
            zfp += addLogits(gx)
        }
        let s = finish(a, info, hist: hist, owner: owner, zfp: zfp)

        var r = AlertResult()
        r.timestampMs = t
        r.alertClass = s.cls
        r.confidence = s.clsConf
        r.team = s.team
        r.falsePositiveProbability = s.fp
        r.impact = cat; r.impactWeight = impactW
        r.peak = fl.peak; r.deployment = fl.deployment; r.maintenance = fl.maintenance; r.businessEvent = fl.businessEvent
        r.priorityScore = priorityScore(a, info, s, impactWeight: impactW, category: cat, flags: fl)
        r.priority = Self.priority(r.priorityScore)

        // History update.
        f.statsAtMs = t; f.statsCount = hist.count; f.statsSince = hist.sinceSeconds; f.statsFlaps = hist.flaps
        if a.resolved {
            if f.firing, f.lastFireMs > 0, t >= f.lastFireMs {
                let d = Float(t - f.lastFireMs) / 1000
                f.autoResolveSeconds = f.autoResolveSeconds < 0 ? d : 0.7 * f.autoResolveSeconds + 0.3 * d
            }
            if f.firing { grouper.stopFiring(f.groupId) }
            if f.firing && f.paged { pagedStopped(groupId: f.groupId, at: t) }
            f.firing = false
            f.paged = false
            f.statsRootClass = -1; f.statsRootTeam = -1; f.statsGroupFlags = 0
            f.lastResolveMs = t
            f.lastSeenMs = max(f.lastSeenMs, t)
            r.groupId = f.groupId
            r.suppressed = true
            r.reason = .resolved
            fingerprints[slot] = f
            suppressedByReason[Int(SuppressionReason.resolved.rawValue)] &+= 1
            classified &+= 1
            fillSLA(&r)
            return r
        }
        var flaps = hist.flaps
        if !f.firing, f.lastResolveMs > 0, t - f.lastResolveMs <= flapWindowMs { flaps += 1 }
        f.flaps = flaps
        f.count &+= 1
        f.firing = true
        f.lastFireMs = t
        f.lastSeenMs = max(f.lastSeenMs, t)

        let g = grouper.summary(gslot)
        r.groupId = g.id
        r.newGroup = isNew
        if isNew { groupsOpened &+= 1 }
        // A fingerprint starting to fire here counts in the group (moved: no longer in the old one).
        let startsHere = !(wasFiring && f.groupId == g.id)
        if startsHere {
            if wasFiring { grouper.stopFiring(f.groupId) }
            if wasFiring && f.paged { pagedStopped(groupId: f.groupId, at: t) }
            f.paged = false
            grouper.startFiring(gslot)
        }
        f.groupId = g.id

        // Suppression: never the only alert rated real of a group without a surfaced alert,
        // nor one that looks like the root of another incident than those the group paged for
        // (a confident cause at a service, or of a kind, it has not paged for).
        let real = r.falsePositiveProbability < realThreshold
        var reason = SuppressionReason.none
        if g.surfaced > 0 && (g.surfacedReal > 0 || !real) {
            // A more urgent alert than the group has paged for re-pages only up to `repagePriority`.
            if r.priority >= Int(g.bestPriority) || r.priority > repagePriority { reason = flaps >= flapThreshold ? .flapping : .duplicate }
            if reason == .duplicate && real && g.surfacedReal > 0 && grouper.isNewRoot(gslot, key, minConfidence: newRootConfidence) {
                reason = .none
                r.newRootInGroup = true
                surfacedNewRoot &+= 1
            } else if reason == .duplicate && real && repagePerService && r.priority <= repagePriority
                        && r.priority < grouper.surfacedPriority(gslot, service: key.service) {
                // More urgent than anything the group paged at its own service: that service got worse.
                reason = .none
                r.repagedAtService = true
                surfacedServiceUpgrade &+= 1
            } else if reason == .duplicate && real && g.firing == 0 {
                // Every alert of the group had resolved: the incident was over, this one starts another.
                reason = .none
                r.refiredAfterResolve = true
                surfacedRefired &+= 1
            }
        } else if g.surfaced == 0 && !real {
            if r.falsePositiveProbability >= fpSuppress { reason = .likelyFalsePositive }
            else if flaps >= flapThreshold { reason = .flapping }
            else if fl.maintenance { reason = .maintenance }
            else if fl.deployment && r.priority >= deploymentSuppressPriority { reason = .deployment }
        }
        r.suppressed = reason != .none
        r.reason = reason
        // Suppressed while its group has paged for nothing, as it starts firing: escalated later
        // if it keeps firing (not in a maintenance window: operators declared that one quiet).
        if r.suppressed && g.surfaced == 0 && !wasFiring && reason != .maintenance { queuePersisting(r, slot: slot, key: f.key) }
        // Folded into a group that paged, as it starts firing there: escalated later if it
        // outlives the alerts the group paged for.
        if r.suppressed && reason == .duplicate && real && startsHere { fold(r, gslot: gslot, slot: slot, key: f.key) }
        if !r.suppressed {
            if !f.paged { grouper.startPaged(gslot); f.paged = true }
            // The causes it pages for: its class, and the one its own words name confidently.
            let causes = AlertGrouper.classBit(r.alertClass) | (key.clsConfidence > newRootConfidence ? AlertGrouper.classBit(key.cls) : 0)
            grouper.surfaced(gslot, priority: r.priority, real: real, key: key, classes: causes)
        }
        if real, g.rootClass < 0 { grouper.setRoot(gslot, cls: r.alertClass, team: r.team, confidence: r.confidence) }
        fingerprints[slot] = f

        fillSLA(&r)
        let p = r.priority - 1
        sla[p].alerts &+= 1
        if !r.suppressed {
            sla[p].surfaced &+= 1
            if r.slaAtRisk { sla[p].atRisk &+= 1 }
        }
        suppressedByReason[Int(reason.rawValue)] &+= 1
        classified &+= 1
        return r
    }

    /// SLA deadlines, risk and escalation timing for a decided result.
    func fillSLA(_ r: inout AlertResult) {
        let p = max(1, min(4, r.priority)) - 1
        let ack = ackTargets[p], res = resolveTargets[p]
        r.ackDeadlineMs = r.timestampMs &+ Int64(ack * 60_000)
        r.resolveDeadlineMs = r.timestampMs &+ Int64(res * 60_000)
        let learned = Self.ack(in: &response, team: r.team, priority: p)
        r.slaAtRisk = learned.n >= 3 && learned.p90Minutes > 0.8 * ack
        // Level 2 when the team usually would have acknowledged (capped by the target), level 3 at half the resolve target.
        let l2 = learned.n >= 3 ? min(ack, max(1, learned.p90Minutes)) : ack
        r.escalateLevel2Minutes = l2
        r.escalationLevels = r.priority <= 2 ? 3 : 2
        r.escalateLevel3Minutes = r.priority <= 2 ? max(l2 * 2, res / 2) : 0
    }

    /// `s.ack(team:priority:)` through an in-place access (pass `&response`): called on the
    /// stored property, `response.ack` would copy the whole `ResponseStats` for each alert
    /// (retaining and releasing each of its arrays).
    @inline(__always)
    static func ack(in s: inout ResponseStats, team: Int, priority: Int) -> (meanMinutes: Double, p90Minutes: Double, n: Int) {
        s.ack(team: team, priority: priority)
    }

    // MARK: - Learn

    /// Learns from feedback about an alert (classified before or not).
    public func learn(_ a: AlertView, _ fb: AlertFeedbackView) {
        let t0 = Clock.nanos()
        lock.withLock { learnLocked(a, fb) }
        performance.record(events: 1, nanos: Clock.nanos() &- t0)
    }

    /// Learns from `n` alerts with their feedback (one lock for the batch).
    public func learnBatch(_ n: Int, _ item: (Int) -> (AlertView, AlertFeedbackView)) {
        let t0 = Clock.nanos()
        lock.withLock { for i in 0..<n { let (a, f) = item(i); learnLocked(a, f) } }
        performance.record(events: n, nanos: Clock.nanos() &- t0)
    }

    /// `learn` for owned values.
    public func learn(_ r: AlertRecord, _ fb: AlertFeedback) {
        r.withView { a in fb.withView { learn(a, $0) } }
    }

    func learnLocked(_ a: AlertView, _ fb: AlertFeedbackView) {
        let t = streamTime(a)
        var info = LabelInfo()
        beginFeatures(a, &info)
        let fpKey = fingerprintKey(a, info)
        let slot = fingerprints.slot(fpKey)
        var f = fingerprints[slot]
        var hist = historyStats(f, at: t)
        if f.statsAtMs == t { hist.count = f.statsCount; hist.sinceSeconds = f.statsSince; hist.flaps = f.statsFlaps }
        if f.lastSeenMs == 0 { f.lastSeenMs = t }
        let fl = flags(service: AlertFeaturizer.service(a, info), info: info, at: t)
        _ = finishFeatures(a, info, hist, fl, t)
        if f.statsAtMs == t {
            groupFeatures(into: x, rootClass: Int(f.statsRootClass), rootTeam: Int(f.statsRootTeam), flags: f.statsGroupFlags)
        }
        let y = fb.trueClass.count > 0 ? classes.intern(fb.trueClass) : nil
        let team = fb.team.count > 0 ? teams.intern(fb.team) : nil
        let prio = (1...4).contains(fb.priority) ? fb.priority - 1 : nil
        if y != nil || team != nil || fb.falsePositive != nil || prio != nil {
            let nC = classes.count, nT = teams.count
            let pc = scratch, pt = scratch + scratchCount, pp = scratch + 2 * scratchCount
            let zfp = model.scoresAll(x, nC: nC, nT: nT, pc: pc, pt: pt, pp: pp)
            // Gradients of the log-loss: p - onehot(y); heads without a label are skipped.
            if let y { HashedLinearModel.softmax(pc, nC); pc[y] -= 1; feedbackClass &+= 1 }
            if let team { HashedLinearModel.softmax(pt, nT); pt[team] -= 1; feedbackTeam &+= 1 }
            if let prio { HashedLinearModel.softmax(pp, 4); pp[prio] -= 1; feedbackPriority &+= 1 }
            var gfp: Float?
            if let isFP = fb.falsePositive {
                gfp = Float(MathUtil.sigmoid(Double(zfp))) - (isFP ? 1 : 0)
                f.fpRate = f.fpFeedback == 0 ? (isFP ? 1 : 0) : 0.7 * f.fpRate + 0.3 * (isFP ? 1 : 0)
                f.fpFeedback += 1
                feedbackFP &+= 1
            }
            model.stepAll(x, gc: y != nil ? pc : nil, nC: nC, gt: team != nil ? pt : nil, nT: nT, gfp: gfp, gp: prio != nil ? pp : nil)
        }
        if let team {
            let pr = (1...4).contains(fb.priority) ? fb.priority - 1 : -1
            if fb.timeToAckSeconds.isFinite, fb.timeToAckSeconds >= 0, pr >= 0 {
                response.recordAck(team: team, priority: pr, minutes: fb.timeToAckSeconds / 60)
            }
            if fb.timeToResolveSeconds.isFinite, fb.timeToResolveSeconds >= 0, let y {
                response.recordResolve(team: team, cls: y, minutes: fb.timeToResolveSeconds / 60)
            }
        }
        if (1...4).contains(fb.priority) {
            let pr = fb.priority - 1
            if fb.timeToAckSeconds.isFinite, fb.timeToAckSeconds >= 0 {
                sla[pr].ackReports &+= 1
                if fb.timeToAckSeconds / 60 > ackTargets[pr] { sla[pr].ackBreaches &+= 1 }
            }
            if fb.timeToResolveSeconds.isFinite, fb.timeToResolveSeconds >= 0 {
                sla[pr].resolveReports &+= 1
                if fb.timeToResolveSeconds / 60 > resolveTargets[pr] { sla[pr].resolveBreaches &+= 1 }
            }
        }
        fingerprints[slot] = f
        learned &+= 1
    }

    // MARK: - Names and reports

    /// The name of class `i` ("unknown" when out of range).
    public func className(_ i: Int) -> String { lock.withLock { i >= 0 && i < classes.count ? classes.names[i] : "unknown" } }
    /// The name of team `i` (the default team when out of range).
    public func teamName(_ i: Int) -> String { lock.withLock { i >= 0 && i < teams.count ? teams.names[i] : teams.names[0] } }
    /// All class names.
    public var classNames: [String] { lock.withLock { classes.names } }
    /// All team names.
    public var teamNames: [String] { lock.withLock { teams.names } }
}
