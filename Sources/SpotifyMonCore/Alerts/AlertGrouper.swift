/// What the grouper knows about an alert when placing it.
public struct GroupKey {
    /// Service hash (0: none).
    public var service: UInt64 = 0
    /// Hashes of the services it depends on (topology label `depends_on=a|b`), up to 8.
    public var depends: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// How many of `depends` are set.
    public var dependsCount = 0
    /// Hashes of context labels (cluster, namespace, region, datacenter), combined.
    public var context: UInt64 = 0
    /// Alert name / metric hash.
    public var alertname: UInt64 = 0
    /// A 64-bit token sketch of the message (one bit per hashed word).
    public var textBits: UInt64 = 0
    /// Timestamp.
    public var timeMs: Int64 = 0
    /// The predicted class and its confidence (−1: unknown).
    public var cls = -1, clsConfidence = 0.0
    /// An empty key.
    public init() {}

    /// The i-th dependency.
    @inline(__always)
    public func dep(_ i: Int) -> UInt64 {
        withUnsafeBytes(of: depends) { $0.load(fromByteOffset: i * 8, as: UInt64.self) }
    }
    /// Adds a dependency.
    public mutating func addDep(_ h: UInt64) {
        guard dependsCount < 8 else { return }
        withUnsafeMutableBytes(of: &depends) { $0.storeBytes(of: h, toByteOffset: dependsCount * 8, as: UInt64.self) }
        dependsCount += 1
    }
}

/// The counters of a group that classification decides on.
public struct GroupSummary: Sendable, Equatable {
    /// The group id.
    public var id: UInt64
    /// Alerts surfaced, and those of them rated real.
    public var surfaced: UInt32, surfacedReal: UInt32
    /// The most urgent priority surfaced (1...4; 5: none).
    public var bestPriority: UInt8
    /// The root alert's class and team (−1: none yet).
    public var rootClass: Int16, rootTeam: Int16
    /// Its fingerprints still firing (0 once all have resolved).
    public var firing: UInt32
    /// Of those, the ones that surfaced in the group (paged).
    public var pagedFiring: UInt32
}

/// One open (or recently closed) group of related alerts: an incident candidate.
public struct AlertGroup: Sendable, Equatable {
    /// The group id (0: empty slot).
    public var id: UInt64 = 0
    /// First and last alert times, ms.
    public var firstMs: Int64 = 0, lastMs: Int64 = 0
    /// Alerts in the group.
    public var alerts: UInt32 = 0
    /// Alerts surfaced (not suppressed).
    public var surfaced: UInt32 = 0
    /// Of those, alerts the model rated real.
    public var surfacedReal: UInt32 = 0
    /// The most urgent priority surfaced (1...4; 5: none).
    public var bestPriority: UInt8 = 5
    /// The root alert's class and team (the first alert rated real), −1: none yet.
    public var rootClass: Int16 = -1, rootTeam: Int16 = -1
    /// The root's class confidence (informational: no decision reads it since the third
    /// 2026-12-01 session; kept in snapshots).
    public var rootConfidence: Float = 0
    /// Services in the group (up to 8 hashes, a ring).
    public var services: [UInt64] = []
    /// The most urgent priority surfaced at each of `services`, by position, 4 bits each
    /// (0: nothing surfaced there).
    public var servicePriorities: UInt32 = 0
    /// Their dependencies (up to 16 hashes).
    public var depends: [UInt64] = []
    /// Context label hash of the first alert.
    public var context: UInt64 = 0
    /// Union of the members' text sketches.
    public var textBits: UInt64 = 0
    /// Alert names seen (up to 8).
    public var alertnames: [UInt64] = []
    /// Services of its surfaced alerts rated real, as a 64-bit set (one bit per hash, see
    /// `AlertGrouper.bit`): where the group has already paged for.
    public var realServiceBits: UInt64 = 0
    /// Root-cause classes of its surfaced alerts rated real, as a 64-bit set (see
    /// `AlertGrouper.classBit`): the causes the group has already paged for.
    public var realClassBits: UInt64 = 0
    /// Its fingerprints firing now: 0 once every one has resolved (the incident is over). A
    /// firing fingerprint evicted from the fingerprint table keeps counting (the group then
    /// closes by its window, as before).
    public var firing: UInt32 = 0
    /// Opened by an alert rated a near-certain false positive before any group context
    /// (`classifier.isolate_fp_threshold`): no other fingerprint joins it, so noise neither
    /// joins an incident's group nor gathers one around itself.
    public var isolated = false
    /// Its fingerprints firing now that surfaced in this group (paged) in their firing episode.
    public var pagedFiring: UInt32 = 0
    /// Alerts rated real folded into the group as duplicates after it paged, as they started
    /// firing (up to `AlertGrouper.maxFolded`): due for escalation if they outlive the paged
    /// alerts (`classifier.escalate_outlived_s`).
    var folded: [PendingEscalation] = []

    /// An empty slot.
    public init() {}

    /// The most urgent priority surfaced at `services[i]` (0: none), from `servicePriorities`.
    @inline(__always)
    func servicePriority(at i: Int) -> Int { Int((servicePriorities >> UInt32(4 * i)) & 0xF) }

    /// Sets the most urgent priority (1...4) surfaced at `services[i]`.
    @inline(__always)
    mutating func setServicePriority(_ p: Int, at i: Int) {
        let shift = UInt32(4 * i)
        servicePriorities = servicePriorities & ~(0xF << shift) | UInt32(p & 0xF) << shift
    }

    /// Makes the slot a fresh group `id` opened at `t`, on its old member arrays (emptied,
    /// their storage kept): no allocation once every slot has held a group. (The old arrays
    /// move through a local that is gone when this returns, so they are unique again for the
    /// appends that follow.)
    mutating func reopen(id: UInt64, at t: Int64, context: UInt64) {
        var g = AlertGroup()
        swap(&g.services, &services); swap(&g.depends, &depends); swap(&g.alertnames, &alertnames); swap(&g.folded, &folded)
        g.services.removeAll(keepingCapacity: true); g.depends.removeAll(keepingCapacity: true)
        g.alertnames.removeAll(keepingCapacity: true); g.folded.removeAll(keepingCapacity: true)
        if g.services.capacity < 8 { g.services.reserveCapacity(8) }
        if g.depends.capacity < 16 { g.depends.reserveCapacity(16) }
        if g.alertnames.capacity < 8 { g.alertnames.reserveCapacity(8) }
        if g.folded.capacity < AlertGrouper.maxFolded { g.folded.reserveCapacity(AlertGrouper.maxFolded) }
        g.id = id; g.firstMs = t; g.lastMs = t; g.context = context
        self = g
    }
}

extension AlertGroup: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(id); w.write(firstMs); w.write(lastMs); w.write(alerts); w.write(surfaced); w.write(surfacedReal); w.write(bestPriority)
        w.write(rootClass); w.write(rootTeam); w.write(rootConfidence.bitPattern); w.write(services); w.write(depends)
        w.write(context); w.write(textBits); w.write(alertnames)
    }
    public init(from r: inout SnapshotReader) throws {
        id = try r.read(); firstMs = try r.read(); lastMs = try r.read(); alerts = try r.read(); surfaced = try r.read(); surfacedReal = try r.read()
        bestPriority = try r.read(); rootClass = try r.read(); rootTeam = try r.read()
        rootConfidence = Float(bitPattern: try r.read()); services = try r.read(); depends = try r.read()
        context = try r.read(); textBits = try r.read(); alertnames = try r.read()
        guard services.count <= 8, depends.count <= 16, alertnames.count <= 8 else { throw SMONError.corrupt("snapshot group too large") }
        let lim = AlertClassifier.maxTimestampMs
        guard firstMs.magnitude <= lim.magnitude, lastMs.magnitude <= lim.magnitude, rootConfidence.isFinite, (1...5).contains(bestPriority) else {
            throw SMONError.corrupt("snapshot holds an out-of-range group")
        }
    }
}

/// Online grouping: an alert joins the open group it relates to most (same service, a
/// topology neighbour, shared context labels, similar text, close in time), or opens a new
/// group. Groups live in a fixed ring of slots; indexes from service hashes to slots are
/// direct-mapped caches, so placing an alert costs a handful of comparisons and no allocation
/// once the slots' small arrays have grown.
public struct AlertGrouper: Sendable {
    /// Group slots (a ring).
    public private(set) var groups: [AlertGroup]
    var next = 0
    /// The next group id.
    public private(set) var nextId: UInt64 = 1
    /// service hash → slots of the 4 newest groups with that service (4-way buckets).
    var byService: [Int32]
    /// dependency hash → slots of the 4 newest groups whose members depend on it.
    var byDepends: [Int32]
    let indexMask: Int
    static let ways = 4
    /// The topology learned from `depends_on` labels: per bucket, a service hash and up to 8
    /// dependency hashes (direct-mapped; the newest service wins a bucket).
    var topology: [UInt64]
    static let topologyBuckets = 4096
    /// Two-hop dependencies of the alert being placed (scratch).
    var hop2: [UInt64] = Array(repeating: 0, count: 16)
    var hop2Count = 0
    /// Group window, ms: a group stays open while its last alert is this recent.
    public let windowMs: Int64
    /// Other alerts than the group's own fingerprints join only this long after the group opened, ms.
    public let spanMs: Int64
    /// Score needed to join.
    public let threshold: Double

    /// A grouper with `slots` group slots.
    public init(slots: Int = 1024, windowSeconds: Int, spanSeconds: Int, threshold: Double) {
        spanMs = Int64(spanSeconds) * 1000
        groups = Array(repeating: AlertGroup(), count: slots)
        byService = Array(repeating: -1, count: 8192)
        byDepends = Array(repeating: -1, count: 8192)
        indexMask = 8192 / Self.ways - 1
        topology = Array(repeating: 0, count: Self.topologyBuckets * 9)
        windowMs = Int64(windowSeconds) * 1000
        self.threshold = threshold
    }

    /// Whether the group in slot `s` is open at `t`.
    @inline(__always)
    public func isOpen(_ s: Int, at t: Int64) -> Bool {
        s >= 0 && s < groups.count && groups[s].id != 0 && t - groups[s].lastMs <= windowMs && t >= groups[s].firstMs - windowMs
    }

    /// The slot holding group `id` if it is still open at `t`.
    public func openSlot(of id: UInt64, at t: Int64) -> Int? {
        guard let s = heldSlot(of: id), isOpen(s, at: t) else { return nil }
        return s
    }

    /// The slot holding group `id`, open or not (nil once the slot was reused): slots are
    /// assigned in id order around the ring.
    @inline(__always)
    func heldSlot(of id: UInt64) -> Int? {
        guard id != 0 else { return nil }
        let s = Int((id &- 1) % UInt64(groups.count))
        return groups[s].id == id ? s : nil
    }

    /// How related an alert is to the group in slot `s`: same service 2, topology neighbour
    /// 1.5 (two hops: 1; a service with neither link: −1), same context labels 0.5 (different:
    /// −1), same alert name 0.5, similar text up to 1, within two minutes of the group's last
    /// alert 0.5.
    public func score(_ k: GroupKey, _ s: Int) -> Double {
        groups.withUnsafeBufferPointer { gs in
            let g = UnsafePointer(gs.baseAddress! + s) // no copy: no reference counting of the member arrays
            var score = 0.0
            if k.service != 0 {
                if g.pointee.services.contains(k.service) { score += 2 }
                else if g.pointee.depends.contains(k.service) { score += 1.5 }
                else {
                    var related = false
                    for i in 0..<k.dependsCount where g.pointee.services.contains(k.dep(i)) { score += 1.5; related = true; break }
                    if !related {
                        for i in 0..<hop2Count where g.pointee.services.contains(hop2[i]) { score += 1; related = true; break }
                    }
                    // Another service with no topology link: similar words and timing alone
                    // should not merge two incidents (at the default threshold they cannot).
                    if !related { score -= 1 }
                }
            }
            if k.context != 0, g.pointee.context != 0 { score += k.context == g.pointee.context ? 0.5 : -1 }
            if k.alertname != 0, g.pointee.alertnames.contains(k.alertname) { score += 0.5 }
            if k.textBits != 0 {
                let own = k.textBits.nonzeroBitCount
                let jac = Double(own - (k.textBits & ~g.pointee.textBits).nonzeroBitCount) / Double(own)
                if jac > 0.6 { score += (jac - 0.6) / 0.4 }
            }
            if k.timeMs - g.pointee.lastMs <= 120_000 { score += 0.5 }
            // A confident cause of another kind does not lower the score: cascade symptoms are
            // often confidently misnamed, and a second cause that joins is surfaced by `isNewRoot`.
            return score
        }
    }

    /// Chooses the group for an alert: `preferred` (the fingerprint's own open group) wins;
    /// an alert placed `alone` (a near-certain false positive) then opens an isolated group;
    /// otherwise the best related open group above the threshold; otherwise a new group.
    /// Returns the slot and whether the group is new.
    public mutating func place(_ k: GroupKey, preferred: UInt64, alone: Bool = false) -> (slot: Int, isNew: Bool) {
        let t = k.timeMs
        learnTopology(k)
        if let s = openSlot(of: preferred, at: t) { join(s, k); return (s, false) }
        if !alone, let s = bestRelated(k) { join(s, k); return (s, false) }
        let s = next
        next = (next + 1) % groups.count
        groups[s].reopen(id: nextId, at: t, context: k.context)
        groups[s].isolated = alone
        nextId &+= 1
        join(s, k)
        return (s, true)
    }

    /// The open, not isolated group that relates most to `k` above the threshold, if any.
    mutating func bestRelated(_ k: GroupKey) -> Int? {
        let t = k.timeMs
        var best = -1
        var bestScore = threshold
        @inline(__always) func consider(_ s: Int) {
            guard isOpen(s, at: t), t - groups[s].firstMs <= spanMs, !groups[s].isolated else { return }
            let sc = score(k, s)
            if sc >= bestScore { bestScore = sc; best = s }
        }
        if k.service != 0 {
            let b = bucket(k.service)
            for w in 0..<Self.ways { consider(Int(byService[b + w])); consider(Int(byDepends[b + w])) }
        }
        for i in 0..<k.dependsCount {
            let b = bucket(k.dep(i))
            for w in 0..<Self.ways { consider(Int(byService[b + w])) }
        }
        // Two hops down the learned topology (a dependency's dependencies).
        hop2Count = 0
        for i in 0..<k.dependsCount {
            let tb = topologyBucket(k.dep(i))
            guard topology[tb] == k.dep(i) else { continue }
            for j in 1...8 where hop2Count < hop2.count {
                let d2 = topology[tb + j]
                if d2 == 0 { break }
                hop2[hop2Count] = d2; hop2Count += 1
                let b = bucket(d2)
                consider(Int(byService[b])); consider(Int(byService[b + 1]))
            }
        }
        // The most recent groups, for text similarity across unrelated services.
        for j in 1...4 { consider((next - j + groups.count) % groups.count) }
        return best >= 0 ? best : nil
    }

    /// First entry of the 4-way index bucket of a hash.
    @inline(__always)
    func bucket(_ h: UInt64) -> Int { (Int(truncatingIfNeeded: FeatureHash.mix(h)) & indexMask) * Self.ways }

    @inline(__always)
    func topologyBucket(_ h: UInt64) -> Int { (Int(truncatingIfNeeded: h >> 7) & (Self.topologyBuckets - 1)) * 9 }

    /// Puts slot `s` first in an index bucket (newest first, the oldest falls out).
    @inline(__always)
    static func index(_ a: inout [Int32], _ b: Int, _ s: Int) {
        let v = Int32(s)
        var end = ways - 1
        for w in 0..<ways where a[b + w] == v { end = w; break }
        var w = end
        while w > 0 { a[b + w] = a[b + w - 1]; w -= 1 }
        a[b] = v
    }

    /// Records an alert's service and its dependencies in the learned topology.
    mutating func learnTopology(_ k: GroupKey) {
        guard k.service != 0, k.dependsCount > 0 else { return }
        let tb = topologyBucket(k.service)
        topology[tb] = k.service
        for j in 0..<8 { topology[tb + 1 + j] = j < k.dependsCount ? k.dep(j) : 0 }
    }

    mutating func join(_ s: Int, _ k: GroupKey) {
        groups[s].lastMs = max(groups[s].lastMs, k.timeMs)
        groups[s].alerts &+= 1
        groups[s].textBits |= k.textBits
        if k.service != 0, !groups[s].services.contains(k.service), groups[s].services.count < 8 {
            groups[s].services.append(k.service)
        }
        for i in 0..<k.dependsCount where groups[s].depends.count < 16 && !groups[s].depends.contains(k.dep(i)) {
            groups[s].depends.append(k.dep(i))
            Self.index(&byDepends, bucket(k.dep(i)), s)
        }
        if k.alertname != 0, !groups[s].alertnames.contains(k.alertname), groups[s].alertnames.count < 8 {
            groups[s].alertnames.append(k.alertname)
        }
        if k.service != 0 { Self.index(&byService, bucket(k.service), s) }
    }

    /// Records that an alert (`k`) of the group in slot `s` was surfaced with `priority` (also
    /// as the most urgent surfaced at its service, when that is one of the group's 8); when it
    /// is rated real, its service and the classes in `classes` (a `classBit` set) join the ones
    /// the group has paged for.
    public mutating func surfaced(_ s: Int, priority: Int, real: Bool, key k: GroupKey, classes: UInt64) {
        groups[s].surfaced &+= 1
        if real {
            groups[s].surfacedReal &+= 1
            groups[s].realServiceBits |= Self.bit(k.service)
            groups[s].realClassBits |= classes
        }
        groups[s].bestPriority = UInt8(min(Int(groups[s].bestPriority), priority))
        if k.service != 0, let i = groups[s].services.firstIndex(of: k.service) {
            let cur = groups[s].servicePriority(at: i)
            if cur == 0 || priority < cur { groups[s].setServicePriority(priority, at: i) }
        }
    }

    /// The most urgent priority (1...4) the group in slot `s` surfaced at `service`; 0 when it
    /// surfaced nothing there, or for a service past the 8 the group keeps (read in place).
    public func surfacedPriority(_ s: Int, service: UInt64) -> Int {
        guard service != 0, s >= 0, s < groups.count else { return 0 }
        return groups.withUnsafeBufferPointer { gs in
            let g = UnsafePointer(gs.baseAddress! + s)
            guard let i = g.pointee.services.firstIndex(of: service) else { return 0 }
            return g.pointee.servicePriority(at: i)
        }
    }

    /// The bit of a hash in a 64-bit set (none for 0).
    @inline(__always)
    static func bit(_ h: UInt64) -> UInt64 { h == 0 ? 0 : 1 &<< (FeatureHash.mix(h) >> 58) }

    /// The bit of class `c` in a 64-bit class set (none for −1; classes past 63 share bits).
    @inline(__always)
    public static func classBit(_ c: Int) -> UInt64 { c < 0 ? 0 : 1 &<< UInt64(c & 63) }

    /// Whether an alert (`k`, with its own class confidence in `k.clsConfidence`, before group
    /// context) looks like the root of another incident than the ones the group in slot `s`
    /// has paged for: its own words name a root cause with more than `minConfidence`, and
    /// either its service or that cause is new to the group's surfaced alerts rated real.
    /// (The 64-bit sets can collide: then the service or class is taken for a known one, and
    /// the alert is folded as before.)
    public func isNewRoot(_ s: Int, _ k: GroupKey, minConfidence: Double) -> Bool {
        guard k.service != 0, k.cls >= 0, k.clsConfidence > minConfidence, s >= 0, s < groups.count else { return false }
        return groups.withUnsafeBufferPointer { gs in
            let g = UnsafePointer(gs.baseAddress! + s) // no copy of the group
            return g.pointee.realServiceBits & Self.bit(k.service) == 0 || g.pointee.realClassBits & Self.classBit(k.cls) == 0
        }
    }

    /// Counts a fingerprint that starts firing in the group in slot `s`.
    @inline(__always)
    public mutating func startFiring(_ s: Int) { groups[s].firing &+= 1 }

    /// Uncounts a fingerprint of group `id` that stopped firing there (resolved, or moved to
    /// another group); nothing once the group's slot was reused.
    public mutating func stopFiring(_ id: UInt64) {
        guard let s = heldSlot(of: id), groups[s].firing > 0 else { return }
        groups[s].firing -= 1
    }

    /// Sets every group's firing count from the fingerprints firing in it (restoring a
    /// snapshot from before payload version 4).
    mutating func recountFiring(_ fingerprints: FingerprintTable) {
        for i in groups.indices { groups[i].firing = 0 }
        for f in fingerprints.slots where f.key != 0 && f.firing { if let s = heldSlot(of: f.groupId) { startFiring(s) } }
    }

    /// Restoring a snapshot from before payload version 6 (which saved no paged counts): takes
    /// every fingerprint firing in a group that has surfaced something as paged there, so no
    /// alert folded from now on is escalated before all of them have resolved.
    mutating func recountPaged(_ fingerprints: inout FingerprintTable) {
        for i in groups.indices { groups[i].pagedFiring = 0 }
        for i in fingerprints.slots.indices {
            let f = fingerprints[i]
            guard f.key != 0, f.firing, let s = heldSlot(of: f.groupId), groups[s].surfaced > 0 else { continue }
            startPaged(s)
            fingerprints[i].paged = true
        }
    }

    /// Folded alerts a group remembers (see `AlertClassifier.fold`).
    static let maxFolded = 4

    /// Counts a fingerprint that surfaced in the group in slot `s` in its firing episode.
    @inline(__always)
    mutating func startPaged(_ s: Int) { groups[s].pagedFiring &+= 1 }

    /// Uncounts a paged fingerprint of group `id` that stopped firing there; when it was the
    /// last, hands the group's folded alerts to `body` and forgets them. Nothing once the
    /// group's slot was reused.
    mutating func stopPaged(_ id: UInt64, _ body: (PendingEscalation) -> Void) {
        guard let s = heldSlot(of: id), groups[s].pagedFiring > 0 else { return }
        groups[s].pagedFiring -= 1
        guard groups[s].pagedFiring == 0 else { return }
        for e in groups[s].folded { body(e) }
        groups[s].folded.removeAll(keepingCapacity: true)
    }

    /// Remembers an alert folded into the group in slot `s` (none past `maxFolded`).
    mutating func fold(_ s: Int, _ e: PendingEscalation) {
        if groups[s].folded.count < Self.maxFolded { groups[s].folded.append(e) }
    }

    /// Keeps the group in slot `s` open as if an alert had joined at `t`.
    public mutating func keepOpen(_ s: Int, at t: Int64) { groups[s].lastMs = max(groups[s].lastMs, t) }

    /// Sets the group's root (first alert rated real).
    public mutating func setRoot(_ s: Int, cls: Int, team: Int, confidence: Double) {
        groups[s].rootClass = Int16(cls); groups[s].rootTeam = Int16(team); groups[s].rootConfidence = Float(confidence)
    }

    /// The group in slot `s`.
    public subscript(_ s: Int) -> AlertGroup { groups[s] }

    /// The plain counters of the group in slot `s` (read in place: no copy of its member
    /// arrays, so no reference counting on the classify path).
    @inline(__always)
    public func summary(_ s: Int) -> GroupSummary {
        groups.withUnsafeBufferPointer { gs in
            let g = UnsafePointer(gs.baseAddress! + s)
            return GroupSummary(id: g.pointee.id, surfaced: g.pointee.surfaced, surfacedReal: g.pointee.surfacedReal,
                                bestPriority: g.pointee.bestPriority, rootClass: g.pointee.rootClass, rootTeam: g.pointee.rootTeam,
                                firing: g.pointee.firing, pagedFiring: g.pointee.pagedFiring)
        }
    }

    func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(groups.count)); w.write(UInt64(next)); w.write(nextId)
        w.write(groups); w.write(byService); w.write(byDepends); w.write(topology)
        // Since classifier payload version 2.
        w.write(groups.map { $0.realServiceBits })
        // Since version 4.
        w.write(groups.map { $0.realClassBits })
        w.write(groups.map { $0.firing })
        // Since version 5.
        w.write(groups.map { $0.isolated ? UInt8(1) : 0 })
        // Since version 6.
        w.write(groups.map { $0.pagedFiring })
        for g in groups {
            w.write(UInt8(g.folded.count))
            for e in g.folded { e.encode(to: &w, timed: true) }
        }
        // Since version 7.
        w.write(groups.map { $0.servicePriorities })
    }

    /// Reads `encode`'s output; payload version 1 has no surfaced-real service sets (they stay
    /// empty), versions before 4 no class sets (they start from the group's root class) nor
    /// firing counts (the caller recounts them from the fingerprints: `recountFiring`), versions
    /// before 5 no isolated groups, before 6 no paged counts nor folded alerts, before 7 no
    /// priorities per service (none surfaced at any service, until the group surfaces again).
    /// `slots` is the fingerprint table's size.
    mutating func decode(from r: inout SnapshotReader, version: UInt32, slots: Int) throws {
        let n: UInt64 = try r.read()
        let nx: UInt64 = try r.read()
        guard n == UInt64(groups.count), nx < n else { throw SMONError.corrupt("snapshot group ring size differs") }
        nextId = try r.read()
        let g: [AlertGroup] = try r.read()
        let bs: [Int32] = try r.read(), bd: [Int32] = try r.read()
        let topo: [UInt64] = try r.read()
        guard topo.count == topology.count else { throw SMONError.corrupt("snapshot topology table size differs") }
        guard g.count == groups.count, bs.count == byService.count, bd.count == byDepends.count,
              (bs + bd).allSatisfy({ $0 >= -1 && Int($0) < groups.count }) else {
            throw SMONError.corrupt("snapshot grouping state inconsistent")
        }
        var withSets = g
        if version >= 2 {
            let sb: [UInt64] = try r.read()
            guard sb.count == g.count else { throw SMONError.corrupt("snapshot group sets inconsistent") }
            for i in withSets.indices { withSets[i].realServiceBits = sb[i] }
        }
        if version >= 4 {
            let cb: [UInt64] = try r.read()
            guard cb.count == g.count else { throw SMONError.corrupt("snapshot group class sets inconsistent") }
            let fc: [UInt32] = try r.read()
            guard fc.count == g.count else { throw SMONError.corrupt("snapshot group firing counts inconsistent") }
            for i in withSets.indices { withSets[i].realClassBits = cb[i]; withSets[i].firing = fc[i] }
        } else {
            for i in withSets.indices { withSets[i].realClassBits = Self.classBit(Int(withSets[i].rootClass)) }
        }
        if version >= 5 {
            let iso: [UInt8] = try r.read()
            guard iso.count == g.count, iso.allSatisfy({ $0 <= 1 }) else { throw SMONError.corrupt("snapshot group isolation flags inconsistent") }
            for i in withSets.indices { withSets[i].isolated = iso[i] == 1 }
        }
        if version >= 6 {
            let pf: [UInt32] = try r.read()
            guard pf.count == g.count else { throw SMONError.corrupt("snapshot group paged counts inconsistent") }
            for i in withSets.indices {
                withSets[i].pagedFiring = pf[i]
                let n: UInt8 = try r.read()
                guard Int(n) <= Self.maxFolded else { throw SMONError.corrupt("snapshot group holds too many folded alerts") }
                withSets[i].folded.removeAll(keepingCapacity: true)
                for _ in 0..<Int(n) { withSets[i].folded.append(try PendingEscalation(from: &r, dueAfterMs: nil, slots: slots)) }
            }
        }
        if version >= 7 {
            let sp: [UInt32] = try r.read()
            guard sp.count == g.count else { throw SMONError.corrupt("snapshot group service priorities inconsistent") }
            for i in withSets.indices {
                // Each 4-bit field is 0 (none) or a priority 1...4, and only for a service the group holds.
                withSets[i].servicePriorities = sp[i]
                let held = withSets[i].services.count
                for f in 0..<8 where withSets[i].servicePriority(at: f) > 4 || (f >= held && withSets[i].servicePriority(at: f) != 0) {
                    throw SMONError.corrupt("snapshot group service priority out of range")
                }
            }
        }
        groups = withSets; byService = bs; byDepends = bd; topology = topo; next = Int(nx)
    }
}
