/// A seasonal baseline: an exponentially weighted mean and absolute deviation per phase
/// bucket of a season (e.g. 24 hourly buckets of a day), in fixed storage.
public struct SeasonProfile: Sendable {
    /// Most buckets.
    public static let capacity = 48
    @usableFromInline var mean = InlineArray<48, Float>(repeating: 0)
    @usableFromInline var dev = InlineArray<48, Float>(repeating: 0)
    @usableFromInline var seen = InlineArray<48, UInt16>(repeating: 0)
    /// Timestamp (ms) of the first point, to know when a full season has passed.
    public var firstMs: Int64 = .min

    /// An empty profile.
    public init() {}

    /// Phase bucket of `tsMs` for a season of `seasonMs` split in `buckets`.
    @inline(__always)
    public static func bucket(_ tsMs: Int64, seasonMs: Int64, buckets: Int) -> Int {
        let p = ((tsMs % seasonMs) + seasonMs) % seasonMs
        return Swift.min(Int(p &* Int64(buckets) / seasonMs), buckets - 1)
    }

    /// Expected value and scale at bucket `b`, or nil before a full season or with few points there.
    @inline(__always)
    public mutating func expected(bucket b: Int, tsMs: Int64, seasonMs: Int64) -> (mean: Double, dev: Double)? {
        guard firstMs != .min, tsMs &- firstMs >= seasonMs, seen[b] >= 3 else { return nil }
        return (Double(mean[b]), Double(dev[b]))
    }

    /// Folds `x` into bucket `b`.
    @inline(__always)
    public mutating func update(bucket b: Int, value x: Double, tsMs: Int64) {
        if firstMs == .min { firstMs = tsMs }
        let n = seen[b]
        if n == 0 { mean[b] = Float(x); dev[b] = 0 }
        else {
            let a: Float = n < 10 ? 1 / Float(n + 1) : 0.1
            let d = Float(x) - mean[b]
            mean[b] += a * d
            dev[b] += a * (abs(d) - dev[b])
        }
        if n < UInt16.max { seen[b] = n + 1 }
    }
}
