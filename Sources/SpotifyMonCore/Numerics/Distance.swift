/// Distances between points stored as contiguous `Double` runs. Inner loops use raw buffers.
public enum Distance {
    /// Squared Euclidean distance between `a[0..<d]` and `b[0..<d]`.
    @inlinable
    public static func squaredEuclidean(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        var s0 = 0.0, s1 = 0.0
        var i = 0
        while i + 1 < d {
            let x = a[i] - b[i], y = a[i + 1] - b[i + 1]
            s0 += x * x; s1 += y * y
            i += 2
        }
        if i < d { let x = a[i] - b[i]; s0 += x * x }
        return s0 + s1
    }

    /// Squared Euclidean distance between two equal-length arrays.
    @inlinable
    public static func squaredEuclidean(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in squaredEuclidean(pa.baseAddress!, pb.baseAddress!, a.count) }
        }
    }
}
