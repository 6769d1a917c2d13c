/// The result of a k-means run.
public struct KMeansResult: Sendable {
    /// Centres, `k × d` row-major.
    public var centroids: [Double]
    /// Cluster of every point.
    public var labels: [Int32]
    /// Sum of squared distances of points to their centre.
    public var inertia: Double
    /// Lloyd iterations of the best run.
    public var iterations: Int
    /// Squared distance of every point to its centre (empty when the algorithm does not keep them).
    public var squaredDistances: [Double] = []
}

/// K-means: k-means++ seeding (greedy, with 2 + ln k local trials as scikit-learn does),
/// Lloyd iterations accelerated with Hamerly's bounds (one upper and one lower bound per
/// point, so most distance computations are skipped once centres settle), several runs.
public enum KMeans {
    /// Above max(this, 50·k) points, seeding runs on a seeded random sample of that size.
    public static let seedingSampleCap = 10_000

    /// Fits `k` centres to `x`; the run with the lowest inertia of `nInit` wins.
    public static func fit(_ x: PointMatrix, k: Int, nInit: Int, maxIter: Int, tol: Double,
                           rng: inout Xoshiro256) -> KMeansResult {
        let k = Swift.max(1, Swift.min(k, x.n))
        let tolAbs = tol * meanVariance(x)
        var best: KMeansResult?
        for _ in 0..<Swift.max(1, nInit) {
            let seeds = plusPlus(x, k: k, rng: &rng)
            let r = hamerly(x, initial: seeds, k: k, maxIter: maxIter, tolAbs: tolAbs)
            if best == nil || r.inertia < best!.inertia { best = r }
        }
        return best!
    }

    /// Mean of the per-coordinate variances (scikit-learn's tolerance scale). Columns are
    /// summed four at a time in SIMD registers (one sweep over the rows per group of four).
    static func meanVariance(_ x: PointMatrix) -> Double {
        let n = x.n, d = x.d
        guard n > 1, d > 0 else { return 0 }
        var mean = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
        var c0 = 0
        while c0 + 4 <= d {
            var s = SIMD4<Double>(), q = SIMD4<Double>()
            var p = x.base + c0
            for _ in 0..<n {
                let v = SIMD4<Double>(p[0], p[1], p[2], p[3])
                s += v; q += v * v
                p += d
            }
            for t in 0..<4 { mean[c0 + t] = s[t]; sq[c0 + t] = q[t] }
            c0 += 4
        }
        if c0 < d {
            for i in 0..<n {
                let r = x.row(i)
                for j in c0..<d { let v = r[j]; mean[j] += v; sq[j] += v * v }
            }
        }
        var s = 0.0
        for j in 0..<d { let m = mean[j] / Double(n); s += Swift.max(0, sq[j] / Double(n) - m * m) }
        return s / Double(d)
    }

    /// Greedy k-means++ seeding; returns `k × d` centres. Each step draws all its candidates
    /// from the current potential first (one cumulative scan), then scores them in one pass
    /// over the points (each point is loaded once for all candidates).
    public static func plusPlus(_ x: PointMatrix, k: Int, rng: inout Xoshiro256) -> [Double] {
        let d = x.d
        // Seed on a sample when the data is large.
        var sampleIdx: [Int] = []
        let m: Int
        let cap = Swift.max(seedingSampleCap, 50 * k)
        if x.n > cap {
            m = cap
            sampleIdx.reserveCapacity(m)
            for _ in 0..<m { sampleIdx.append(rng.nextInt(below: x.n)) }
        } else { m = x.n }
        var s: [Double] = []
        if !sampleIdx.isEmpty {
            s = [Double](repeating: 0, count: m * d)
            s.withUnsafeMutableBufferPointer { sb in
                for (r, i) in sampleIdx.enumerated() { let p = x.row(i); for j in 0..<d { sb[r * d + j] = p[j] } }
            }
        }
        var centres = [Double](repeating: 0, count: k * d)
        let trials = 2 + Int(_log(Double(k)))
        func run(_ sp: UnsafePointer<Double>) {
            var closest = [Double](repeating: 0, count: m)
            var cand = [Double](repeating: 0, count: trials * m)
            var picks = [Int](repeating: 0, count: trials), targets = [Double](repeating: 0, count: trials)
            var order = [Int](repeating: 0, count: trials), pots = [Double](repeating: 0, count: trials)
            var candRows = [Double](repeating: 0, count: trials * d), candNorms = [Double](repeating: 0, count: trials)
            var sqNorms = [Double](repeating: 0, count: m)
            for i in 0..<m { let r = sp + i * d; var v = 0.0; for j in 0..<d { v += r[j] * r[j] }; sqNorms[i] = v }
            closest.withUnsafeMutableBufferPointer { clb in cand.withUnsafeMutableBufferPointer { cab in
              candRows.withUnsafeMutableBufferPointer { crb in candNorms.withUnsafeMutableBufferPointer { cnb in
               sqNorms.withUnsafeBufferPointer { nb in
                let cl = clb.baseAddress!, ca = cab.baseAddress!, cb = crb.baseAddress!, cn = cnb.baseAddress!
                let norms = nb.baseAddress!
                let first = rng.nextInt(below: m)
                for j in 0..<d { centres[j] = sp[first * d + j] }
                var pot = 0.0
                for i in 0..<m { let v = Distance.squaredEuclidean(sp + i * d, sp + first * d, d); cl[i] = v; pot += v }
                for c in 1..<Swift.max(1, k) {
                    // Candidates sampled proportionally to the current potential (the potential
                    // does not change between the trials of one step).
                    var pending = 0
                    for t in 0..<trials {
                        if pot > 0 { targets[t] = rng.nextUnit() * pot; picks[t] = m - 1; order[pending] = t; pending += 1 }
                        else { picks[t] = rng.nextInt(below: m) }
                    }
                    if pending > 0 {
                        // One cumulative scan answers every target, smallest first.
                        let byTarget = order[0..<pending].sorted { targets[$0] < targets[$1] }
                        var next = 0, acc = 0.0
                        for i in 0..<m where next < pending {
                            acc += cl[i]
                            while next < pending && acc >= targets[byTarget[next]] { picks[byTarget[next]] = i; next += 1 }
                        }
                    }
                    // Distances to all candidates: ‖s‖² + ‖c‖² − 2·s·c with the dot products
                    // from one dgemm (as scikit-learn scores its trials), floored at 0.
                    for t in 0..<trials {
                        pots[t] = 0
                        for j in 0..<d { cb[t * d + j] = sp[picks[t] * d + j] }
                        cn[t] = norms[picks[t]]
                    }
                    LinearAlgebra.gemm(m: trials, n: m, k: d, a: cb, lda: d, b: sp, ldb: d, transB: true, c: ca, ldc: m)
                    for t in 0..<trials {
                        let row = ca + t * m, c2 = cn[t]
                        var pt = 0.0
                        for i in 0..<m {
                            let v = Swift.min(cl[i], Swift.max(0, norms[i] + c2 - 2 * row[i]))
                            row[i] = v; pt += v
                        }
                        pots[t] = pt
                    }
                    var best = 0
                    for t in 1..<trials where pots[t] < pots[best] { best = t }
                    for j in 0..<d { centres[c * d + j] = sp[picks[best] * d + j] }
                    (cl).update(from: ca + best * m, count: m)
                    pot = pots[best]
                }
               }
              } }
            } }
        }
        if sampleIdx.isEmpty { run(x.base) } else { s.withUnsafeBufferPointer { run($0.baseAddress!) } }
        return centres
    }

    /// Lloyd iterations with Hamerly's bounds from `initial` centres. The result carries the
    /// squared distance of every point to its final centre.
    public static func hamerly(_ x: PointMatrix, initial: [Double], k: Int, maxIter: Int, tolAbs: Double,
                               relocate: Bool = true) -> KMeansResult {
        let n = x.n, d = x.d
        var c = initial
        var labels = [Int32](repeating: 0, count: n)
        var upper = [Double](repeating: 0, count: n)
        var lower = [Double](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var half = [Double](repeating: 0, count: k)
        var moved = [Double](repeating: 0, count: k)
        var newC = [Double](repeating: 0, count: k * d)
        var iterations = 0
        var inertia = 0.0
        c.withUnsafeMutableBufferPointer { cb in
          labels.withUnsafeMutableBufferPointer { lb in
            upper.withUnsafeMutableBufferPointer { ub in
              lower.withUnsafeMutableBufferPointer { lob in
                sums.withUnsafeMutableBufferPointer { sb in
                 counts.withUnsafeMutableBufferPointer { cntb in
                  let cp = cb.baseAddress!, sp = sb.baseAddress!, cnt = cntb.baseAddress!
                  // Initial assignment: full scan through BLAS, sums and counts in the same pass;
                  // the second-nearest bound is shrunk by a relative 1e-9 to stay a valid lower
                  // bound despite rounding.
                  NearestCentres.assign(x, centres: cp, k: k, labels: lb.baseAddress!, nearest: ub.baseAddress!,
                                        second: lob.baseAddress!, sums: sp, counts: cnt)
                  Self.squareRoots(ub.baseAddress!, n)
                  Self.squareRoots(lob.baseAddress!, n)
                  for i in 0..<n { lob[i] = Swift.max(0, lob[i] * (1 - 1e-9) - 1e-12) }
                  while iterations < maxIter {
                      iterations += 1
                      // New centres from the running sums; empty clusters keep their centre.
                      var shiftTotal = 0.0, maxMove = 0.0, secondMove = 0.0, maxMoveIdx = -1
                      for j in 0..<k {
                          if cnt[j] > 0 {
                              let inv = 1.0 / Double(cnt[j])
                              for t in 0..<d { newC[j * d + t] = sp[j * d + t] * inv }
                          } else { for t in 0..<d { newC[j * d + t] = cp[j * d + t] } }
                          var m2 = 0.0
                          for t in 0..<d { let df = newC[j * d + t] - cp[j * d + t]; m2 += df * df }
                          shiftTotal += m2
                          let mv = m2.squareRoot()
                          moved[j] = mv
                          if mv > maxMove { secondMove = maxMove; maxMove = mv; maxMoveIdx = j }
                          else if mv > secondMove { secondMove = mv }
                      }
                      for t in 0..<(k * d) { cp[t] = newC[t] }
                      if shiftTotal <= tolAbs && iterations > 1 { break }
                      // Half the distance from each centre to its nearest other centre.
                      for j in 0..<k {
                          var best = Double.infinity
                          for j2 in 0..<k where j2 != j {
                              let v = Distance.squaredEuclidean(cp + j * d, cp + j2 * d, d)
                              if v < best { best = v }
                          }
                          half[j] = 0.5 * best.squareRoot()
                      }
                      var changed = 0
                      // Bounds follow the centres, then are checked, in one pass.
                      for i in 0..<n {
                          let a = Int(lb[i])
                          let u = ub[i] + moved[a]
                          let l = lob[i] - (a == maxMoveIdx ? secondMove : maxMove)
                          ub[i] = u; lob[i] = l
                          let bound = Swift.max(half[a], l)
                          if u <= bound { continue }
                          let xi = x.row(i)
                          let exact = Distance.squaredEuclidean(xi, cp + a * d, d).squareRoot()
                          ub[i] = exact
                          if exact <= bound { continue }
                          var b1 = Double.infinity, b2 = Double.infinity, na = 0
                          for j in 0..<k {
                              let v = Distance.squaredEuclidean(xi, cp + j * d, d)
                              na = v < b1 ? j : na
                              b2 = Swift.min(b2, Swift.max(b1, v))
                              b1 = Swift.min(b1, v)
                          }
                          lob[i] = b2.squareRoot()
                          if na != a {
                              ub[i] = b1.squareRoot()
                              lb[i] = Int32(na)
                              cnt[a] -= 1; cnt[na] += 1
                              let so = sp + a * d, sn = sp + na * d
                              for t in 0..<d { so[t] -= xi[t]; sn[t] += xi[t] }
                              changed += 1
                          }
                      }
                      if changed == 0 { break }
                  }
                  // Exact squared distances to the final centres (kept in `upper`) and the inertia.
                  for i in 0..<n {
                      let v = Distance.squaredEuclidean(x.row(i), cp + Int(lb[i]) * d, d)
                      ub[i] = v; inertia += v
                  }
                 }
                }
              }
            }
          }
        }
        // Empty clusters: move each onto the point farthest from its centre (once, then settle).
        if relocate && counts.contains(0) && n >= k {
            var cc = c
            var far = upper
            for j in 0..<k where counts[j] == 0 {
                guard let idx = far.indices.max(by: { far[$0] < far[$1] }), far[idx] > 0 else { break }
                far[idx] = -1
                for t in 0..<d { cc[j * d + t] = x.row(idx)[t] }
            }
            if cc != c {
                let r = hamerly(x, initial: cc, k: k, maxIter: Swift.max(1, maxIter - iterations), tolAbs: tolAbs, relocate: false)
                if r.inertia < inertia { return r }
            }
        }
        return KMeansResult(centroids: c, labels: labels, inertia: inertia, iterations: iterations, squaredDistances: upper)
    }

    /// Replaces `n` non-negative values by their square roots, four lanes at a time.
    static func squareRoots(_ p: UnsafeMutablePointer<Double>, _ n: Int) {
        var i = 0
        while i + 4 <= n {
            let v = SIMD4<Double>(p[i], p[i + 1], p[i + 2], p[i + 3]).squareRoot()
            p[i] = v[0]; p[i + 1] = v[1]; p[i + 2] = v[2]; p[i + 3] = v[3]
            i += 4
        }
        while i < n { p[i] = p[i].squareRoot(); i += 1 }
    }

    /// Index of the nearest of `k` centres to `p`, and the squared distance.
    @inlinable
    public static func nearest(_ p: UnsafePointer<Double>, _ centres: UnsafePointer<Double>, k: Int, d: Int) -> (Int, Double) {
        var best = Double.infinity, a = 0
        for j in 0..<k {
            let v = Distance.squaredEuclidean(p, centres + j * d, d)
            if v < best { best = v; a = j }
        }
        return (a, best)
    }

    /// Weighted Lloyd iterations (small inputs: micro-cluster centres), k-means++ seeded.
    public static func weighted(_ x: PointMatrix, weights: [Double], k: Int, maxIter: Int, rng: inout Xoshiro256) -> KMeansResult {
        let n = x.n, d = x.d
        let k = Swift.max(1, Swift.min(k, n))
        // Weighted k-means++ seeding.
        var c = [Double](repeating: 0, count: k * d)
        var closest = [Double](repeating: .infinity, count: n)
        var pick = 0
        var wsum = weights.reduce(0, +)
        var r = rng.nextUnit() * wsum
        for i in 0..<n { r -= weights[i]; if r <= 0 { pick = i; break } }
        for ci in 0..<k {
            for t in 0..<d { c[ci * d + t] = x.row(pick)[t] }
            wsum = 0
            c.withUnsafeBufferPointer { cb in
                for i in 0..<n {
                    closest[i] = Swift.min(closest[i], Distance.squaredEuclidean(x.row(i), cb.baseAddress! + ci * d, d))
                    wsum += closest[i] * weights[i]
                }
            }
            if wsum <= 0 { pick = rng.nextInt(below: n); continue }
            r = rng.nextUnit() * wsum
            pick = n - 1
            for i in 0..<n { r -= closest[i] * weights[i]; if r <= 0 { pick = i; break } }
        }
        var labels = [Int32](repeating: 0, count: n)
        var it = 0, inertia = 0.0
        while it < maxIter {
            it += 1
            var changed = false
            inertia = 0
            c.withUnsafeBufferPointer { cb in
                for i in 0..<n {
                    let (a, v) = nearest(x.row(i), cb.baseAddress!, k: k, d: d)
                    if Int32(a) != labels[i] { labels[i] = Int32(a); changed = true }
                    inertia += v * weights[i]
                }
            }
            var sums = [Double](repeating: 0, count: k * d), ws = [Double](repeating: 0, count: k)
            for i in 0..<n {
                let a = Int(labels[i]); ws[a] += weights[i]
                for t in 0..<d { sums[a * d + t] += weights[i] * x.row(i)[t] }
            }
            for j in 0..<k where ws[j] > 0 { for t in 0..<d { c[j * d + t] = sums[j * d + t] / ws[j] } }
            if !changed && it > 1 { break }
        }
        return KMeansResult(centroids: c, labels: labels, inertia: inertia, iterations: it)
    }
}
