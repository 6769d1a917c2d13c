/// The clustering-distance member: the shape of the newest `dimension` values (centred and
/// scaled) is compared with prototypes learned online (sequential k-means with a birth rule);
/// a shape far from every prototype scores high.
public struct ShapeMember: Sendable {
    /// Values per shape.
    public static let dimension = 8
    /// Most prototypes.
    public static let maxPrototypes = 8
    @usableFromInline var centers = InlineArray<64, Float>(repeating: 0)
    @usableFromInline var weight = InlineArray<8, Float>(repeating: 0)
    /// Prototypes in use.
    public var used: Int32 = 0
    /// Running mean of nearest-prototype distances (squared).
    public var meanDistance: Float = 0

    /// An empty member.
    public init() {}

    /// Scores the shape `v` (dimension entries) and learns from it. Returns a score in [0, 1].
    @inlinable
    public mutating func scoreAndLearn(_ v: UnsafePointer<Float>, limit: Int) -> Double {
        let d = Self.dimension
        var best = Float.infinity, bi = -1
        withUnsafeBytes(of: &centers) { raw in
            let c = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            for p in 0..<Int(used) {
                var s: Float = 0
                for j in 0..<8 { let e = v[j] - c[p &* 8 &+ j]; s += e * e }
                if s < best { best = s; bi = p }
            }
        }
        var score = 0.0
        if bi < 0 || (best > 9 * meanDistance + 1e-3 && Int(used) < limit) {
            // Birth of a new prototype (the first shapes seed the set).
            if bi >= 0 { score = Double(best / (best + 4 * meanDistance + 1e-6)) }
            let p = Int(used)
            for j in 0..<d { centers[p * d + j] = v[j] }
            weight[p] = 1
            used += 1
            if bi >= 0 { meanDistance += 0.02 * (best - meanDistance) }
            return score
        }
        score = Double(best / (best + 4 * meanDistance + 1e-6))
        let w = weight[bi] + 1
        weight[bi] = Swift.min(w, 50)
        let lr = 1 / weight[bi]
        for j in 0..<d { centers[bi * d + j] += lr * (v[j] - centers[bi * d + j]) }
        meanDistance += (meanDistance == 0 ? 1 : 0.02) * (best - meanDistance)
        return score
    }

    var isValid: Bool { used >= 0 && Int(used) <= Self.maxPrototypes && meanDistance.isFinite }
}
