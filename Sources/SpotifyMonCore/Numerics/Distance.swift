/// Distances between points stored as contiguous `Double` runs. Inner loops use raw buffers.
public enum Distance {
    /// Squared Euclidean distance between `a[0..<d]` and `b[0..<d]` (always inlined: it is
    /// the inner step of every nearest-centre loop, and a call costs as much as d = 8 work).
    @inlinable @inline(__always)
    public static func squaredEuclidean(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        // Four lanes per step (two SSE registers), then the tail.
        var acc = SIMD4<Double>()
        var i = 0
        while i + 4 <= d {
            let x = SIMD4<Double>(a[i], a[i + 1], a[i + 2], a[i + 3]) - SIMD4<Double>(b[i], b[i + 1], b[i + 2], b[i + 3])
            acc += x * x
            i += 4
        }
        var s = (acc[0] + acc[2]) + (acc[1] + acc[3])
        while i < d { let x = a[i] - b[i]; s += x * x; i += 1 }
        return s
    }

    /// Squared norm ‖a‖² of `a[0..<d]` (four lanes per step, like `squaredEuclidean`).
    @inlinable @inline(__always)
    public static func squaredNorm(_ a: UnsafePointer<Double>, _ d: Int) -> Double {
        var acc = SIMD4<Double>()
        var i = 0
        while i + 4 <= d {
            let x = SIMD4<Double>(a[i], a[i + 1], a[i + 2], a[i + 3])
            acc += x * x
            i += 4
        }
        var s = (acc[0] + acc[2]) + (acc[1] + acc[3])
        while i < d { s += a[i] * a[i]; i += 1 }
        return s
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
