/// A static k-d tree over points stored row-major, for radius and k-nearest-neighbour
/// queries in O(log n)-ish time and O(n) memory. Leaves hold up to `leafSize` points; the
/// tree keeps its own copy of the points in leaf order so that leaf scans are contiguous.
public struct KDTree: Sendable {
    /// Number of points.
    public let n: Int
    /// Dimensions.
    public let d: Int
    /// Points reordered by leaf (`n × d`).
    var pts: [Double]
    /// Original index of each reordered point.
    public private(set) var index: [Int32]
    /// Node ranges `[start, end)` in the reordered points.
    var start: [Int32] = [], end: [Int32] = []
    /// Children (−1: leaf).
    var left: [Int32] = [], right: [Int32] = []
    /// Bounding boxes, `2·d` per node (lows then highs).
    var box: [Double] = []
    static let leafSize = 16

    /// Builds a tree over `x` (copied).
    public init(_ base: UnsafePointer<Double>, n: Int, d: Int) {
        self.n = n; self.d = d
        index = (0..<n).map { Int32($0) }
        pts = []
        var order = (0..<n).map { $0 }
        if n > 0 { build(base, &order, 0, n) }
        pts = [Double](repeating: 0, count: n * d)
        for (r, i) in order.enumerated() {
            index[r] = Int32(i)
            for t in 0..<d { pts[r * d + t] = base[i * d + t] }
        }
    }

    @discardableResult
    private mutating func build(_ x: UnsafePointer<Double>, _ order: inout [Int], _ lo: Int, _ hi: Int) -> Int32 {
        let node = Int32(start.count)
        start.append(Int32(lo)); end.append(Int32(hi)); left.append(-1); right.append(-1)
        var lows = [Double](repeating: .infinity, count: d), highs = [Double](repeating: -.infinity, count: d)
        for r in lo..<hi {
            let p = x + order[r] * d
            for t in 0..<d { if p[t] < lows[t] { lows[t] = p[t] }; if p[t] > highs[t] { highs[t] = p[t] } }
        }
        box += lows; box += highs
        if hi - lo <= KDTree.leafSize { return node }
        var dim = 0, spread = -1.0
        for t in 0..<d where highs[t] - lows[t] > spread { spread = highs[t] - lows[t]; dim = t }
        if spread <= 0 { return node }
        let mid = (lo + hi) / 2
        // Quickselect on the split dimension.
        var a = lo, b = hi - 1
        while a < b {
            let pivot = x[order[(a + b) / 2] * d + dim]
            var i = a, j = b
            while i <= j {
                while x[order[i] * d + dim] < pivot { i += 1 }
                while x[order[j] * d + dim] > pivot { j -= 1 }
                if i <= j { order.swapAt(i, j); i += 1; j -= 1 }
            }
            if mid <= j { b = j } else if mid >= i { a = i } else { break }
        }
        let l = build(x, &order, lo, mid)
        let r = build(x, &order, mid, hi)
        left[Int(node)] = l; right[Int(node)] = r
        return node
    }

    /// Squared distance from `q` to node `i`'s box.
    @inline(__always)
    func boxDistance(_ q: UnsafePointer<Double>, _ node: Int, _ bx: UnsafePointer<Double>) -> Double {
        let lo = bx + node * 2 * d, hi = lo + d
        var s = 0.0
        for t in 0..<d {
            let v = q[t]
            if v < lo[t] { let e = lo[t] - v; s += e * e } else if v > hi[t] { let e = v - hi[t]; s += e * e }
        }
        return s
    }

    /// Calls `visit(originalIndex)` for every point within squared distance `r2` of `q`
    /// (the point itself included); stops early when `visit` returns false.
    public func radius(_ q: UnsafePointer<Double>, _ r2: Double, _ visit: (Int) -> Bool) {
        guard n > 0 else { return }
        pts.withUnsafeBufferPointer { pb in box.withUnsafeBufferPointer { bb in
            let p = pb.baseAddress!, bx = bb.baseAddress!
            var stack: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
                        Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
                        Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
                        Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32)
                = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &stack) { sraw in
                let st = sraw.baseAddress!.assumingMemoryBound(to: Int32.self)
                var top = 1
                st[0] = 0
                while top > 0 {
                    top -= 1
                    let node = Int(st[top])
                    if boxDistance(q, node, bx) > r2 { continue }
                    let l = left[node]
                    if l < 0 {
                        for r in Int(start[node])..<Int(end[node]) {
                            if Distance.squaredEuclidean(q, p + r * d, d) <= r2 {
                                if !visit(Int(index[r])) { return }
                            }
                        }
                    } else if top + 2 <= 64 {
                        st[top] = right[node]; st[top + 1] = l; top += 2
                    }
                }
            }
        } }
    }

    /// Number of points within squared distance `r2` of `q`, counting at most `cap`.
    public func count(_ q: UnsafePointer<Double>, _ r2: Double, cap: Int) -> Int {
        var c = 0
        radius(q, r2) { _ in c += 1; return c < cap }
        return c
    }

    /// The `k` nearest points to `q` (original indices and squared distances, nearest first).
    public func nearest(_ q: UnsafePointer<Double>, k: Int, indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Double>) -> Int {
        let k = Swift.min(k, n)
        guard k > 0 else { return 0 }
        var count = 0
        // Sorted insertion list (k is small).
        func offer(_ idx: Int32, _ v: Double) {
            if count == k && v >= distances[k - 1] { return }
            var pos = count < k ? count : k - 1
            if count < k { count += 1 }
            while pos > 0 && distances[pos - 1] > v {
                distances[pos] = distances[pos - 1]; indices[pos] = indices[pos - 1]; pos -= 1
            }
            distances[pos] = v; indices[pos] = idx
        }
        pts.withUnsafeBufferPointer { pb in box.withUnsafeBufferPointer { bb in
            let p = pb.baseAddress!, bx = bb.baseAddress!
            func visit(_ node: Int) {
                let l = Int(left[node])
                if l < 0 {
                    for r in Int(start[node])..<Int(end[node]) { offer(index[r], Distance.squaredEuclidean(q, p + r * d, d)) }
                    return
                }
                let rr = Int(right[node])
                let dl = boxDistance(q, l, bx), dr = boxDistance(q, rr, bx)
                let (first, second, d1, d2) = dl <= dr ? (l, rr, dl, dr) : (rr, l, dr, dl)
                if count < k || d1 < distances[count - 1] { visit(first) }
                if count < k || d2 < distances[count - 1] { visit(second) }
            }
            visit(0)
        } }
        return count
    }
}
