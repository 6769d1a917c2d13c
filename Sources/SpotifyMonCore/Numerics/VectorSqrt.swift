#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Square roots in bulk. `Double.squareRoot()` goes through libm's `sqrt` contract (a scalar
/// `sqrtsd` with an `errno` branch for negative inputs), which the compiler cannot vectorise;
/// on x86-64 this uses SSE2's `sqrtpd` (two lanes, IEEE-correctly rounded: the same value as
/// the scalar root), elsewhere the scalar root.
public enum VectorSqrt {
    /// Replaces `p[0..<n]` by their square roots (NaN for negative values, as `squareRoot()`).
    @inlinable
    public static func inPlace(_ p: UnsafeMutablePointer<Double>, _ n: Int) {
        var i = 0
        #if arch(x86_64)
        while i + 4 <= n {
            _mm_storeu_pd(p + i, _mm_sqrt_pd(_mm_loadu_pd(p + i)))
            _mm_storeu_pd(p + i + 2, _mm_sqrt_pd(_mm_loadu_pd(p + i + 2)))
            i += 4
        }
        #endif
        while i < n { p[i] = p[i].squareRoot(); i += 1 }
    }

    /// The square roots of four values (lane by lane, as `squareRoot()` on each).
    @inlinable @inline(__always)
    public static func roots(_ v: SIMD4<Double>) -> SIMD4<Double> {
        #if arch(x86_64)
        let lo = _mm_sqrt_pd(_mm_set_pd(v[1], v[0])), hi = _mm_sqrt_pd(_mm_set_pd(v[3], v[2]))
        return SIMD4<Double>(lo[0], lo[1], hi[0], hi[1])
        #else
        return v.squareRoot()
        #endif
    }
}
