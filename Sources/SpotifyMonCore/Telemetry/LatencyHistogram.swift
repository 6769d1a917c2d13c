/// A log-linear latency histogram (HdrHistogram-style, about 3% resolution) in fixed storage:
/// recording is O(1) and allocation-free, quantiles are read from the buckets.
public struct LatencyHistogram: Sendable, Equatable {
    static let subBits = 5
    static let subCount = 1 << subBits
    static let magnitudes = 40
    /// Counts per bucket.
    public private(set) var buckets: [UInt64] = Array(repeating: 0, count: magnitudes * subCount)
    /// Events recorded.
    public private(set) var count: UInt64 = 0
    /// Sum of recorded latencies, ns.
    public private(set) var totalNanos: Double = 0

    /// An empty histogram.
    public init() {}

    /// Bucket of a latency: exact below 32 ns, then 16 buckets per power of two.
    static func index(_ ns: UInt64) -> Int {
        let bits = 64 - ns.leadingZeroBitCount
        if bits <= subBits { return Int(ns) }
        let mag = bits - subBits
        let top = Int(ns >> UInt64(mag))
        return Swift.min(mag * subCount + top, magnitudes * subCount - 1)
    }

    /// The range of latencies a bucket holds, ns.
    static func bounds(_ i: Int) -> (Double, Double) {
        let mag = i / subCount, top = i % subCount
        return (Double(top << mag), Double((top + 1) << mag))
    }

    /// Records `events` events that took `nanosEach` each.
    public mutating func record(nanosEach: UInt64, events: UInt64 = 1) {
        buckets[Self.index(nanosEach)] &+= events
        count &+= events
        totalNanos += Double(nanosEach) * Double(events)
    }

    /// The latency (ns) below which a fraction `q` of events fell.
    public func quantile(_ q: Double) -> Double {
        if count == 0 { return 0 }
        let target = UInt64((Double(count) * MathUtil.clamp(q, 0, 1)).rounded(.up))
        var seen: UInt64 = 0
        for (i, c) in buckets.enumerated() where c > 0 {
            seen += c
            if seen >= Swift.max(target, 1) {
                let (lo, hi) = Self.bounds(i)
                return (lo + hi) / 2
            }
        }
        return Self.bounds(buckets.count - 1).1
    }
}
