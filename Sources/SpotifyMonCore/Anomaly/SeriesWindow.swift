/// The most recent values of one series in a fixed ring (no allocation, plain value).
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

    public mutating func push(_ x: Double) {
        values[Int(head)] = x
        head = head == 63 ? 0 : head + 1
        if count < 64 { count += 1 }
    }

    /// The `k`-th newest value (0 = newest); requires `k < count`.

    public func last(_ k: Int) -> Double {
        var i = Int(head) - 1 - k
        if i < 0 { i += 64 }
        return values[i & 63]
    }

    /// Quantile rank of `x` among the newest `w` values: (less + equal/2) / used, 0.5 when empty.

    public func rank(of x: Double, window w: Int) -> Double {
        let used = Swift.min(w, Int(count))
        if used == 0 { return 0.5 }
        var less = 0, equal = 0
        for k in 0..<used {
            let v = last(k)
            less &+= v < x ? 1 : 0
            equal &+= v == x ? 1 : 0
        }
        return (Double(less) + 0.5 * Double(equal)) / Double(used)
    }

    /// Mean of the newest `k` values (0 when empty).
    public func mean(last k: Int) -> Double {
        let used = Swift.min(k, Int(count))
        if used == 0 { return 0 }
        var s = 0.0
        for j in 0..<used { s += last(j) }
        return s / Double(used)
    }

    /// Mean absolute deviation from `center` of the newest `k` values.
    public func meanAbsDev(last k: Int, from center: Double) -> Double {
        let used = Swift.min(k, Int(count))
        if used == 0 { return 0 }
        var s = 0.0
        for j in 0..<used { s += abs(last(j) - center) }
        return s / Double(used)
    }

    /// Whether the stored fields are in range (checked after a snapshot restore).
    var isValid: Bool { head >= 0 && head < 64 && count >= 0 && count <= 64 }
}
