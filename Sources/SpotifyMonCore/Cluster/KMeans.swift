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

    /// Mean of the per-coordinate variances (scikit-learn's tolerance scale).
    static func meanVariance(_ x: PointMatrix) -> Double {
        let n = x.n, d = x.d
        guard n > 1, d > 0 else { return 0 }
        var mean = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let r = x.row(i)
            for j in 0..<d { mean[j] += r[j]; sq[j] += r[j] * r[j] }
        }
        var s = 0.0
        for j in 0..<d { let m = mean[j] / Double(n); s += Swift.max(0, sq[j] / Double(n) - m * m) }
        return s / Double(d)
    }

    /// Greedy k-means++ seeding; returns `k × d` centres.
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
        } else { m = x.n; sampleIdx = Array(0..<m) }
        var s = [Double](repeating: 0, count: m * d)
        for (r, i) in sampleIdx.enumerated() { let p = x.row(i); for j in 0..<d { s[r * d + j] = p[j] } }
        var centres = [Double](repeating: 0, count: k * d)
        let trials = 2 + Int(_log(Double(k)))
        s.withUnsafeBufferPointer { sb in
            let sp = sb.baseAddress!
            var closest = [Double](repeating: 0, count: m)
            var cand = [Double](repeating: 0, count: m)
            var bestCand = [Double](repeating: 0, count: m)
            let first = rng.nextInt(below: m)
            for j in 0..<d { centres[j] = sp[first * d + j] }
            var pot = 0.0
            for i in 0..<m { let v = Distance.squaredEuclidean(sp + i * d, sp + first * d, d); closest[i] = v; pot += v }
            for c in 1..<Swift.max(1, k) {
                var bestPot = Double.infinity, bestIdx = 0
                for _ in 0..<trials {
                    // Sample proportional to the current potential.
                    var r = rng.nextUnit() * pot, idx = m - 1
                    if pot > 0 {
                        for i in 0..<m { r -= closest[i]; if r <= 0 { idx = i; break } }
                    } else { idx = rng.nextInt(below: m) }
                    var p = 0.0
                    let cp = sp + idx * d
                    for i in 0..<m {
                        let v = Swift.min(closest[i], Distance.squaredEuclidean(sp + i * d, cp, d))
                        cand[i] = v; p += v
                    }
                    if p < bestPot { bestPot = p; bestIdx = idx; swap(&cand, &bestCand) }
                }
                for j in 0..<d { centres[c * d + j] = sp[bestIdx * d + j] }
                swap(&closest, &bestCand)
                pot = bestPot
            }
        }
        return centres
    }

    /// Lloyd iterations with Hamerly's bounds from `initial` centres.
    public static func hamerly(_ x: PointMatrix, initial: [Double], k: Int, maxIter: Int, tolAbs: Double,
                               relocate: Bool = true) -> KMeansResult {
        let n = x.n, d = x.d
        var c = initial
        var labels = [Int32](repeating: 0, count: n)
        var upper = [Double](repeating: .infinity, count: n)
        var lower = [Double](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var half = [Double](repeating: 0, count: k)
        var moved = [Double](repeating: 0, count: k)
        var newC = [Double](repeating: 0, count: k * d)
        var iterations = 0
        c.withUnsafeMutableBufferPointer { cb in
          labels.withUnsafeMutableBufferPointer { lb in
            upper.withUnsafeMutableBufferPointer { ub in
              lower.withUnsafeMutableBufferPointer { lob in
                sums.withUnsafeMutableBufferPointer { sb in
                  let cp = cb.baseAddress!, sp = sb.baseAddress!
                  // Initial assignment: full scan through BLAS; the second-nearest bound is
                  // shrunk by a relative 1e-9 to stay a valid lower bound despite rounding.
                  var near = [Double](repeating: 0, count: n), sec = [Double](repeating: 0, count: n)
                  near.withUnsafeMutableBufferPointer { nb in sec.withUnsafeMutableBufferPointer { sb2 in
                      NearestCentres.assign(x, centres: cp, k: k, labels: lb.baseAddress!, nearest: nb.baseAddress!,
                                            second: sb2.baseAddress!)
                  } }
                  for i in 0..<n {
                      let a = Int(lb[i]), xi = x.row(i)
                      ub[i] = near[i].squareRoot()
                      lob[i] = Swift.max(0, sec[i].squareRoot() * (1 - 1e-9) - 1e-12)
                      counts[a] += 1
                      let s = sp + a * d
                      for t in 0..<d { s[t] += xi[t] }
                  }
                  while iterations < maxIter {
                      iterations += 1
                      // New centres from the running sums; empty clusters keep their centre.
                      var shiftTotal = 0.0, maxMove = 0.0, secondMove = 0.0, maxMoveIdx = -1
                      for j in 0..<k {
                          if counts[j] > 0 {
                              let inv = 1.0 / Double(counts[j])
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
                      // Bounds follow the centres.
                      for i in 0..<n {
                          let a = Int(lb[i])
                          ub[i] += moved[a]
                          lob[i] -= (a == maxMoveIdx ? secondMove : maxMove)
                      }
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
                      for i in 0..<n {
                          let a = Int(lb[i])
                          let bound = Swift.max(half[a], lob[i])
                          if ub[i] <= bound { continue }
                          let xi = x.row(i)
                          ub[i] = Distance.squaredEuclidean(xi, cp + a * d, d).squareRoot()
                          if ub[i] <= bound { continue }
                          var b1 = Double.infinity, b2 = Double.infinity, na = 0
                          for j in 0..<k {
                              let v = Distance.squaredEuclidean(xi, cp + j * d, d)
                              if v < b1 { b2 = b1; b1 = v; na = j } else if v < b2 { b2 = v }
                          }
                          lob[i] = b2.squareRoot()
                          if na != a {
                              ub[i] = b1.squareRoot()
                              lb[i] = Int32(na)
                              counts[a] -= 1; counts[na] += 1
                              let so = sp + a * d, sn = sp + na * d
                              for t in 0..<d { so[t] -= xi[t]; sn[t] += xi[t] }
                              changed += 1
                          }
                      }
                      if changed == 0 { break }
                  }
                }
              }
            }
          }
        }
        // Empty clusters: move each onto the point farthest from its centre (once, then settle).
        var inertia = 0.0
        c.withUnsafeBufferPointer { cb in
            for i in 0..<n { inertia += Distance.squaredEuclidean(x.row(i), cb.baseAddress! + Int(labels[i]) * d, d) }
        }
        if relocate && counts.contains(0) && n >= k {
            var cc = c
            var far = c.withUnsafeBufferPointer { cb in
                (0..<n).map { i in Distance.squaredEuclidean(x.row(i), cb.baseAddress! + Int(labels[i]) * d, d) }
            }
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
        return KMeansResult(centroids: c, labels: labels, inertia: inertia, iterations: iterations)
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
