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
    /// Parent of each node (−1 for the root).
    public private(set) var parent: [Int32] = []
    /// Leaf holding each reordered position.
    public private(set) var leafOf: [Int32] = []
    /// Reordered position of each original index.
    public private(set) var position: [Int32] = []
    static let leafSize = 16

    /// Builds a tree over `x` (copied).
    public init(_ base: UnsafePointer<Double>, n: Int, d: Int) {
        self.n = n; self.d = d
        index = (0..<n).map { Int32($0) }
        pts = []
        var order = (0..<n).map { $0 }
        if n > 0 { build(base, &order, 0, n) }
        pts = [Double](repeating: 0, count: n * d)
        position = [Int32](repeating: 0, count: n)
        for (r, i) in order.enumerated() {
            index[r] = Int32(i)
            position[i] = Int32(r)
            for t in 0..<d { pts[r * d + t] = base[i * d + t] }
        }
        parent = [Int32](repeating: -1, count: start.count)
        leafOf = [Int32](repeating: 0, count: n)
        for node in 0..<start.count {
            if left[node] >= 0 { parent[Int(left[node])] = Int32(node); parent[Int(right[node])] = Int32(node) }
            else { for r in Int(start[node])..<Int(end[node]) { leafOf[r] = Int32(node) } }
        }
    }

    /// Points under each node (a counter array for `radius(_:_:active:_:)`).
    public var subtreeSizes: [Int32] { (0..<start.count).map { end[$0] - start[$0] } }

    /// Removes original point `i` from an `active` counter array (decrements its ancestors).
    public func deactivate(_ i: Int, in active: inout [Int32]) {
        var node = leafOf[Int(position[i])]
        while node >= 0 { active[Int(node)] -= 1; node = parent[Int(node)] }
    }

    /// `radius`, skipping subtrees whose `active` counter is 0 (e.g. already-labelled points).
    public func radius(_ q: UnsafePointer<Double>, _ r2: Double, active: [Int32], _ visit: (Int) -> Bool) {
        guard n > 0 else { return }
        pts.withUnsafeBufferPointer { pb in box.withUnsafeBufferPointer { bb in active.withUnsafeBufferPointer { ab in
            let p = pb.baseAddress!, bx = bb.baseAddress!
            var stack: [Int32] = []
            stack.reserveCapacity(64)
            stack.append(0)
            while let nodeI = stack.popLast() {
                let node = Int(nodeI)
                if ab[node] == 0 || boxDistance(q, node, bx) > r2 { continue }
                let l = left[node]
                if l < 0 {
                    let inside = boxMaxDistance(q, node, bx) <= r2
                    for r in Int(start[node])..<Int(end[node]) where inside || Distance.squaredEuclidean(q, p + r * d, d) <= r2 {
                        if !visit(Int(index[r])) { return }
                    }
                } else {
                    stack.append(right[node]); stack.append(l)
                }
            }
        } } }
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

    /// Squared distance from `q` to the farthest corner of node `i`'s box.
    @inline(__always)
    func boxMaxDistance(_ q: UnsafePointer<Double>, _ node: Int, _ bx: UnsafePointer<Double>) -> Double {
        let lo = bx + node * 2 * d, hi = lo + d
        var s = 0.0
        for t in 0..<d { let e = Swift.max(abs(q[t] - lo[t]), abs(hi[t] - q[t])); s += e * e }
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
                    if boxMaxDistance(q, node, bx) <= r2 {
                        // The whole box is inside the ball: no distance to compute.
                        for r in Int(start[node])..<Int(end[node]) { if !visit(Int(index[r])) { return } }
                        continue
                    }
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

    /// Number of points within squared distance `r2` of `q`; stops once `cap` is reached
    /// (the result is then at least `cap`).
    public func count(_ q: UnsafePointer<Double>, _ r2: Double, cap: Int) -> Int {
        guard n > 0 else { return 0 }
        var c = 0
        pts.withUnsafeBufferPointer { pb in box.withUnsafeBufferPointer { bb in
            let p = pb.baseAddress!, bx = bb.baseAddress!
            var stack = [Int32](repeating: 0, count: 0)
            stack.reserveCapacity(64)
            stack.append(0)
            while let nodeI = stack.popLast() {
                let node = Int(nodeI)
                if boxDistance(q, node, bx) > r2 { continue }
                if boxMaxDistance(q, node, bx) <= r2 {
                    c += Int(end[node] - start[node])
                    if c >= cap { return }
                    continue
                }
                let l = left[node]
                if l < 0 {
                    for r in Int(start[node])..<Int(end[node]) where Distance.squaredEuclidean(q, p + r * d, d) <= r2 {
                        c += 1
                        if c >= cap { return }
                    }
                } else {
                    stack.append(right[node]); stack.append(l)
                }
            }
        } }
        return c
    }

    /// The `k` nearest points to `q` (original indices and squared distances, nearest first).
    public func nearest(_ q: UnsafePointer<Double>, k: Int, indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Double>) -> Int {
        let k = Swift.min(k, n)
        guard k > 0 else { return 0 }
        var count = 0
        return pts.withUnsafeBufferPointer { pb in box.withUnsafeBufferPointer { bb in
            left.withUnsafeBufferPointer { lb in right.withUnsafeBufferPointer { rb in
            start.withUnsafeBufferPointer { sb in end.withUnsafeBufferPointer { eb in index.withUnsafeBufferPointer { ib in
                let p = pb.baseAddress!, bx = bb.baseAddress!
                // Explicit stack of (node, box distance); depth ≤ 64 for any n this code accepts.
                var stackNode = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0),
                                 Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0),
                                 Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0),
                                 Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0),
                                 Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0),
                                 Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0),
                                 Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0),
                                 Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
                var stackDist = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                                 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                                 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                                 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
                return withUnsafeMutableBytes(of: &stackNode) { snRaw in withUnsafeMutableBytes(of: &stackDist) { sdRaw in
                    let sn = snRaw.baseAddress!.assumingMemoryBound(to: Int32.self)
                    let sd = sdRaw.baseAddress!.assumingMemoryBound(to: Double.self)
                    var top = 1
                    sn[0] = 0; sd[0] = 0
                    while top > 0 {
                        top -= 1
                        let node = Int(sn[top])
                        if count == k && sd[top] >= distances[k - 1] { continue }
                        let l = Int(lb[node])
                        if l < 0 {
                            for r in Int(sb[node])..<Int(eb[node]) {
                                let v = Distance.squaredEuclidean(q, p + r * d, d)
                                if count == k && v >= distances[k - 1] { continue }
                                var pos = count < k ? count : k - 1
                                if count < k { count += 1 }
                                while pos > 0 && distances[pos - 1] > v {
                                    distances[pos] = distances[pos - 1]; indices[pos] = indices[pos - 1]; pos -= 1
                                }
                                distances[pos] = v; indices[pos] = ib[r]
                            }
                            continue
                        }
                        let rr = Int(rb[node])
                        let dl = boxDistance(q, l, bx), dr = boxDistance(q, rr, bx)
                        guard top + 2 <= 64 else { continue }
                        // Push the farther child first so the nearer one is explored first.
                        if dl <= dr {
                            sn[top] = Int32(rr); sd[top] = dr; sn[top + 1] = Int32(l); sd[top + 1] = dl
                        } else {
                            sn[top] = Int32(l); sd[top] = dl; sn[top + 1] = Int32(rr); sd[top + 1] = dr
                        }
                        top += 2
                    }
                    return count
                } }
            } } } } }
        } }
    }
}
