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
        let (meanVar, mean) = meanVariance(x)
        let tolAbs = tol * meanVar
        // Runs that may lose are scored without a pass over the data (see `Scatter`); only the
        // winner gets its exact distances and inertia.
        let scatter = nInit > 1 ? Scatter(mean: mean, total: meanVar * Double(x.n * x.d)) : nil
        var best: KMeansResult?
        for _ in 0..<Swift.max(1, nInit) {
            let seeds = plusPlus(x, k: k, rng: &rng)
            let r = hamerly(x, initial: seeds, k: k, maxIter: maxIter, tolAbs: tolAbs, scatter: scatter)
            if best == nil || r.inertia < best!.inertia { best = r }
        }
        if best!.squaredDistances.isEmpty { exactDistances(x, &best!) }
        return best!
    }

    /// The data's mean and total scatter `Σ‖x − μ‖²`. When every centre is the mean of its
    /// points, the inertia is `total − Σ_j n_j‖c_j − μ‖²` (the between-cluster scatter), which
    /// ranks runs without touching the points: the error of `total` is common to all runs.
    struct Scatter {
        /// Column means.
        var mean: [Double]
        /// `Σ‖x − μ‖²` (to rounding).
        var total: Double

        /// The inertia of `k` centres that are the means of `counts` points each.
        func inertia(centres: UnsafePointer<Double>, counts: UnsafePointer<Int>, k: Int) -> Double {
            let d = mean.count
            var between = 0.0
            mean.withUnsafeBufferPointer { m in
                for j in 0..<k where counts[j] > 0 {
                    between += Double(counts[j]) * Distance.squaredEuclidean(centres + j * d, m.baseAddress!, d)
                }
            }
            return Swift.max(0, total - between)
        }
    }

    /// Fills the squared distance of every point to its centre and the exact inertia.
    static func exactDistances(_ x: PointMatrix, _ r: inout KMeansResult) {
        let n = x.n, d = x.d
        var dist = [Double](repeating: 0, count: n)
        var inertia = 0.0
        r.centroids.withUnsafeBufferPointer { cb in r.labels.withUnsafeBufferPointer { lb in
            dist.withUnsafeMutableBufferPointer { db in
                for i in 0..<n {
                    let v = Distance.squaredEuclidean(x.row(i), cb.baseAddress! + Int(lb[i]) * d, d)
                    db[i] = v; inertia += v
                }
            }
        } }
        r.squaredDistances = dist
        r.inertia = inertia
    }

    /// Mean of the per-coordinate variances (scikit-learn's tolerance scale), and the column
    /// means. Columns are summed four at a time in SIMD registers (one sweep over the rows per
    /// group of four).
    static func meanVariance(_ x: PointMatrix) -> (Double, [Double]) {
        let n = x.n, d = x.d
        var mean = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
        guard n > 1, d > 0 else {
            if n == 1 { for j in 0..<d { mean[j] = x.base[j] } }
            return (0, mean)
        }
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
        for j in 0..<d { let m = mean[j] / Double(n); mean[j] = m; s += Swift.max(0, sq[j] / Double(n) - m * m) }
        return (s / Double(d), mean)
    }

    /// Greedy k-means++ seeding; returns `k × d` centres. Each step draws all its candidates
    /// from the current potential first (one cumulative scan), then scores them in one pass
    /// over the points (each point is loaded once for all candidates).
    public static func plusPlus(_ x: PointMatrix, k: Int, rng: inout Xoshiro256) -> [Double] {
        let d = x.d
        // Seed on a sample (distinct points, read in index order) when the data is large.
        let cap = Swift.max(seedingSampleCap, 50 * k)
        let rows: [Int] = x.n > cap ? rng.sortedSample(from: x.n, count: cap) : []
        let m = rows.isEmpty ? x.n : rows.count
        var centres = [Double](repeating: 0, count: k * d)
        guard m > 0, d > 0 else { return centres }
        let trials = 2 + Int(_log(Double(k)))
        // The seeding points transposed (d × m, one run per coordinate: the candidates' dgemm
        // is then a plain `nn` one whose long side is the points, OpenBLAS's small-matrix
        // kernels without packing) and their squared norms, gathered in one pass.
        var transposed = [Double](repeating: 0, count: m * d), sqNorms = [Double](repeating: 0, count: m)
        var closest = [Double](repeating: 0, count: m)
        var cand = [Double](repeating: 0, count: trials * m)
        var picks = [Int](repeating: 0, count: trials), targets = [Double](repeating: 0, count: trials)
        var order = [Int](repeating: 0, count: trials), pots = [Double](repeating: 0, count: trials)
        var candRows = [Double](repeating: 0, count: trials * d), candNorms = [Double](repeating: 0, count: trials)
        rows.withUnsafeBufferPointer { rb in
          transposed.withUnsafeMutableBufferPointer { tb in sqNorms.withUnsafeMutableBufferPointer { nb in
            closest.withUnsafeMutableBufferPointer { clb in cand.withUnsafeMutableBufferPointer { cab in
              candRows.withUnsafeMutableBufferPointer { crb in candNorms.withUnsafeMutableBufferPointer { cnb in
                let spT = tb.baseAddress!, norms = nb.baseAddress!, cl = clb.baseAddress!, ca = cab.baseAddress!
                let cb = crb.baseAddress!, cn = cnb.baseAddress!
                /// Seeding point `r`.
                @inline(__always) func point(_ r: Int) -> UnsafePointer<Double> { x.row(rb.isEmpty ? r : rb[r]) }
                for r in 0..<m {
                    let p = point(r)
                    var v = 0.0
                    for j in 0..<d { let c = p[j]; spT[j &* m &+ r] = c; v += c * c }
                    norms[r] = v
                }
                /// Sum of `m` values in four independent add chains.
                @inline(__always) func total(_ p: UnsafePointer<Double>) -> Double {
                    var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0, i = 0
                    while i + 4 <= m { p0 += p[i]; p1 += p[i + 1]; p2 += p[i + 2]; p3 += p[i + 3]; i += 4 }
                    var s = (p0 + p2) + (p1 + p3)
                    while i < m { s += p[i]; i += 1 }
                    return s
                }
                let first = point(rng.nextInt(below: m))
                for j in 0..<d { centres[j] = first[j] }
                // Distances to the first centre, coordinate by coordinate over the runs.
                cl.initialize(repeating: 0, count: m)
                for j in 0..<d {
                    let col = spT + j * m, c = first[j]
                    for i in 0..<m { let df = col[i] - c; cl[i] += df * df }
                }
                var pot = total(cl)
                for c in 1..<Swift.max(1, k) {
                    // Candidates sampled proportionally to the current potential (the potential
                    // does not change between the trials of one step).
                    var pending = 0
                    for t in 0..<trials {
                        if pot > 0 { targets[t] = rng.nextUnit() * pot; picks[t] = m - 1; order[pending] = t; pending += 1 }
                        else { picks[t] = rng.nextInt(below: m) }
                    }
                    if pending > 0 {
                        // One cumulative scan answers every target, smallest first; it steps
                        // over whole blocks of 16 (summed in SIMD lanes) that end below the next
                        // target, and stops once every target is answered.
                        let byTarget = order[0..<pending].sorted { targets[$0] < targets[$1] }
                        var next = 0, acc = 0.0, i = 0
                        while i < m && next < pending {
                            let goal = targets[byTarget[next]]
                            if i + 16 <= m {
                                var b = SIMD4<Double>(cl[i], cl[i + 1], cl[i + 2], cl[i + 3])
                                b += SIMD4<Double>(cl[i + 4], cl[i + 5], cl[i + 6], cl[i + 7])
                                b += SIMD4<Double>(cl[i + 8], cl[i + 9], cl[i + 10], cl[i + 11])
                                b += SIMD4<Double>(cl[i + 12], cl[i + 13], cl[i + 14], cl[i + 15])
                                let blockEnd = acc + ((b[0] + b[2]) + (b[1] + b[3]))
                                if blockEnd < goal { acc = blockEnd; i += 16; continue }
                            }
                            acc += cl[i]
                            while next < pending && acc >= targets[byTarget[next]] { picks[byTarget[next]] = i; next += 1 }
                            i += 1
                        }
                    }
                    // Distances to all candidates: ‖s‖² + ‖c‖² − 2·s·c with the dot products
                    // from one dgemm (as scikit-learn scores its trials), floored at 0.
                    for t in 0..<trials {
                        let p = point(picks[t])
                        for j in 0..<d { cb[t * d + j] = p[j] }
                        cn[t] = norms[picks[t]]
                    }
                    LinearAlgebra.gemm(m: trials, n: m, k: d, a: cb, lda: d, b: spT, ldb: m, c: ca, ldc: m)
                    for t in 0..<trials {
                        let row = ca + t * m, c2 = cn[t]
                        for i in 0..<m { row[i] = Swift.min(cl[i], Swift.max(0, norms[i] + c2 - 2 * row[i])) }
                        pots[t] = total(row)
                    }
                    var best = 0
                    for t in 1..<trials where pots[t] < pots[best] { best = t }
                    let p = point(picks[best])
                    for j in 0..<d { centres[c * d + j] = p[j] }
                    cl.update(from: ca + best * m, count: m)
                    pot = pots[best]
                }
              } }
            } }
          } }
        }
        return centres
    }

    /// Lloyd iterations with Hamerly's bounds from `initial` centres. The result carries the
    /// squared distance of every point to its final centre, except with `scatter` when the run
    /// ends on centres that are the means of their points and none is empty: the inertia then
    /// comes from the scatter and `squaredDistances` is empty (`exactDistances` fills it).
    static func hamerly(_ x: PointMatrix, initial: [Double], k: Int, maxIter: Int, tolAbs: Double,
                        relocate: Bool = true, scatter: Scatter? = nil) -> KMeansResult {
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
        // The loop left every centre at the mean of its points (it stopped on the tolerance or
        // on no change, not on maxIter).
        var centresAreMeans = false
        var exact = true
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
                  VectorSqrt.inPlace(ub.baseAddress!, n)
                  VectorSqrt.inPlace(lob.baseAddress!, n)
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
                      if shiftTotal <= tolAbs && iterations > 1 { centresAreMeans = true; break }
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
                      if changed == 0 { centresAreMeans = true; break }
                  }
                  if let scatter, centresAreMeans, !(0..<k).contains(where: { cnt[$0] == 0 }) {
                      inertia = scatter.inertia(centres: cp, counts: cnt, k: k)
                      exact = false
                      return
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
        return KMeansResult(centroids: c, labels: labels, inertia: inertia, iterations: iterations,
                            squaredDistances: exact ? upper : [])
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
