/// A static k-d tree over points stored row-major, for radius and k-nearest-neighbour
/// queries in O(log n)-ish time and O(n) memory. Leaves hold up to `leafSize(d)` points; the
/// tree keeps its own copy of the points in leaf order so that leaf scans are contiguous.
public struct KDTree: Sendable {
    /// Number of points.
    public let n: Int
    /// Dimensions.
    public let d: Int
    /// Points reordered by leaf (`n × d`).
    var pts: [Double]
    /// The same points by leaf in columns: leaf `[s, e)` keeps coordinate `t` of its point `r`
    /// at `s·d + t·(e − s) + (r − s)`, so a leaf scan computes four distances at once from
    /// contiguous lanes.
    var columns: [Double] = []
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
    /// Points per leaf: 32 in low dimensions, 128 from 5 on, where boxes prune less and the
    /// cost moves from node tests to contiguous leaf scans (measured on DBSCAN and k-NN, d = 2 / 8:
    /// 16 was slower than 32, 64 and 128 faster in 8-D, 128 slightly ahead).
    static func leafSize(_ d: Int) -> Int { d <= 4 ? 32 : 128 }

    /// Builds a tree over `x` (copied).
    public init(_ base: UnsafePointer<Double>, n: Int, d: Int) {
        self.n = n; self.d = d
        index = (0..<n).map { Int32($0) }
        pts = []
        var order = (0..<n).map { $0 }
        if n > 0 { order.withUnsafeMutableBufferPointer { ob in _ = build(base, ob.baseAddress!, 0, n) } }
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
        columns = [Double](repeating: 0, count: n * d)
        for node in 0..<start.count where left[node] < 0 {
            let s = Int(start[node]), len = Int(end[node]) - s
            for r in 0..<len { for t in 0..<d { columns[s * d + t * len + r] = pts[(s + r) * d + t] } }
        }
    }

    /// Number of points within squared distance `r2` of every point (itself included), by a
    /// dual-tree self-join: node pairs farther than the radius are skipped, pairs entirely
    /// inside it are counted wholesale, and each close leaf pair is scanned once for both sides.
    /// Returns counts indexed by original point.
    ///
    /// With `cap`, counting stops being exact above it: a pair of nodes whose points have all
    /// reached `cap` already is skipped (counts are then `min(true count, ≥ cap)`), which is
    /// all a core-point test needs and skips most of a dense region.
    public func neighbourCounts(_ r2: Double, cap: Int = Int.max) -> [Int32] {
        var byPos = [Int32](repeating: 0, count: n)
        guard n > 0 else { return [] }
        let cap32 = Int32(clamping: cap)
        // Points per node still below the cap.
        var open = cap32 > 0 ? subtreeSizes : [Int32](repeating: 0, count: start.count)
        // Pending counts of a leaf pair's second side, by position (zero between pairs).
        var hitBuffer = [Int32](repeating: 0, count: n)
        // Dot-product path (d >= 5): squared norms by position and one leaf pair's products.
        let useProducts = d >= 5
        let productLeaf = KDTree.leafSize(d)
        var normBuffer = [Double](repeating: 0, count: useProducts ? n : 0)
        var dotBuffer = [Double](repeating: 0, count: useProducts ? productLeaf * productLeaf : 0)
        if useProducts { pts.withUnsafeBufferPointer { pb in for r in 0..<n { normBuffer[r] = Distance.squaredNorm(pb.baseAddress! + r * d, d) } } }
        pts.withUnsafeBufferPointer { pb in box.withUnsafeBufferPointer { bb in byPos.withUnsafeMutableBufferPointer { cb in
          open.withUnsafeMutableBufferPointer { ob in hitBuffer.withUnsafeMutableBufferPointer { hb in
           columns.withUnsafeBufferPointer { colb in normBuffer.withUnsafeBufferPointer { nrb in dotBuffer.withUnsafeMutableBufferPointer { dtb in
            let p = pb.baseAddress!, bx = bb.baseAddress!, c = cb.baseAddress!, op = ob.baseAddress!, hits = hb.baseAddress!
            let cols = colb.baseAddress!
            let norms = nrb.baseAddress ?? UnsafePointer(bitPattern: 8)!, dots = dtb.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!
            /// Adds `m` to the count at position `i`; closes it on its way up the tree at the cap.
            @inline(__always) func add(_ i: Int, _ m: Int32) {
                let before = c[i]
                c[i] = before &+ m
                if before < cap32 && before &+ m >= cap32 {
                    var node = Int(leafOf[i])
                    while node >= 0 { op[node] -= 1; node = Int(parent[node]) }
                }
            }
            func boxes(_ a: Int, _ b: Int) -> (Double, Double) {
                let la = bx + a * 2 * d, ha = la + d, lb = bx + b * 2 * d, hb = lb + d
                var lo = 0.0, hi = 0.0
                for t in 0..<d {
                    let g = Swift.max(0, Swift.max(la[t] - hb[t], lb[t] - ha[t]))
                    lo += g * g
                    let m = Swift.max(hb[t] - la[t], ha[t] - lb[t])
                    hi += m * m
                }
                return (lo, hi)
            }
            func visit(_ a: Int, _ b: Int) {
                if op[a] == 0 && op[b] == 0 { return }
                let (lo, hi) = boxes(a, b)
                if lo > r2 { return }
                let sa = Int(start[a]), ea = Int(end[a]), sb = Int(start[b]), eb = Int(end[b])
                if hi <= r2 {
                    if a == b {
                        let m = Int32(ea - sa)
                        for i in sa..<ea { add(i, m) }
                    } else {
                        let ma = Int32(ea - sa), mb = Int32(eb - sb)
                        for i in sa..<ea { add(i, mb) }
                        for j in sb..<eb { add(j, ma) }
                    }
                    return
                }
                let la = Int(left[a]), lb = Int(left[b])
                if la < 0 && lb < 0 {
                    // Close leaf pair, counted branch-free (the comparison feeds an add, not a
                    // branch): distances to four points of the second leaf at a time from its
                    // columns; the second side's hits gather in `hits` and are added once per
                    // point after the scan. Within one leaf only the pairs j > i count (plus
                    // the point itself).
                    let same = a == b, lenB = eb - sb, colB = cols + sb * d
                    // From d = 5 on, the dot products of the pair come from one dgemm and each
                    // distance is ‖x‖² + ‖y‖² − 2·x·y; a distance within the rounding bound of
                    // the radius is recomputed exactly, so the counts are those of exact
                    // distances.
                    let products = useProducts && ea - sa <= productLeaf && lenB <= productLeaf
                    var band = 0.0
                    if products {
                        LinearAlgebra.gemm(m: ea - sa, n: lenB, k: d, a: p + sa * d, lda: d, b: colB, ldb: lenB,
                                           c: dots, ldc: lenB)
                        var big = 0.0
                        for i in sa..<ea { big = Swift.max(big, norms[i]) }
                        var bigB = 0.0
                        for j in sb..<eb { bigB = Swift.max(bigB, norms[j]) }
                        band = NearestCentres.dotFormSlack(d) * (big + bigB)
                    }
                    let below = SIMD4<Double>(repeating: r2 - band), above = SIMD4<Double>(repeating: r2 + band)
                    for i in sa..<ea {
                        let pi = p + i * d
                        var lanes = SIMD4<Int64>()
                        var r = 0
                        while r + 4 <= lenB {
                            var inside: SIMDMask<SIMD4<Int64>>
                            if products {
                                let dot = dots + (i - sa) * lenB + r, nb = norms + sb + r
                                let v = SIMD4<Double>(repeating: norms[i]) + SIMD4<Double>(nb[0], nb[1], nb[2], nb[3])
                                    - 2 * SIMD4<Double>(dot[0], dot[1], dot[2], dot[3])
                                inside = v .<= below
                                let unsure = (v .<= above) .& .!inside
                                if any(unsure) {
                                    for u in 0..<4 where unsure[u] {
                                        inside[u] = Distance.squaredEuclidean(pi, p + (sb + r + u) * d, d) <= r2
                                    }
                                }
                            } else {
                                var acc = SIMD4<Double>()
                                for t in 0..<d {
                                    let cv = colB + t * lenB + r
                                    let df = SIMD4<Double>(cv[0], cv[1], cv[2], cv[3]) - SIMD4<Double>(repeating: pi[t])
                                    acc += df * df
                                }
                                inside = acc .<= SIMD4<Double>(repeating: r2)
                            }
                            if same { inside = inside .& (SIMD4<Int64>(0, 1, 2, 3) &+ Int64(sb + r - i) .> 0) }
                            let one = SIMD4<Int64>().replacing(with: 1, where: inside)
                            lanes &+= one
                            let h = hits + sb + r
                            h[0] &+= Int32(truncatingIfNeeded: one[0]); h[1] &+= Int32(truncatingIfNeeded: one[1])
                            h[2] &+= Int32(truncatingIfNeeded: one[2]); h[3] &+= Int32(truncatingIfNeeded: one[3])
                            r += 4
                        }
                        var ci = Int32(truncatingIfNeeded: lanes.wrappedSum()) &+ (same ? 1 : 0)
                        while r < lenB {
                            var v = 0.0
                            for t in 0..<d { let df = colB[t * lenB + r] - pi[t]; v += df * df }
                            let inside: Int32 = v <= r2 && (!same || sb + r > i) ? 1 : 0
                            ci &+= inside; hits[sb + r] &+= inside
                            r += 1
                        }
                        if same { hits[i] &+= ci } else { add(i, ci) }
                    }
                    for j in sb..<eb { add(j, hits[j]); hits[j] = 0 }
                    return
                }
                if a == b {
                    let ra = Int(right[a])
                    visit(la, la); visit(la, ra); visit(ra, ra)
                    return
                }
                if la >= 0 && (lb < 0 || ea - sa >= eb - sb) {
                    visit(la, b); visit(Int(right[a]), b)
                } else {
                    visit(a, lb); visit(a, Int(right[b]))
                }
            }
            visit(0, 0)
           } } }
          } }
        } } }
        var out = [Int32](repeating: 0, count: n)
        for r in 0..<n { out[Int(index[r])] = byPos[r] }
        return out
    }

    /// The `k` nearest neighbours of every point of the tree (itself included), rows by
    /// original index, nearest first. From d = 5 on, by leaves (`nearestAllByLeaf`); below,
    /// queries run in leaf order and start from the query's own leaf, so the pruning bound is
    /// tight from the first node.
    public func nearestAll(k: Int) -> (indices: [Int32], distances: [Double]) {
        let k = Swift.min(k, n)
        var idx = [Int32](repeating: 0, count: n * k), dist = [Double](repeating: 0, count: n * k)
        guard k > 0 else { return (idx, dist) }
        let leaves = (0..<start.count).filter { left[$0] < 0 }
        if d >= 5 && leaves.allSatisfy({ Int(end[$0] - start[$0]) <= KDTree.leafSize(d) }) {
            nearestAllByLeaf(k: k, leaves: leaves, indices: &idx, distances: &dist)
            return (idx, dist)
        }
        pts.withUnsafeBufferPointer { pb in idx.withUnsafeMutableBufferPointer { ib in dist.withUnsafeMutableBufferPointer { db in
            let p = pb.baseAddress!
            for r in 0..<n {
                let q = p + r * d
                let orig = Int(index[r])
                let oi = ib.baseAddress! + orig * k, od = db.baseAddress! + orig * k
                let leaf = Int(leafOf[r])
                var count = 0
                columns.withUnsafeBufferPointer { cb in index.withUnsafeBufferPointer { xb in
                    scanLeaf(q, Int(start[leaf]), Int(end[leaf]), cb.baseAddress!, xb.baseAddress!,
                             k: k, indices: oi, distances: od, count: &count)
                } }
                _ = nearest(q, k: k, indices: oi, distances: od, found: count, skipLeaf: leaf)
            }
        } } }
        return (idx, dist)
    }

    /// `nearestAll` for all the queries of one leaf at a time: the other leaves are taken in
    /// order of their box distance to the leaf's box, until it exceeds every query's k-th
    /// distance; the dot products of a leaf pair come from one dgemm and candidates are ranked
    /// by `‖x‖² + ‖y‖² − 2·x·y`. The k found are then given exact distances and sorted by them
    /// (the dot form can only swap neighbours whose distances agree to about 1e-15).
    func nearestAllByLeaf(k: Int, leaves: [Int], indices idx: inout [Int32], distances dist: inout [Double]) {
        let big = KDTree.leafSize(d)
        var norms = [Double](repeating: 0, count: n), dots = [Double](repeating: 0, count: big * big)
        var gap = [Double](repeating: 0, count: leaves.count), order = [Int](repeating: 0, count: leaves.count)
        var found = [Int](repeating: 0, count: big)
        pts.withUnsafeBufferPointer { pb in columns.withUnsafeBufferPointer { cb in box.withUnsafeBufferPointer { bb in
          norms.withUnsafeMutableBufferPointer { nb in dots.withUnsafeMutableBufferPointer { db in
            idx.withUnsafeMutableBufferPointer { ib in dist.withUnsafeMutableBufferPointer { sb in
              let p = pb.baseAddress!, cols = cb.baseAddress!, bx = bb.baseAddress!, nrm = nb.baseAddress!
              let dp = db.baseAddress!
              for r in 0..<n { nrm[r] = Distance.squaredNorm(p + r * d, d) }
              for a in leaves {
                  let sa = Int(start[a]), lenA = Int(end[a]) - sa
                  // Other leaves by the squared gap between the boxes (the own leaf first).
                  let la = bx + a * 2 * d, ha = la + d
                  for (o, b) in leaves.enumerated() {
                      let lb = bx + b * 2 * d, hb = lb + d
                      var g = 0.0
                      for t in 0..<d { let e = Swift.max(0, Swift.max(lb[t] - ha[t], la[t] - hb[t])); g += e * e }
                      gap[o] = b == a ? -1 : g
                      order[o] = o
                  }
                  order.sort { gap[$0] < gap[$1] }
                  for i in 0..<lenA { found[i] = 0 }
                  for o in order {
                      // Stop once no query of the leaf can gain from this box or farther ones.
                      var worst = 0.0
                      for i in 0..<lenA {
                          worst = Swift.max(worst, found[i] < k ? .infinity : sb[Int(index[sa + i]) * k + k - 1])
                      }
                      if gap[o] >= worst { break }
                      let b = leaves[o], sB = Int(start[b]), lenB = Int(end[b]) - sB
                      LinearAlgebra.gemm(m: lenA, n: lenB, k: d, a: p + sa * d, lda: d, b: cols + sB * d, ldb: lenB,
                                         c: dp, ldc: lenB)
                      for i in 0..<lenA {
                          let orig = Int(index[sa + i])
                          let oi = ib.baseAddress! + orig * k, od = sb.baseAddress! + orig * k
                          var count = found[i]
                          // This query's own test against the box first.
                          if count == k && boxDistance(p + (sa + i) * d, b, bx) >= od[k - 1] { continue }
                          let row = dp + i * lenB, ni = nrm[sa + i], nB = nrm + sB
                          /// Inserts candidate `r` at dot-form distance `v` if it is among the k nearest.
                          @inline(__always) func offer(_ v: Double, _ r: Int) {
                              if count == k && v >= od[k - 1] { return }
                              var pos = count < k ? count : k - 1
                              if count < k { count += 1 }
                              while pos > 0 && od[pos - 1] > v { od[pos] = od[pos - 1]; oi[pos] = oi[pos - 1]; pos -= 1 }
                              od[pos] = v; oi[pos] = index[sB + r]
                          }
                          var r = 0
                          while r + 4 <= lenB {
                              let v = SIMD4<Double>(repeating: ni) + SIMD4<Double>(nB[r], nB[r + 1], nB[r + 2], nB[r + 3])
                                  - 2 * SIMD4<Double>(row[r], row[r + 1], row[r + 2], row[r + 3])
                              let bound = count == k ? od[k - 1] : Double.infinity
                              if any(v .< SIMD4<Double>(repeating: bound)) { for u in 0..<4 { offer(v[u], r + u) } }
                              r += 4
                          }
                          while r < lenB { offer(ni + nB[r] - 2 * row[r], r); r += 1 }
                          found[i] = count
                      }
                  }
                  // Exact distances for the k found, nearest first.
                  for i in 0..<lenA {
                      let orig = Int(index[sa + i]), q = p + (sa + i) * d
                      let oi = ib.baseAddress! + orig * k, od = sb.baseAddress! + orig * k
                      for j in 0..<k { od[j] = Distance.squaredEuclidean(q, p + Int(position[Int(oi[j])]) * d, d) }
                      for j in 1..<Swift.max(1, k) {
                          let v = od[j], w = oi[j]
                          var pos = j
                          while pos > 0 && od[pos - 1] > v { od[pos] = od[pos - 1]; oi[pos] = oi[pos - 1]; pos -= 1 }
                          od[pos] = v; oi[pos] = w
                      }
                  }
              }
            } }
          } }
        } } }
    }

    /// Points under each node (a counter array for `radius(_:_:active:_:)`).
    public var subtreeSizes: [Int32] { (0..<start.count).map { end[$0] - start[$0] } }

    /// Removes original point `i` from an `active` counter array (decrements its ancestors).
    public func deactivate(_ i: Int, in active: inout [Int32]) {
        var node = leafOf[Int(position[i])]
        while node >= 0 { active[Int(node)] -= 1; node = parent[Int(node)] }
    }

    /// Calls `visit(originalIndex)` for every point within squared distance `r2` of `q` (the
    /// point itself included), skipping subtrees whose `active` counter is 0 (e.g. points
    /// already labelled); stops early when `visit` returns false.
    public func radius(_ q: UnsafePointer<Double>, _ r2: Double, active: [Int32], _ visit: (Int) -> Bool) {
        guard n > 0 else { return }
        columns.withUnsafeBufferPointer { cb in box.withUnsafeBufferPointer { bb in active.withUnsafeBufferPointer { ab in
            let cols = cb.baseAddress!, bx = bb.baseAddress!
            // Fixed stack on the stack frame (depth ≤ 64 for any n this code accepts): no
            // allocation per query.
            var stack = Stack64()
            withUnsafeMutableBytes(of: &stack) { sraw in
                let st = sraw.baseAddress!.assumingMemoryBound(to: Int32.self)
                var top = 1
                st[0] = 0
                while top > 0 {
                    top -= 1
                    let node = Int(st[top])
                    if ab[node] == 0 || boxDistance(q, node, bx) > r2 { continue }
                    let l = left[node]
                    if l < 0 {
                        let s0 = Int(start[node]), len = Int(end[node]) - s0
                        if boxMaxDistance(q, node, bx) <= r2 {
                            for r in s0..<(s0 + len) { if !visit(Int(index[r])) { return } }
                            continue
                        }
                        // Four distances at a time from the leaf's columns; only lanes inside
                        // the ball are visited.
                        let base = cols + s0 * d
                        var r = 0
                        while r + 4 <= len {
                            let acc = Self.fourDistances(q, base, len: len, at: r, d: d)
                            let inside = acc .<= SIMD4<Double>(repeating: r2)
                            if any(inside) {
                                for u in 0..<4 where inside[u] { if !visit(Int(index[s0 + r + u])) { return } }
                            }
                            r += 4
                        }
                        while r < len {
                            var v = 0.0
                            for t in 0..<d { let df = base[t * len + r] - q[t]; v += df * df }
                            if v <= r2 && !visit(Int(index[s0 + r])) { return }
                            r += 1
                        }
                    } else if top + 2 <= 64 {
                        st[top] = right[node]; st[top + 1] = l; top += 2
                    }
                }
            }
        } } }
    }

    /// Builds the node over `order[lo..<hi]` (and its subtree); returns its index.
    private mutating func build(_ x: UnsafePointer<Double>, _ order: UnsafeMutablePointer<Int>, _ lo: Int, _ hi: Int) -> Int32 {
        let node = Int32(start.count)
        start.append(Int32(lo)); end.append(Int32(hi)); left.append(-1); right.append(-1)
        let bb = box.count
        box.append(contentsOf: repeatElement(Double.infinity, count: d))
        box.append(contentsOf: repeatElement(-Double.infinity, count: d))
        let d = self.d
        var dim = 0, spread = -1.0
        box.withUnsafeMutableBufferPointer { bp in
            let lows = bp.baseAddress! + bb, highs = lows + d
            for r in lo..<hi {
                let p = x + order[r] * d
                for t in 0..<d { let v = p[t]; lows[t] = Swift.min(lows[t], v); highs[t] = Swift.max(highs[t], v) }
            }
            for t in 0..<d where highs[t] - lows[t] > spread { spread = highs[t] - lows[t]; dim = t }
        }
        if hi - lo <= KDTree.leafSize(d) || spread <= 0 { return node }
        let mid = (lo + hi) / 2
        KDTree.select(x, d: d, dim: dim, order, lo, hi, mid)
        let l = build(x, order, lo, mid)
        let r = build(x, order, mid, hi)
        left[Int(node)] = l; right[Int(node)] = r
        return node
    }

    /// Reorders `order[lo..<hi]` so that the point at `mid` has the `mid − lo`-th smallest
    /// coordinate `dim`, none before it larger and none after it smaller (quickselect). The
    /// coordinates are gathered next to the indices first, and both partitions are branch-free
    /// Lomuto passes (always swap, advance on the comparison): a Hoare partition's data-dependent
    /// branches mispredict about every other element on unordered data. When the pivot value is
    /// repeated, a second pass splits the values equal to it off, so ties cost O(n), not O(n²).
    static func select(_ x: UnsafePointer<Double>, d: Int, dim: Int, _ order: UnsafeMutablePointer<Int>,
                       _ lo: Int, _ hi: Int, _ mid: Int) {
        let m = hi - lo
        guard m > 1 else { return }
        let key = UnsafeMutablePointer<Double>.allocate(capacity: m)
        defer { key.deallocate() }
        let ord = order + lo
        for r in 0..<m { key[r] = x[ord[r] * d + dim] }
        /// Moves the elements of `[a, b)` for which `before(key)` holds to the front; returns
        /// where the rest starts, and how many keys equal `pivot`.
        @inline(__always) func partition(_ a: Int, _ b: Int, _ pivot: Double, _ before: (Double) -> Bool) -> (Int, Int) {
            var s = a, eq = 0
            for i in a..<b {
                let k = key[i], o = ord[i]
                key[i] = key[s]; ord[i] = ord[s]
                key[s] = k; ord[s] = o
                s += before(k) ? 1 : 0
                eq += k == pivot ? 1 : 0
            }
            return (s, eq)
        }
        let t = mid - lo
        var a = 0, b = m
        while b - a > 2 {
            // Median of three (distinct positions) as the pivot value: unless it is repeated,
            // it is larger than one of them, so the first part is never empty.
            let k0 = key[a], k1 = key[a + (b - a) / 2], k2 = key[b - 1]
            let pivot = Swift.max(Swift.min(k0, k1), Swift.min(Swift.max(k0, k1), k2))
            let (s, eq) = partition(a, b, pivot) { $0 < pivot }
            if t < s { b = s; continue }
            if eq == 1 { a = s; continue }
            let (e, _) = partition(s, b, pivot) { $0 <= pivot }
            if t < e { return }  // t holds a value equal to the pivot
            a = e
        }
        if b - a == 2 && key[a] > key[a + 1] {
            let o = ord[a]; ord[a] = ord[a + 1]; ord[a + 1] = o
        }
    }

    /// Squared distances from `q` to points `r ..< r+4` of a leaf stored by columns at `base`
    /// (`len` points per column, `d` columns).
    @inline(__always)
    static func fourDistances(_ q: UnsafePointer<Double>, _ base: UnsafePointer<Double>, len: Int, at r: Int, d: Int) -> SIMD4<Double> {
        var acc = SIMD4<Double>()
        for t in 0..<d {
            let c = base + t * len + r
            let df = SIMD4<Double>(c[0], c[1], c[2], c[3]) - SIMD4<Double>(repeating: q[t])
            acc += df * df
        }
        return acc
    }

    /// Merges the points of leaf `[s, e)` into the `count` nearest found so far (sorted, at
    /// most `k`): distances of four points at a time from the leaf's columns, and the insertion
    /// only for lanes below the current k-th distance.
    @inline(__always)
    func scanLeaf(_ q: UnsafePointer<Double>, _ s: Int, _ e: Int, _ cols: UnsafePointer<Double>, _ index: UnsafePointer<Int32>,
                  k: Int, indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Double>, count: inout Int) {
        let len = e - s, base = cols + s * d
        /// Inserts point `r` of the leaf at squared distance `v` if it is among the k nearest.
        @inline(__always) func offer(_ v: Double, _ r: Int) {
            if count == k && v >= distances[k - 1] { return }
            var pos = count < k ? count : k - 1
            if count < k { count += 1 }
            while pos > 0 && distances[pos - 1] > v {
                distances[pos] = distances[pos - 1]; indices[pos] = indices[pos - 1]; pos -= 1
            }
            distances[pos] = v; indices[pos] = index[s + r]
        }
        var r = 0
        while r + 4 <= len {
            let acc = Self.fourDistances(q, base, len: len, at: r, d: d)
            let bound = count == k ? distances[k - 1] : Double.infinity
            if (acc .< bound) != SIMDMask<SIMD4<Int64>>() {
                for u in 0..<4 { offer(acc[u], r + u) }
            }
            r += 4
        }
        while r < len {
            var v = 0.0
            for t in 0..<d { let df = base[t * len + r] - q[t]; v += df * df }
            offer(v, r)
            r += 1
        }
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

    /// The `k` nearest points to `q` (original indices and squared distances, nearest first).
    public func nearest(_ q: UnsafePointer<Double>, k: Int, indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Double>) -> Int {
        nearest(q, k: k, indices: indices, distances: distances, found: 0, skipLeaf: -1)
    }

    /// `nearest`, continuing from `found` candidates already in the outputs (sorted) and
    /// skipping leaf `skipLeaf` (already scanned by the caller).
    func nearest(_ q: UnsafePointer<Double>, k: Int, indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Double>,
                 found: Int, skipLeaf: Int) -> Int {
        let k = Swift.min(k, n)
        guard k > 0 else { return 0 }
        var count = found
        return columns.withUnsafeBufferPointer { cb in box.withUnsafeBufferPointer { bb in
            left.withUnsafeBufferPointer { lb in right.withUnsafeBufferPointer { rb in
            start.withUnsafeBufferPointer { sb in end.withUnsafeBufferPointer { eb in index.withUnsafeBufferPointer { ib in
                let cols = cb.baseAddress!, bx = bb.baseAddress!
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
                            if node == skipLeaf { continue }
                            scanLeaf(q, Int(sb[node]), Int(eb[node]), cols, ib.baseAddress!,
                                     k: k, indices: indices, distances: distances, count: &count)
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

/// 64 node indices of scratch stack kept in a stack frame (tree walks without allocation).
struct Stack64 {
    var v: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
            Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
            Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
            Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
