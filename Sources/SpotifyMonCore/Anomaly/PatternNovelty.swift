/// Pattern novelty (a contextual member in the spirit of CAD OSE and ARTime): values are
/// quantised on a grid fixed from the series' first points, and the patterns formed by the
/// newest 1, 2 and 3 cells are remembered in a hashed bit set. A pattern never seen before is
/// novel; the member's score is the weighted share of novel patterns at this point.
/// Values outside the first range land in new cells, so level shifts and spikes are novel too.
public struct PatternNovelty: Sendable {
    static let words = 128
    @usableFromInline var bits = InlineArray<128, UInt64>(repeating: 0)
    /// Grid origin and cell width (width 0: not fixed yet).
    public var origin = 0.0, width = 0.0
    /// Range seen before the grid was fixed.
    public var lo = Double.infinity, hi = -Double.infinity
    @usableFromInline var cells = InlineArray<8, Int64>(repeating: 0)
    /// Log-scaled grid (for skewed, non-negative series): cells over log1p((x - lo) / unit).
    public var logScale = false, logBase = 0.0, logUnit = 1.0
    /// Points quantised since the grid was fixed.
    public var seen: UInt32 = 0

    /// An empty member.
    public init() {}

    /// Widens the pre-grid range with `x`.
    public mutating func track(_ x: Double) {
        if x < lo { lo = x }
        if x > hi { hi = x }
    }

    /// Fixes the grid: `cells` cells over the range seen so far (a tiny range gets a floor).
    public mutating func fix(cells n: Int, scaleFloor: Double) {
        let r = hi - lo
        width = Swift.max(r / Double(n), scaleFloor, 1e-12)
        origin = lo
    }

    /// Fixes a log-scaled grid when the warm-up values are non-negative and strongly
    /// right-skewed (the range above the median is more than `skew` times the range below).
    public mutating func fixAuto(cells n: Int, scaleFloor: Double, median: Double, skew: Double) {
        let below = median - lo, above = hi - median
        if skew > 0, lo >= 0, below > 0, above > skew * below {
            logScale = true; logBase = lo; logUnit = below
            origin = 0
            width = Swift.max(_log(1 + (hi - lo) / below) / Double(n), 1e-12)
        } else {
            fix(cells: n, scaleFloor: scaleFloor)
        }
    }

    @inline(__always)
    static func mix(_ h: UInt64) -> UInt64 {
        var z = h &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Tests and sets one pattern; true when it was new.
    @inline(__always)
    mutating func testAndSet(_ h: UInt64) -> Bool {
        let b = Int(Self.mix(h) & 8191)
        let w = b >> 6, m = UInt64(1) << UInt64(b & 63)
        let old = bits[w]
        bits[w] = old | m
        return old & m == 0
    }

    /// Whether a pattern was seen (no learning).
    @inline(__always)
    func test(_ h: UInt64) -> Bool {
        let b = Int(Self.mix(h) & 8191)
        return bits[b >> 6] & (UInt64(1) << UInt64(b & 63)) != 0
    }

    /// Scores `x` (novelty share in [0, 1]) and learns its patterns.
    ///
    /// `tailStart` > 0: cells are linear from `-(tailStart - n)` to `tailStart` (the warm-up
    /// range is cells 0..<n), and beyond grow geometrically, each `1 / invLogRatio`-fold
    /// (log-ratio reciprocal) wider than the last, so a heavy tail does not keep making new cells.
    public mutating func scoreAndLearn(_ x: Double, cellsInRange n: Int, logTails: Bool, maxLength: Int,
                                       phase: Int = -1, phaseWeight: Double = 0, levelWeight: Double = 0.5, graded: Bool = false,
                                       tailStart: Int = 0, invLogRatio: Double = 0) -> Double {
        let t = logScale ? _log(1 + Swift.max((x - logBase) / logUnit, -0.999)) : x
        let q = MathUtil.clamp((t - origin) / width, -1e15, 1e15)
        var c: Int64
        let top = Double(n)
        let upper = Double(tailStart), lower = -Double(tailStart - n)
        if tailStart > 0 {
            if q >= upper { c = Int64(tailStart) + Int64(_log(1 + q - upper) * invLogRatio) }
            else if q < lower { c = Int64(tailStart - n) * -1 - 1 - Int64(_log(1 - q + lower) * invLogRatio) }
            else { c = Int64(q.rounded(.down)) }
        } else if !logTails || (q >= 0 && q < top) { c = Int64(q.rounded(.down)) }
        else if q < 0 { c = -1 - Int64(_log(1 - q) / 0.6931471805599453) }
        else { c = Int64(n) + Int64(_log(1 + q - top) / 0.6931471805599453) }
        var k = 7
        while k > 0 { cells[k] = cells[k - 1]; k -= 1 }
        cells[0] = c
        seen &+= 1
        // Pattern of length L hashes the newest L cells; length 1 weighs half, the rest share the other half.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var novel = 0.0
        let depth = Swift.max(1, Swift.min(maxLength, 8))
        for L in 1...depth {
            guard Int(seen) >= L else { break }
            h = (h ^ UInt64(bitPattern: cells[L - 1])) &* 0x100_0000_01B3
            if testAndSet(h ^ UInt64(L)) {
                if L == 1 {
                    // Graded level novelty: a new cell next to known ones is less surprising.
                    var grade = 1.0
                    if graded {
                        for k in 1...3 {
                            let hp = ((0xCBF2_9CE4_8422_2325 ^ UInt64(bitPattern: c &+ Int64(k))) &* 0x100_0000_01B3) ^ 1
                            let hm = ((0xCBF2_9CE4_8422_2325 ^ UInt64(bitPattern: c &- Int64(k))) &* 0x100_0000_01B3) ^ 1
                            if test(hp) || test(hm) { grade = Double(k) / 4; break }
                        }
                    }
                    novel += (depth == 1 ? 1 : levelWeight) * grade
                } else { novel += (1 - levelWeight) / Double(depth - 1) }
            }
        }
        // Contextual novelty: this cell was never seen at this phase of the season.
        if phase >= 0 {
            let pn = testAndSet((UInt64(bitPattern: cells[0]) &* 0x9E37_79B9 ^ UInt64(phase) << 40) ^ 0x5EA5_0000)
            novel = (novel + (pn ? phaseWeight : 0)) / (1 + phaseWeight)
        }
        return Int(seen) >= depth ? novel : 0
    }

    var isValid: Bool { origin.isFinite && width.isFinite && width >= 0 && logUnit.isFinite && logBase.isFinite }
}
