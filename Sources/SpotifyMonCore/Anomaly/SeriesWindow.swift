/// The most recent values of one series in a fixed ring (no allocation, plain value).
///
/// The read methods are `mutating` only so that they work on the stored ring in place: a
/// non-mutating read of an `InlineArray` property was compiled to a copy of the whole ring.
public struct SeriesWindow: Sendable {
    /// Ring size.
    public static let capacity = 64
    @usableFromInline var values = InlineArray<64, Double>(repeating: 0)
    @usableFromInline var head: Int32 = 0
    /// Number of values held (at most `capacity`).
    public private(set) var count: Int32 = 0

    /// An empty window.
    public init() {}

    /// Appends `x`, dropping the oldest value when full.

    @inline(__always)
    public mutating func push(_ x: Double) {
        values[Int(head)] = x
        head = head == 63 ? 0 : head + 1
        if count < 64 { count += 1 }
    }

    /// The `k`-th newest value (0 = newest); requires `k < count`.

    @inline(__always)
    public mutating func last(_ k: Int) -> Double {
        var i = Int(head) - 1 - k
        if i < 0 { i += 64 }
        return values[i & 63]
    }

    /// Quantile rank of `x` among the newest `w` values: (less + equal/2) / used, 0.5 when empty.

    @inline(__always)
    public mutating func rank(of x: Double, window w: Int) -> Double {
        let used = Swift.min(w, Int(count))
        if used == 0 { return 0.5 }
        var less = 0, equal = 0
        if used == 64 {
            // Full window: order does not matter, scan the ring as stored (vectorisable).
            for k in 0..<64 {
                let v = values[k]
                less &+= v < x ? 1 : 0
                equal &+= v == x ? 1 : 0
            }
            return (Double(less) + 0.5 * Double(equal)) / 64
        }
        for k in 0..<used {
            let v = last(k)
            less &+= v < x ? 1 : 0
            equal &+= v == x ? 1 : 0
        }
        return (Double(less) + 0.5 * Double(equal)) / Double(used)
    }

    /// Mean of the newest `k` values (0 when empty).
    @inline(__always)
    public mutating func mean(last k: Int) -> Double {
        let used = Swift.min(k, Int(count))
        if used == 0 { return 0 }
        var s = 0.0
        for j in 0..<used { s += last(j) }
        return s / Double(used)
    }

    /// Mean absolute deviation from `center` of the newest `k` values.
    @inline(__always)
    public mutating func meanAbsDev(last k: Int, from center: Double) -> Double {
        let used = Swift.min(k, Int(count))
        if used == 0 { return 0 }
        var s = 0.0
        for j in 0..<used { s += abs(last(j) - center) }
        return s / Double(used)
    }

    /// Median of the values held (0 when empty). Sorts a copy: off the hot path.
    public func median() -> Double {
        var a: [Double] = []
        for k in 0..<Int(count) { a.append(values[k]) }
        return MathUtil.median(a)
    }

    /// Whether the stored fields are in range (checked after a snapshot restore).
    var isValid: Bool { head >= 0 && head < 64 && count >= 0 && count <= 64 }
}
