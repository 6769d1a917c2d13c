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
/// raw values, re-sorted every 128 points into a rank table (no allocation per point).
public struct RollingCalibration: Sendable, Equatable {
    var ring = [Double](repeating: 0, count: 1024)
    var sorted = [Double]()
    var filled = 0, pos = 0, sinceSort = 0

    /// An empty calibration.
    public init() { sorted.reserveCapacity(1024) }

    /// The score of `raw` against recent values, then remembers it.
    public mutating func scoreAndAdd(_ raw: Double) -> Double {
        var s = 0.5
        if !sorted.isEmpty {
            var lo = 0, hi = sorted.count
            while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] < raw { lo = mid + 1 } else { hi = mid } }
            s = Double(lo) / Double(sorted.count)
        }
        ring[pos] = raw; pos = (pos + 1) & 1023; filled = Swift.min(filled + 1, 1024)
        sinceSort += 1
        if sinceSort >= 128 || sorted.count < 32 {
            sinceSort = 0
            sorted.removeAll(keepingCapacity: true)
            for i in 0..<filled { sorted.append(ring[i]) }
            InPlaceSort.sort(&sorted)
        }
        return s
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
    }
}
