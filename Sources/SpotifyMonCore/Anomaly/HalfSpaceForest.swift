/// Streaming half-space trees (Tan, Ting & Liu 2011), shared by all series of a detector:
/// each series feeds scale-free features (its newest values standardised by its own
/// baseline, mapped into [0, 1]), so the forest learns the mass profile of normal recent
/// shapes. Mass is counted in a latest window and becomes the reference every `window` points.
public struct HalfSpaceForest: Sendable {
    /// Features per point.
    public static let dimensions = 4
    /// Trees, depth and window length.
    public let trees: Int, depth: Int, window: Int
    let nodesPerTree: Int
    var splitDim: [UInt8]
    var splitValue: [Float]
    var reference: [UInt32]
    var latest: [UInt32]
    /// Points in the current latest window.
    public var filled = 0
    /// Completed windows.
    public var windows = 0
    let maxScore: Double
    let sizeLimit: UInt32

    /// A forest with random half-space splits drawn from `seed`.
    public init(trees: Int, depth: Int, window: Int, seed: UInt64) {
        self.trees = trees; self.depth = depth; self.window = window
        nodesPerTree = (1 << (depth + 1)) - 1
        splitDim = Array(repeating: 0, count: trees * nodesPerTree)
        splitValue = Array(repeating: 0, count: trees * nodesPerTree)
        reference = Array(repeating: 0, count: trees * nodesPerTree)
        latest = Array(repeating: 0, count: trees * nodesPerTree)
        maxScore = Double(trees) * Double(window) * Double((1 << (depth + 1)) - 1)
        sizeLimit = UInt32(Swift.max(1, Int(0.1 * Double(window))))
        var rng = Xoshiro256(seed: seed ^ 0x4853_5446)
        let d = Self.dimensions
        for t in 0..<trees {
            // Random work space per dimension, then halve the range of a random dimension per node.
            var lo = [Double](repeating: 0, count: d), hi = [Double](repeating: 0, count: d)
            for j in 0..<d {
                let s = rng.nextUnit(), q = 2 * Swift.max(s, 1 - s)
                lo[j] = s - q; hi[j] = s + q
            }
            func build(_ node: Int, _ level: Int, _ lo: [Double], _ hi: [Double]) {
                guard level < depth else { return }
                let j = rng.nextInt(below: d)
                let mid = (lo[j] + hi[j]) / 2
                splitDim[t * nodesPerTree + node] = UInt8(j)
                splitValue[t * nodesPerTree + node] = Float(mid)
                var h2 = hi; h2[j] = mid
                build(2 * node + 1, level + 1, lo, h2)
                var l2 = lo; l2[j] = mid
                build(2 * node + 2, level + 1, l2, hi)
            }
            build(0, 0, lo, hi)
        }
    }

    /// Scores `f` (`dimensions` features in [0, 1]) against the reference mass, counts it in
    /// the latest window, and returns an anomaly score in [0, 1] (1: no reference mass).
    public mutating func scoreAndLearn(_ f: UnsafePointer<Float>) -> Double {
        var score = 0.0
        let npt = nodesPerTree
        splitDim.withUnsafeBufferPointer { sd in
        splitValue.withUnsafeBufferPointer { sv in
        reference.withUnsafeBufferPointer { ref in
        latest.withUnsafeMutableBufferPointer { lat in
            for t in 0..<trees {
                let base = t * npt
                var node = 0, level = 0, scoring = true
                while true {
                    let m = ref[base + node]
                    if scoring {
                        score += Double(m) * Double(1 << level)
                        if m < sizeLimit { scoring = false }
                    }
                    lat[base + node] &+= 1
                    if level == depth { break }
                    node = f[Int(sd[base + node])] < sv[base + node] ? 2 * node + 1 : 2 * node + 2
                    level += 1
                }
            }
        }}}}
        filled += 1
        if filled >= window {
            swap(&reference, &latest)
            for i in latest.indices { latest[i] = 0 }
            filled = 0
            windows += 1
        }
        return windows == 0 ? 0.5 : MathUtil.clamp(1 - score / maxScore, 0, 1)
    }

    func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(trees)); w.write(UInt64(depth)); w.write(UInt64(window))
        w.write(UInt64(filled)); w.write(UInt64(windows))
        w.write(reference); w.write(latest)
    }

    mutating func decode(from r: inout SnapshotReader) throws {
        let t: UInt64 = try r.read(), d: UInt64 = try r.read(), wl: UInt64 = try r.read()
        guard t == UInt64(trees), d == UInt64(depth), wl == UInt64(window) else {
            throw SMONError.corrupt("snapshot forest shape differs from this detector's configuration")
        }
        let f: UInt64 = try r.read(), ws: UInt64 = try r.read()
        let ref: [UInt32] = try r.read(), lat: [UInt32] = try r.read()
        guard ref.count == reference.count, lat.count == latest.count, f < UInt64(window), ws < 1 << 40 else {
            throw SMONError.corrupt("snapshot forest is malformed")
        }
        filled = Int(f); windows = Int(ws); reference = ref; latest = lat
    }
}
