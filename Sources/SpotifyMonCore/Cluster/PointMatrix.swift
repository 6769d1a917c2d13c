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
/// appearance; `-1` (noise) stays `-1`.
public func compactLabels(_ labels: inout [Int32]) -> Int {
    var map: [Int32: Int32] = [:]
    for i in labels.indices where labels[i] >= 0 {
        if let m = map[labels[i]] { labels[i] = m } else {
            let m = Int32(map.count); map[labels[i]] = m; labels[i] = m
        }
    }
    return map.count
}
