#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The elementary functions the core uses, in one place, so that no engine imports libc itself.

/// Natural logarithm.
@inlinable public func _log(_ x: Double) -> Double { log(x) }
/// Exponential.
@inlinable public func _exp(_ x: Double) -> Double { exp(x) }
/// Cosine.
@inlinable public func _cos(_ x: Double) -> Double { cos(x) }
/// Sine.
@inlinable public func _sin(_ x: Double) -> Double { sin(x) }
/// Hyperbolic tangent.
@inlinable public func _tanh(_ x: Double) -> Double { tanh(x) }
/// x raised to y.
@inlinable public func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
/// Error function.
@inlinable public func _erf(_ x: Double) -> Double { erf(x) }
/// Complementary error function.
@inlinable public func _erfc(_ x: Double) -> Double { erfc(x) }
/// Log-gamma.
@inlinable public func _lgamma(_ x: Double) -> Double { lgamma(x) }

/// Numeric helpers shared by every engine.
public enum MathUtil {
    /// The logistic function 1 / (1 + e^-x), stable for large |x|.
    @inlinable
    public static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1.0 / (1.0 + _exp(-x)) }
        let e = _exp(x)
        return e / (1.0 + e)
    }

    /// Standard normal cumulative distribution function.
    @inlinable
    public static func normalCDF(_ z: Double) -> Double { 0.5 * _erfc(-z / 2.0.squareRoot()) }

    /// Inverse of the standard normal CDF (Acklam's rational approximation, refined by one
    /// Halley step; relative error below 1e-12). `p` is clamped to (1e-300, 1 - 1e-16).
    public static func normalQuantile(_ p: Double) -> Double {
        let p = Swift.min(Swift.max(p, 1e-300), 1 - 1e-16)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let lo = 0.02425, hi = 1 - lo
        var x: Double
        if p < lo {
            let q = (-2 * _log(p)).squareRoot()
            x = (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
        } else if p <= hi {
            let q = p - 0.5, r = q * q
            x = (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r+a[5])*q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r+1)
        } else {
            let q = (-2 * _log(1 - p)).squareRoot()
            x = -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
        }
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * _exp(x * x / 2)
        x = x - u / (1 + x * u / 2)
        return x
    }

    /// Clamps `x` into `[lo, hi]`; NaN maps to `lo`.
    @inlinable
    public static func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
        if !(x >= lo) { return lo }
        return x > hi ? hi : x
    }

    /// The median of `values` (sorts a copy; NaN-free input expected). 0 for an empty array.
    public static func median(_ values: [Double]) -> Double {
        quantile(values, 0.5)
    }

    /// The `q`-quantile of `values` with linear interpolation (type 7). 0 for an empty array.
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        if values.isEmpty { return 0 }
        let s = values.sorted()
        let pos = clamp(q, 0, 1) * Double(s.count - 1)
        let i = Int(pos)
        let f = pos - Double(i)
        return i + 1 < s.count ? s[i] * (1 - f) + s[i + 1] * f : s[i]
    }
}
