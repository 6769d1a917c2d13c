/// A suppressed alert that kept firing: surfaced late by `AlertClassifier.dueEscalations`.
///
/// Transient false positives resolve within minutes; an alert suppressed as a likely false
/// positive (or as flapping, or inside a deployment window; not a maintenance window, which
/// operators declare to be left alone) that is still firing, unresolved,
/// `classifier.escalate_persisting_s` after it fired, with nothing surfaced in its group
/// meanwhile, was not transient: it is due for escalation.
public struct PersistingAlert: Sendable, Equatable {
    /// Which classify call suppressed it: the number of alerts the handle had classified
    /// before it (resolved notifications included; batch calls count each alert).
    public var sequence: UInt64
    /// Its group (incident) id.
    public var groupId: UInt64
    /// Its time, and when it became due (that time + the persistence setting), ms.
    public var firedMs: Int64, dueMs: Int64
    /// Why it had been suppressed.
    public var reason: SuppressionReason
    /// Its priority (1...4), class and team indexes as classified.
    public var priority: Int, alertClass: Int, team: Int
}

/// A suppressed alert waiting to be found still firing (48 bytes: the ring can hold many).
struct PendingEscalation: Sendable, Equatable {
    /// Its fingerprint's key (its slot may have been reused since), sequence number and group.
    var key: UInt64 = 0, sequence: UInt64 = 0, groupId: UInt64 = 0
    /// When it fired, ms.
    var firedMs: Int64 = 0
    /// When it is due, ms: `classifier.escalate_persisting_s` after it fired in the persisting
    /// ring; in the outlived ring, as `AlertClassifier.pagedStopped` set it (0 while folded in a
    /// group, not yet due).
    var dueMs: Int64 = 0
    /// Its fingerprint's slot.
    var slot: Int32 = 0
    /// Reason (bits 0-2), priority (3-5), class + 1 (6-13), team + 1 (14-23).
    var packed: UInt32 = 0

    init() {}

    init(_ a: PersistingAlert, slot: Int, key: UInt64) {
        self.key = key; sequence = a.sequence; groupId = a.groupId; firedMs = a.firedMs; dueMs = a.dueMs; self.slot = Int32(slot)
        packed = UInt32(a.reason.rawValue & 7) | UInt32(a.priority & 7) << 3 | UInt32((a.alertClass + 1) & 0xFF) << 6
            | UInt32((a.team + 1) & 0x3FF) << 14
    }

    /// The alert; nil when the packed fields are out of range.
    var alert: PersistingAlert? {
        guard let reason = SuppressionReason(rawValue: Int32(packed & 7)), (1...4).contains(Int(packed >> 3 & 7)) else { return nil }
        return PersistingAlert(sequence: sequence, groupId: groupId, firedMs: firedMs, dueMs: dueMs, reason: reason,
                               priority: Int(packed >> 3 & 7), alertClass: Int(packed >> 6 & 0xFF) - 1, team: Int(packed >> 14 & 0x3FF) - 1)
    }

    /// Writes the entry (with its due time when `timed`).
    func encode(to w: inout SnapshotWriter, timed: Bool) {
        w.write(key); w.write(sequence); w.write(groupId); w.write(firedMs); w.write(slot); w.write(packed)
        if timed { w.write(dueMs) }
    }

    /// Reads `encode`'s output; `slots` is the fingerprint table's size. `dueAfterMs`: nil when
    /// the due time was saved (`timed`), else the entry is due that long after it fired.
    /// Throws on anything out of range.
    init(from r: inout SnapshotReader, dueAfterMs: Int64?, slots: Int) throws {
        key = try r.read(); sequence = try r.read(); groupId = try r.read(); firedMs = try r.read()
        slot = try r.read(); packed = try r.read()
        if let dueAfterMs { dueMs = firedMs &+ dueAfterMs } else { dueMs = try r.read() }
        let lim = AlertClassifier.maxTimestampMs.magnitude
        guard slot >= 0, Int(slot) < slots, firedMs.magnitude <= lim, dueMs.magnitude <= lim,
              packed >> 24 == 0, alert != nil else {
            throw SMONError.corrupt("snapshot holds an out-of-range pending escalation")
        }
    }
}

/// Suppressed alerts in the order they fired (so in due order): a fixed ring. When it is
/// full, new alerts are not queued (counted in `dropped`): the oldest are the nearest due.
struct PendingEscalations: Sendable {
    private(set) var ring: [PendingEscalation]
    private(set) var head = 0, count = 0
    /// Alerts not queued because the ring was full.
    private(set) var dropped: UInt64 = 0

    init(capacity: Int) { ring = Array(repeating: PendingEscalation(), count: max(capacity, 1)) }

    /// The oldest entry, if any.
    var first: PendingEscalation? { count > 0 ? ring[head] : nil }

    /// Appends an entry (none when full).
    mutating func push(_ e: PendingEscalation) {
        guard count < ring.count else { dropped &+= 1; return }
        ring[(head + count) % ring.count] = e
        count += 1
    }

    /// Removes the oldest entry.
    mutating func removeFirst() {
        guard count > 0 else { return }
        head = (head + 1) % ring.count
        count -= 1
    }

    /// Writes the entries oldest first (with their due times when `timed`), then the drop counter.
    func encode(to w: inout SnapshotWriter, timed: Bool = false) {
        w.write(UInt64(count))
        for i in 0..<count { ring[(head + i) % ring.count].encode(to: &w, timed: timed) }
        w.write(dropped)
    }

    /// Reads `encode`'s output into an empty ring of the same capacity; `slots` is the
    /// fingerprint table's size; `dueAfterMs` as for an entry. Throws on anything out of range.
    mutating func decode(from r: inout SnapshotReader, slots: Int, dueAfterMs: Int64?) throws {
        let n: UInt64 = try r.read()
        guard n <= UInt64(ring.count) else { throw SMONError.corrupt("snapshot holds more pending escalations than fit") }
        for _ in 0..<Int(n) { push(try PendingEscalation(from: &r, dueAfterMs: dueAfterMs, slots: slots)) }
        dropped = try r.read()
    }
}

extension AlertClassifier {
    /// Pops the suppressed alerts due by `nowMs` (≤ 0: the newest alert time seen), in due
    /// order, at most `max` (the rest stay queued), and hands each one still due to `body`:
    /// - a persisting alert (see `PersistingAlert`) still firing with nothing surfaced in its
    ///   group;
    /// - an outlived alert (see `pagedStopped`) still firing in its group with nothing paged
    ///   there since the group's paged alerts resolved.
    /// Its group then counts it as surfaced (and paged), and stays open from its due time, so
    /// the group's later alerts fold behind it. Returns how many were handed over. `body` runs
    /// under the classifier's lock: it must not call the classifier (collect, then use the
    /// names and the rest after).
    @discardableResult
    public func dueEscalations(nowMs: Int64, max: Int, _ body: (PersistingAlert) -> Void) -> Int {
        lock.withLock {
            let now = nowMs > 0 ? Swift.min(nowMs, Self.maxTimestampMs) : lastTimeMs
            var handed = 0
            while handed < max {
                // The earlier due of the two rings' oldest entries.
                let p = pending.first, o = outlived.first
                let takeOutlived = o != nil && (p == nil || o!.dueMs < p!.dueMs)
                guard let e = takeOutlived ? o : p, e.dueMs <= now else { return handed }
                if takeOutlived { outlived.removeFirst() } else { pending.removeFirst() }
                guard let alert = e.alert else { continue }
                let f = fingerprints[Int(e.slot)]
                // Still the same fingerprint, still firing, not resolved since it fired.
                guard f.key == e.key, f.firing, f.lastResolveMs == 0 || f.lastResolveMs < e.firedMs else { continue }
                let s = grouper.heldSlot(of: e.groupId)
                if takeOutlived {
                    // Still in its group, which has paged for nothing since its paged alerts resolved.
                    guard f.groupId == e.groupId, !f.paged, let s, grouper.summary(s).pagedFiring == 0 else { continue }
                    escalatedOutlived &+= 1
                } else {
                    if let s { guard grouper.summary(s).surfaced == 0 else { continue } } // its group paged meanwhile
                    escalatedPersisting &+= 1
                }
                if let s {
                    grouper.surfaced(s, priority: alert.priority, real: true, key: GroupKey(), classes: AlertGrouper.classBit(alert.alertClass))
                    grouper.keepOpen(s, at: e.dueMs) // its alert is known to fire then
                    if f.groupId == e.groupId && !f.paged { grouper.startPaged(s); fingerprints[Int(e.slot)].paged = true }
                }
                handed += 1
                body(alert)
            }
            return handed
        }
    }

    /// Queues a suppressed alert to be escalated if it is still firing after the persistence
    /// setting (called with the lock held, for an alert that started a firing episode).
    func queuePersisting(_ r: AlertResult, slot: Int, key: UInt64) {
        guard persistMs > 0 else { return }
        pending.push(PendingEscalation(Self.pendingAlert(r, sequence: classified, dueMs: r.timestampMs &+ persistMs), slot: slot, key: key))
    }

    /// A suppressed result as a pending alert (`sequence`: the classify call that suppressed it).
    static func pendingAlert(_ r: AlertResult, sequence: UInt64, dueMs: Int64) -> PersistingAlert {
        PersistingAlert(sequence: sequence, groupId: r.groupId, firedMs: r.timestampMs, dueMs: dueMs, reason: r.reason,
                        priority: r.priority, alertClass: r.alertClass, team: r.team)
    }
}
