/// A branch-free exponential of four values at once for bulk work (softmax / log-sum-exp
/// over many values): range reduction by ln 2 and a degree-12 Taylor polynomial on
/// |r| ≤ ln 2 / 2 (relative error below 2e-16 on the reduced range, ~1e-15 overall). The
/// rounding to the nearest integer and the power of two come from the 1.5·2⁵² shift (no
/// rounding instruction or integer conversion needed), so the whole body stays in SIMD lanes.
/// Inputs are clamped to [−708, 709]: below, the result is ≈ 1e-308 instead of a denormal or 0.
@inlinable
public func fastExp(_ x: SIMD4<Double>) -> SIMD4<Double> {
    var xc = x.replacing(with: -708.0, where: x .< -708.0)
    xc = xc.replacing(with: 709.0, where: xc .> 709.0)
    let shift = SIMD4<Double>(repeating: 6755399441055744.0)
    let t = xc * 1.4426950408889634 + shift
    let k = t - shift
    let r = (xc - k * 0.6931471803691238) - k * 1.9082149292705877e-10
    var p = SIMD4<Double>(repeating: 1.0 / 479001600.0)
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    // The low bits of t hold k (two's complement); shifted into the exponent field with the bias.
    let bits = unsafeBitCast(t, to: SIMD4<UInt64>.self)
    return p * unsafeBitCast((bits &+ 1023) &<< 52, to: SIMD4<Double>.self)
}

/// `fastExp` of `count` values in place, four lanes per step.
@inlinable
public func fastExpInPlace(_ v: UnsafeMutablePointer<Double>, _ count: Int) {
    var i = 0
    while i + 4 <= count {
        let e = fastExp(SIMD4<Double>(v[i], v[i + 1], v[i + 2], v[i + 3]))
        v[i] = e[0]; v[i + 1] = e[1]; v[i + 2] = e[2]; v[i + 3] = e[3]
        i += 4
    }
    if i < count {
        // The last one to three values, in the lanes of one more call.
        var x = SIMD4<Double>()
        for l in 0..<(count - i) { x[l] = v[i + l] }
        let e = fastExp(x)
        for l in 0..<(count - i) { v[i + l] = e[l] }
    }
}

/// The exponential of eight Floats at once (softmax over logits), with the same shift trick
/// as the Double version: k = round(x / ln 2) from the 1.5·2²³ shift, r = x − k·ln 2 split in
/// two parts, a degree-6 Taylor polynomial on |r| ≤ ln 2 / 2 (relative error below 3e-7), and
/// 2^k from the shifted value's low bits. Inputs are clamped to [−80, 88]: the smallest
/// result, about 1.8e-35, stays far enough from the subnormal range that products with it
/// (softmax gradients) do not turn subnormal, which would make learning depend on the
/// thread's flush-to-zero mode and run slowly.
@inlinable
public func fastExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    var xc = x.replacing(with: -80, where: x .< -80)
    xc = xc.replacing(with: 88, where: xc .> 88)
    let shift = SIMD8<Float>(repeating: 12_582_912)
    let t = xc * 1.442_695_04 + shift
    let k = t - shift
    let r = (xc - k * 0.693_359_375) + k * 2.121_944_4e-4
    var p = SIMD8<Float>(repeating: 1.0 / 720)
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let bits = unsafeBitCast(t, to: SIMD8<UInt32>.self)
    return p * unsafeBitCast((bits &+ 127) &<< 23, to: SIMD8<Float>.self)
}
