/// Maps a raw anomaly measure (distance ratio, negative log-likelihood) to [0, 1] by the
/// empirical distribution of the training points' raw values: a point scores the fraction of
/// training points that were less anomalous than it (interpolated between 101 stored
/// quantiles). On data like the training data scores are uniform on [0, 1], so a threshold
/// of 0.99 flags about 1 % of them, and the mean score is 0.5 (which the drift test uses).
public struct ScoreCalibration: Sendable, Equatable {
    /// Raw values at levels 0, 0.01, …, 1.
    public var quantiles: [Double]

    /// A calibration from raw training values (NaN ignored).
    public init(raw: [Double]) {
        var v = raw.filter { !$0.isNaN }
        v.sort()
        guard !v.isEmpty else { quantiles = [0, 1]; return }
        quantiles = (0...100).map { q in
            let pos = Double(q) / 100 * Double(v.count - 1)
            let lo = Int(pos), hi = Swift.min(lo + 1, v.count - 1)
            return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
        }
    }

    /// Stored quantiles (at least two, sorted).
    public init(quantiles: [Double]) { self.quantiles = quantiles }

    /// The calibrated score of a raw value.
    public func score(_ raw: Double) -> Double {
        if raw.isNaN { return 1 }
        let q = quantiles
        let m = q.count - 1
        if raw <= q[0] { return 0 }
        if raw >= q[m] { return 1 }
        var lo = 0, hi = m
        while hi - lo > 1 { let mid = (lo + hi) / 2; if q[mid] <= raw { lo = mid } else { hi = mid } }
        let span = q[hi] - q[lo]
        let f = span > 0 ? (raw - q[lo]) / span : 1
        return (Double(lo) + f) / Double(m)
    }
}

/// A sliding calibration for the online path before any batch model exists: the last 1024
/// raw values, re-ranked every 128 points into a sorted table (no allocation per point).
///
/// The table is refreshed incrementally: the values evicted from the ring and the ones
/// added since the last refresh are sorted (128 each) and merged into the table, instead of
/// sorting all 1024 again. After a snapshot restore (which does not store those two lists)
/// the first refresh is a full sort; either way the table is the sorted window.
public struct RollingCalibration: Sendable, Equatable {
    static let capacity = 1024, refreshEvery = 128
    var ring = [Double](repeating: 0, count: capacity)
    var sorted = [Double]()
    var filled = 0, pos = 0, sinceSort = 0
    /// Values added / evicted since the last refresh, and whether both lists are complete.
    var added = [Double](), evicted = [Double](), merged = [Double]()
    var incremental = false

    /// An empty calibration.
    public init() { reserve() }

    mutating func reserve() {
        sorted.reserveCapacity(Self.capacity)
        merged.reserveCapacity(Self.capacity)
        added.reserveCapacity(Self.refreshEvery)
        evicted.reserveCapacity(Self.refreshEvery)
    }

    /// Equal windows and tables (the refresh bookkeeping is not compared).
    public static func == (a: Self, b: Self) -> Bool {
        a.ring == b.ring && a.sorted == b.sorted && a.filled == b.filled && a.pos == b.pos && a.sinceSort == b.sinceSort
    }

    /// The score of `raw` against recent values, then remembers it.
    public mutating func scoreAndAdd(_ raw: Double) -> Double {
        var s = 0.5
        if !sorted.isEmpty {
            var lo = 0, hi = sorted.count
            while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] < raw { lo = mid + 1 } else { hi = mid } }
            s = Double(lo) / Double(sorted.count)
        }
        if incremental {
            if added.count < Self.refreshEvery && evicted.count < Self.refreshEvery {
                added.append(raw)
                if filled == Self.capacity { evicted.append(ring[pos]) }
            } else { incremental = false }
        }
        ring[pos] = raw; pos = (pos + 1) & (Self.capacity - 1); filled = Swift.min(filled + 1, Self.capacity)
        sinceSort += 1
        if sinceSort >= Self.refreshEvery || sorted.count < 32 {
            sinceSort = 0
            if incremental { mergeChanges() } else { fullSort() }
        }
        return s
    }

    mutating func fullSort() {
        sorted.removeAll(keepingCapacity: true)
        for i in 0..<filled { sorted.append(ring[i]) }
        InPlaceSort.sort(&sorted)
        added.removeAll(keepingCapacity: true); evicted.removeAll(keepingCapacity: true)
        incremental = true
    }

    /// sorted ← (sorted − evicted) ∪ added, by two merges over sorted lists.
    mutating func mergeChanges() {
        InPlaceSort.sort(&added)
        InPlaceSort.sort(&evicted)
        merged.removeAll(keepingCapacity: true)
        var i = 0, e = 0, a = 0
        let n = sorted.count
        while i < n {
            let v = sorted[i]
            if e < evicted.count && evicted[e] == v { e += 1; i += 1; continue }  // drop one evicted copy
            if e < evicted.count && evicted[e] < v { e += 1; continue }           // not present: cannot happen
            while a < added.count && added[a] < v { merged.append(added[a]); a += 1 }
            merged.append(v); i += 1
        }
        while a < added.count { merged.append(added[a]); a += 1 }
        swap(&sorted, &merged)
        added.removeAll(keepingCapacity: true); evicted.removeAll(keepingCapacity: true)
    }
}

extension RollingCalibration: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(ring); w.write(UInt64(filled)); w.write(UInt64(pos)); w.write(UInt64(sinceSort)); w.write(sorted)
    }
    public init(from r: inout SnapshotReader) throws {
        ring = try r.read()
        let f: UInt64 = try r.read(), p: UInt64 = try r.read(), s: UInt64 = try r.read()
        sorted = try r.read()
        guard ring.count == 1024, f <= 1024, p < 1024, s <= 1024, sorted.count <= 1024 else {
            throw SMONError.corrupt("bad rolling calibration")
        }
        filled = Int(f); pos = Int(p); sinceSort = Int(s)
        reserve()  // the refresh lists are not stored: the next refresh is a full sort
    }
}
