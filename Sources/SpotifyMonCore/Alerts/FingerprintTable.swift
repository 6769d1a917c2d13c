/// The alert's own time series, per fingerprint: how often it fired, when last, how often
/// it flapped (fired again soon after resolving), how long it typically takes to resolve by
/// itself, and what feedback said about it before.
public struct FingerprintState: Sendable, Equatable {
    /// The fingerprint hash (0: empty slot).
    public var key: UInt64 = 0
    /// Times it fired.
    public var count: UInt32 = 0
    /// Currently firing.
    public var firing = false
    /// Last firing notification, ms.
    public var lastFireMs: Int64 = 0
    /// Last resolved notification, ms.
    public var lastResolveMs: Int64 = 0
    /// Last activity of either kind, ms (eviction age).
    public var lastSeenMs: Int64 = 0
    /// Decayed flap count.
    public var flaps: Float = 0
    /// Exponentially weighted mean seconds from firing to resolved (< 0: never resolved).
    public var autoResolveSeconds: Float = -1
    /// Exponentially weighted false-positive rate from feedback.
    public var fpRate: Float = 0
    /// Feedback count on false-positiveness.
    public var fpFeedback: Float = 0
    /// The group the fingerprint last joined.
    public var groupId: UInt64 = 0
    /// The stats as they were when the alert at `statsAtMs` was classified (what `learn` replays).
    public var statsAtMs: Int64 = .min
    /// The replayable stats: count, seconds since last (−1: first), flaps.
    public var statsCount: UInt32 = 0, statsSince: Float = -1, statsFlaps: Float = 0
    /// The group context it was classified in: root class and team (−1: none), flags
    /// (bit 0 joined an existing group, bit 1 the group had a surfaced real alert).
    public var statsRootClass: Int16 = -1, statsRootTeam: Int16 = -1, statsGroupFlags: UInt8 = 0
    /// Surfaced in its current firing episode in group `groupId` (counted in that group's
    /// `pagedFiring`). Saved apart from the rest (classifier payload version 6).
    public var paged = false

    /// An empty slot.
    public init() {}
}

extension FingerprintState: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(key); w.write(count); w.write(firing); w.write(lastFireMs); w.write(lastResolveMs); w.write(lastSeenMs)
        w.write(flaps.bitPattern); w.write(autoResolveSeconds.bitPattern); w.write(fpRate.bitPattern)
        w.write(fpFeedback.bitPattern); w.write(groupId); w.write(statsAtMs); w.write(statsCount)
        w.write(statsSince.bitPattern); w.write(statsFlaps.bitPattern)
        w.write(statsRootClass); w.write(statsRootTeam); w.write(statsGroupFlags)
    }
    public init(from r: inout SnapshotReader) throws {
        key = try r.read(); count = try r.read(); firing = try r.read(); lastFireMs = try r.read()
        lastResolveMs = try r.read(); lastSeenMs = try r.read()
        flaps = Float(bitPattern: try r.read()); autoResolveSeconds = Float(bitPattern: try r.read())
        fpRate = Float(bitPattern: try r.read()); fpFeedback = Float(bitPattern: try r.read())
        groupId = try r.read(); statsAtMs = try r.read(); statsCount = try r.read()
        statsSince = Float(bitPattern: try r.read()); statsFlaps = Float(bitPattern: try r.read())
        statsRootClass = try r.read(); statsRootTeam = try r.read(); statsGroupFlags = try r.read()
        let lim = AlertClassifier.maxTimestampMs
        guard [lastFireMs, lastResolveMs, lastSeenMs].allSatisfy({ $0.magnitude <= lim.magnitude }),
              statsAtMs == .min || statsAtMs.magnitude <= lim.magnitude,
              flaps.isFinite, autoResolveSeconds.isFinite, fpRate.isFinite, fpFeedback.isFinite,
              statsSince.isFinite, statsFlaps.isFinite else {
            throw SMONError.corrupt("snapshot holds an out-of-range alert history")
        }
    }
}

/// Fingerprint states in one flat open-addressed table of fixed size. A lookup probes a
/// window of 8 slots; when the window is full the stalest entry is replaced, so memory is
/// bounded and no call allocates.
public struct FingerprintTable: Sendable {
    /// The slots.
    public private(set) var slots: [FingerprintState]
    let mask: Int
    static let probe = 8

    /// A table of at least `capacity` slots (rounded up to a power of two).
    public init(capacity: Int) {
        var n = 64
        while n < capacity { n <<= 1 }
        slots = Array(repeating: FingerprintState(), count: n)
        mask = n - 1
    }

    /// The slot of `key`, claiming (and resetting) one if absent.
    public mutating func slot(_ key: UInt64) -> Int {
        let k = key == 0 ? 1 : key
        var oldest = -1
        var oldestMs = Int64.max
        let start = Int(truncatingIfNeeded: FeatureHash.mix(k)) & mask
        for j in 0..<Self.probe {
            let i = (start + j) & mask
            let s = slots[i].key
            if s == k { return i }
            if s == 0 { slots[i] = FingerprintState(); slots[i].key = k; return i }
            if slots[i].lastSeenMs < oldestMs { oldestMs = slots[i].lastSeenMs; oldest = i }
        }
        slots[oldest] = FingerprintState()
        slots[oldest].key = k
        return oldest
    }

    /// The slot of `key` if present.
    public func find(_ key: UInt64) -> Int? {
        let k = key == 0 ? 1 : key
        let start = Int(truncatingIfNeeded: FeatureHash.mix(k)) & mask
        for j in 0..<Self.probe {
            let i = (start + j) & mask
            if slots[i].key == k { return i }
            if slots[i].key == 0 { return nil }
        }
        return nil
    }

    /// Access to one slot.
    public subscript(_ i: Int) -> FingerprintState {
        get { slots[i] }
        set { slots[i] = newValue }
    }

    /// Occupied slots.
    public var occupied: Int { slots.reduce(0) { $0 + ($1.key != 0 ? 1 : 0) } }

    /// Writes the occupied slots.
    func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(slots.count))
        w.write(UInt64(occupied))
        for (i, s) in slots.enumerated() where s.key != 0 { w.write(UInt64(i)); s.encode(to: &w) }
    }

    /// Reads what `encode` wrote (the slot count must match this table's).
    mutating func decode(from r: inout SnapshotReader) throws {
        let n: UInt64 = try r.read()
        guard n == UInt64(slots.count) else { throw SMONError.corrupt("snapshot fingerprint table size \(n) differs from classifier.max_fingerprints (\(slots.count))") }
        let k = try r.readCount(minSize: 16)
        var fresh = Array(repeating: FingerprintState(), count: slots.count)
        for _ in 0..<k {
            let i: UInt64 = try r.read()
            guard i < n else { throw SMONError.corrupt("snapshot fingerprint slot out of range") }
            fresh[Int(i)] = try FingerprintState(from: &r)
        }
        slots = fresh
    }
}
