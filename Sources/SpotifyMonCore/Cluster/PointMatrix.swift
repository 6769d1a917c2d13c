/// A read-only view of `n` points of `d` coordinates stored row-major and contiguously.
/// The caller keeps the memory alive for as long as the view is used.
public struct PointMatrix {
    /// First coordinate of the first point.
    public let base: UnsafePointer<Double>
    /// Number of points.
    public let n: Int
    /// Coordinates per point.
    public let d: Int

    /// A view over `base[0 ..< n*d]`.
    @inlinable
    public init(_ base: UnsafePointer<Double>, n: Int, d: Int) { self.base = base; self.n = n; self.d = d }

    /// The first coordinate of point `i`.
    @inlinable
    public func row(_ i: Int) -> UnsafePointer<Double> { base + i &* d }
}

extension Array where Element == Double {
    /// Runs `body` with a `PointMatrix` over this array read as `n × d`.
    @inlinable
    public func withPoints<R>(n: Int, d: Int, _ body: (PointMatrix) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { p in
            if let b = p.baseAddress { return try body(PointMatrix(b, n: n, d: d)) }
            var one = 0.0
            return try withUnsafePointer(to: &one) { try body(PointMatrix($0, n: 0, d: d)) }
        }
    }
}

/// Dense relabelling of integer labels: each distinct label gets 0, 1, ... in order of first
/// appearance; negative labels (noise) become `-1`. Returns the number of distinct labels.
public func compactLabels(_ labels: inout [Int32]) -> Int {
    var maxLabel: Int32 = -1
    for l in labels where l > maxLabel { maxLabel = l }
    if maxLabel < 0 { for i in labels.indices { labels[i] = -1 }; return 0 }
    if Int(maxLabel) < Swift.max(1 << 16, 4 * labels.count) {
        var map = [Int32](repeating: -1, count: Int(maxLabel) + 1)
        var next: Int32 = 0
        labels.withUnsafeMutableBufferPointer { lb in
            for i in 0..<lb.count {
                let l = lb[i]
                if l < 0 { lb[i] = -1; continue }
                var m = map[Int(l)]
                if m < 0 { m = next; map[Int(l)] = m; next += 1 }
                lb[i] = m
            }
        }
        return Int(next)
    }
    var map: [Int32: Int32] = [:]
    for i in labels.indices {
        if labels[i] < 0 { labels[i] = -1; continue }
        if let m = map[labels[i]] { labels[i] = m } else {
            let m = Int32(map.count); map[labels[i]] = m; labels[i] = m
        }
    }
    return map.count
}
