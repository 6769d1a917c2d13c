/// Page-Hinkley test (CUSUM form) for a change in the mean of a standardised stream: both
/// directions with `update`, upward only with `updateUpward`. Shared by every engine that
/// watches a stream for concept drift.
public struct PageHinkley: Sendable, Equatable {
    /// Cumulative sums for upward and downward changes.
    public var up: Double = 0, down: Double = 0
    /// Points since the last reset.
    public var count: UInt32 = 0

    /// A fresh test.
    public init() {}

    /// Folds in `r` (a standardised residual); returns true on a change larger than `lambda`
    /// given the tolerance `delta`, and resets itself.
    @inlinable
    public mutating func update(_ r: Double, delta: Double, lambda: Double) -> Bool {
        let x = MathUtil.clamp(r, -20, 20)
        up = Swift.max(0, up + x - delta)
        down = Swift.max(0, down - x - delta)
        count &+= 1
        if up > lambda || down > lambda { up = 0; down = 0; count = 0; return true }
        return false
    }

    /// One-sided form: folds in `x` and reports whether the upward statistic is above
    /// `lambda` (it stays in alarm until the mean comes back down or `reset()` is called).
    @inlinable
    public mutating func updateUpward(_ x: Double, delta: Double, lambda: Double) -> Bool {
        up = Swift.max(0, up + MathUtil.clamp(x, -20, 20) - delta)
        count &+= 1
        return up > lambda
    }

    /// The larger of the two statistics.
    public var statistic: Double { Swift.max(up, down) }

    /// Forgets everything (after a refit or a handled change).
    public mutating func reset() { up = 0; down = 0; count = 0 }
}

/// ADWIN (Bifet & Gavaldà 2007): an adaptive window over a bounded stream kept as an
/// exponential histogram (at most `perLevel` buckets of 2^i points at level i), cut when two
/// sub-windows have means that differ more than the Hoeffding/Bernstein bound allows.
/// Fixed storage: 14 levels × 3 buckets (windows up to ~49K points).
public struct Adwin: Sendable {
    static let levels = 14
    static let perLevel = 3
    @usableFromInline var sums = InlineArray<42, Float>(repeating: 0)
    @usableFromInline var vars = InlineArray<42, Float>(repeating: 0)
    @usableFromInline var counts = InlineArray<14, UInt8>(repeating: 0)
    /// Points in the window.
    public var width: Double = 0
    /// Sum over the window.
    public var total: Double = 0
    /// Variance accumulator over the window (sum of squared deviations).
    public var variance: Double = 0
    @usableFromInline var tick: UInt32 = 0

    /// An empty window.
    public init() {}

    /// Mean of the window.
    public var mean: Double { width > 0 ? total / width : 0 }

    /// Adds `x` (expected in [-1, 1]); returns true when a change was detected (the older
    /// part of the window is dropped).
    public mutating func update(_ x: Double, delta: Double) -> Bool {
        let x = MathUtil.clamp(x, -1, 1)
        // Insert a bucket of one point at level 0.
        if width > 0 {
            let m = total / width
            variance += width * (x - m) * (x - m) / (width + 1)
        }
        width += 1; total += x
        insert(level: 0, sum: Float(x), v: 0)
        compress()
        tick &+= 1
        guard tick & 31 == 0, width >= 32 else { return false }
        return detect(delta: delta)
    }

    /// Bucket slot index.
    @inline(__always) static func slot(_ l: Int, _ k: Int) -> Int { l * perLevel + k }

    mutating func insert(level l: Int, sum: Float, v: Float) {
        // Newest bucket goes to the end of its level.
        let c = Int(counts[l])
        sums[Self.slot(l, c)] = sum
        vars[Self.slot(l, c)] = v
        counts[l] = UInt8(c + 1)
    }

    mutating func compress() {
        for l in 0..<Self.levels {
            guard Int(counts[l]) >= Self.perLevel else { break }
            // Merge the two oldest buckets (slots 0 and 1) of this level.
            let n = Float(1 << l)
            let s0 = sums[Self.slot(l, 0)], s1 = sums[Self.slot(l, 1)]
            let m0 = s0 / n, m1 = s1 / n
            let v = vars[Self.slot(l, 0)] + vars[Self.slot(l, 1)] + n * n / (2 * n) * (m0 - m1) * (m0 - m1)
            // Shift the rest down.
            sums[Self.slot(l, 0)] = sums[Self.slot(l, 2)]; vars[Self.slot(l, 0)] = vars[Self.slot(l, 2)]
            counts[l] = 1
            if l + 1 < Self.levels {
                insert(level: l + 1, sum: s0 + s1, v: v)
            } else {
                // Oldest level full: drop the merged bucket (window capped).
                width -= Double(2 * n); total -= Double(s0 + s1)
            }
        }
    }

    /// Checks every split from the oldest bucket onward; drops old buckets while a cut holds.
    mutating func detect(delta: Double) -> Bool {
        var changed = false
        var again = true
        while again {
            again = false
            var n0 = 0.0, s0 = 0.0
            let dd = _log(2 * _log(Swift.max(width, 2)) / delta)
            let varianceW = variance / Swift.max(width, 1)
            // Walk oldest (highest level, slot 0) to newest.
            outer: for l in stride(from: Self.levels - 1, through: 0, by: -1) {
                for k in 0..<Int(counts[l]) {
                    n0 += Double(1 << l); s0 += Double(sums[Self.slot(l, k)])
                    let n1 = width - n0
                    if n1 < 8 || n0 < 8 { continue }
                    let m = 1 / (1 / n0 + 1 / n1)
                    let eps = (2 / m * varianceW * dd).squareRoot() + 2 / (3 * m) * dd
                    if abs(s0 / n0 - (total - s0) / n1) > eps {
                        dropOldest()
                        changed = true
                        again = width >= 32
                        break outer
                    }
                }
            }
        }
        return changed
    }

    mutating func dropOldest() {
        for l in stride(from: Self.levels - 1, through: 0, by: -1) where counts[l] > 0 {
            let n = Double(1 << l)
            let s = Double(sums[Self.slot(l, 0)])
            let vb = Double(vars[Self.slot(l, 0)])
            let c = Int(counts[l])
            for k in 1..<Swift.max(c, 1) {
                sums[Self.slot(l, k - 1)] = sums[Self.slot(l, k)]; vars[Self.slot(l, k - 1)] = vars[Self.slot(l, k)]
            }
            counts[l] = UInt8(c - 1)
            let mb = s / n
            let rest = width - n
            let restMean = rest > 0 ? (total - s) / rest : 0
            variance -= vb + n * rest / Swift.max(width, 1) * (mb - restMean) * (mb - restMean)
            variance = Swift.max(variance, 0)
            width = rest; total -= s
            return
        }
    }

    var isValid: Bool {
        for l in 0..<Self.levels where Int(counts[l]) > Self.perLevel { return false }
        return width.isFinite && width >= 0 && total.isFinite && variance.isFinite
    }
}
