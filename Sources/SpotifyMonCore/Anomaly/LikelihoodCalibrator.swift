/// Anomaly likelihood (as in Numenta's HTM post-processing): the mean of the newest raw
/// scores is compared with the long-run distribution of raw scores of the same series, so the
/// output is calibrated per series: a noisy series does not alarm on noise, a calm one alarms
/// on a small but unusual rise.
public struct LikelihoodCalibrator: Sendable {
    /// Most raw scores in the short average.
    public static let shortCapacity = 16
    @usableFromInline var recent = InlineArray<16, Float>(repeating: 0)
    @usableFromInline var head: Int32 = 0
    @usableFromInline var filled: Int32 = 0
    /// Long-run mean of the short-run averages.
    public var longMean: Double = 0
    /// Long-run variance of raw scores.
    public var longVar: Double = 0
    /// Raw scores seen.
    public var seen: Double = 0

    /// An empty calibrator.
    public init() {}

    /// Folds `raw` in and returns the likelihood in [0, 1] that the short-run mean is unusual
    /// (`short` scores averaged, long memory `long` points).
    @inlinable
    public mutating func update(_ raw: Double, short: Int, long: Int) -> Double {
        let short = Swift.max(1, Swift.min(short, Self.shortCapacity))
        if head >= Int32(short) { head = 0 }          // the window shrank (e.g. restored with another config)
        if filled > Int32(short) { filled = Int32(short) }
        recent[Int(head)] = Float(raw)
        head = head + 1 == Int32(short) ? 0 : head + 1
        if filled < Int32(short) { filled += 1 }
        var s: Float = 0
        for k in 0..<Int(filled) { s += recent[k] }
        let shortMean = Double(s) / Double(filled)
        var z = 0.0
        if seen >= 2 {
            let sd = Swift.max(longVar.squareRoot(), 1e-3)
            z = (shortMean - longMean) / sd
        }
        // Long-run moments: cumulative at first, then exponential with memory `long`.
        seen += 1
        let a = Swift.max(1 / seen, 1 / Double(long))
        let d = shortMean - longMean
        longMean += a * d
        longVar = (1 - a) * (longVar + a * d * d)
        return MathUtil.normalCDF(z)
    }

    var isValid: Bool { head >= 0 && Int(head) < Self.shortCapacity && filled >= 0 && Int(filled) <= Self.shortCapacity && longMean.isFinite && longVar.isFinite }
}
