/// Groups anomalies that co-occur across related series (same `service` or `host` tag, or
/// the same metric) within a time span, and names the group's leading series (the one whose
/// anomaly came first). Touched only when a point is anomalous, under its own lock.
public final class CorrelationTracker: @unchecked Sendable {
    /// One remembered anomaly.
    struct Event { var series: UInt32; var ts: Int64; var group: UInt32; var keys: (UInt64, UInt64, UInt64) }
    /// A group: its leader and members (bounded), stored inline so that recording an
    /// anomaly never allocates.
    public struct Group: Sendable {
        /// The most members a group keeps.
        public static let maxMembers = 32
        /// Group id.
        public var id: UInt32
        /// The series whose anomaly came first.
        public var leader: UInt32
        /// First and latest timestamps.
        public var firstTs: Int64, lastTs: Int64
        var memberStore = InlineArray<32, UInt32>(repeating: 0)
        var memberCount = 0

        /// A group of the given members (the first `maxMembers` are kept).
        public init(id: UInt32, leader: UInt32, firstTs: Int64, lastTs: Int64, members: [UInt32]) {
            self.id = id; self.leader = leader; self.firstTs = firstTs; self.lastTs = lastTs
            for m in members { add(m) }
        }

        /// Member series (at most `maxMembers`), in the order they joined.
        public var members: [UInt32] { (0..<memberCount).map { memberStore[$0] } }

        /// Adds `series` unless it is a member already or the group is full.
        mutating func add(_ series: UInt32) {
            guard memberCount < Self.maxMembers else { return }
            for i in 0..<memberCount where memberStore[i] == series { return }
            memberStore[memberCount] = series
            memberCount += 1
        }
    }

    /// Most events remembered, groups remembered.
    static let maxEvents = 8192, maxGroups = 1024

    private let lock = Lock()
    private var recent: [Event] = []
    private var groups: [UInt32: Group] = [:]
    private var order: [UInt32] = []
    private var nextId: UInt32 = 1
    let span: Int64

    /// A tracker grouping anomalies within `spanMs`. Its storage is reserved up front.
    public init(spanMs: Int64) {
        span = spanMs
        reserve()
    }

    private func reserve() {
        recent.reserveCapacity(Self.maxEvents + 1)
        groups.reserveCapacity(Self.maxGroups + 1)
        order.reserveCapacity(Self.maxGroups + 1)
    }

    /// Relatedness keys of a series: hashes of its service tag, host tag and metric (0: absent).
    public static func keys(of key: SeriesKey) -> (UInt64, UInt64, UInt64) {
        func h(_ s: String?) -> UInt64 { s.map { FNV1a.hash($0) | 1 } ?? 0 }
        return (h(key.tag("service")), h(key.tag("host") ?? key.tag("instance")), h(key.metric))
    }

    /// Records an anomaly of `series` at `ts` and returns its group id.
    public func record(series: UInt32, ts: Int64, keys: (UInt64, UInt64, UInt64)) -> UInt32 {
        lock.withLock {
            // Drop stale events from the front (events arrive roughly in time order).
            var stale = 0
            while stale < recent.count, (recent[stale].ts &- ts).magnitude > UInt64(span) { stale += 1 }
            if stale > 0 { recent.removeFirst(stale) }
            var gid: UInt32 = 0
            for e in recent.suffix(256).reversed() where e.series == series || (keys.0 != 0 && e.keys.0 == keys.0)
                || (keys.1 != 0 && e.keys.1 == keys.1) || e.keys.2 == keys.2 {
                gid = e.group; break
            }
            if gid != 0, let at = groups.index(forKey: gid) {
                groups.values[at].add(series)  // in place: no copy of the group
                if ts < groups.values[at].firstTs { groups.values[at].firstTs = ts; groups.values[at].leader = series }
                groups.values[at].lastTs = Swift.max(groups.values[at].lastTs, ts)
            } else {
                gid = nextId; nextId &+= 1; if nextId == 0 { nextId = 1 }
                var g = Group(id: gid, leader: series, firstTs: ts, lastTs: ts, members: [])
                g.add(series)
                if order.count >= Self.maxGroups { groups[order.removeFirst()] = nil }
                groups[gid] = g
                order.append(gid)
            }
            recent.append(Event(series: series, ts: ts, group: gid, keys: keys))
            if recent.count > Self.maxEvents { recent.removeFirst(Self.maxEvents / 2) }
            return gid
        }
    }

    /// The group `id`, if still remembered.
    public func group(_ id: UInt32) -> Group? { lock.withLock { groups[id] } }

    /// The most recent groups (newest last), at most `limit`.
    public func recentGroups(limit: Int) -> [Group] {
        lock.withLock { order.suffix(limit).compactMap { groups[$0] } }
    }

    /// Forgets everything.
    public func reset() {
        lock.withLock {
            recent.removeAll(keepingCapacity: true); groups.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true); nextId = 1
        }
    }

    /// Writes the tracker's state (for engine snapshots).
    func encode(to w: inout SnapshotWriter) {
        lock.withLock {
            w.write(nextId)
            w.write(UInt64(recent.count))
            for e in recent {
                w.write(e.series); w.write(e.ts); w.write(e.group); w.write(e.keys.0); w.write(e.keys.1); w.write(e.keys.2)
            }
            w.write(UInt64(order.count))
            for id in order {
                let g = groups[id]
                w.write(id); w.write(g != nil)
                if let g { w.write(g.leader); w.write(g.firstTs); w.write(g.lastTs); w.write(g.members) }
            }
        }
    }

    /// Reads a state written by `encode` and replaces this tracker's (all or nothing).
    func decode(from r: inout SnapshotReader) throws {
        let next: UInt32 = try r.read()
        let n = try r.readCount(minSize: 44)
        var rec: [Event] = []
        rec.reserveCapacity(n)
        for _ in 0..<n {
            rec.append(Event(series: try r.read(), ts: try r.read(), group: try r.read(), keys: (try r.read(), try r.read(), try r.read())))
        }
        let m = try r.readCount(minSize: 5)
        var ord: [UInt32] = [], gs: [UInt32: Group] = [:]
        for _ in 0..<m {
            let id: UInt32 = try r.read()
            ord.append(id)
            if try r.read(Bool.self) {
                let leader: UInt32 = try r.read(), first: Int64 = try r.read(), last: Int64 = try r.read()
                let members: [UInt32] = try r.read()
                gs[id] = Group(id: id, leader: leader, firstTs: first, lastTs: last, members: members)
            }
        }
        lock.withLock { nextId = next == 0 ? 1 : next; recent = rec; order = ord; groups = gs; reserve() }
    }
}
