/// Mini-batch k-means (Sculley 2010, as scikit-learn runs it): k-means++ seeding on a sample of
/// three batches, then per-batch centre updates with per-centre learning rates 1/count, early
/// stopping when the smoothed batch inertia stops improving, and a final assignment pass.
public enum MiniBatchKMeans {
    /// Fits `k` centres to `x`.
    public static func fit(_ x: PointMatrix, k: Int, batchSize: Int, maxIter: Int, nInit: Int,
                           rng: inout Xoshiro256) -> KMeansResult {
        let n = x.n, d = x.d
        let k = Swift.max(1, Swift.min(k, n))
        let b = Swift.max(1, Swift.min(batchSize, n))
        // Seeding: the best of nInit k-means++ seeds on a common sample.
        let initSize = Swift.min(n, Swift.max(3 * b, 3 * k))
        var sample = [Double](repeating: 0, count: initSize * d)
        for r in 0..<initSize {
            let i = initSize == n ? r : rng.nextInt(below: n)
            for t in 0..<d { sample[r * d + t] = x.row(i)[t] }
        }
        var c: [Double] = []
        var bestInertia = Double.infinity
        sample.withPoints(n: initSize, d: d) { s in
            for _ in 0..<Swift.max(1, nInit) {
                let seeds = KMeans.plusPlus(s, k: k, rng: &rng)
                var inertia = 0.0
                seeds.withUnsafeBufferPointer { cb in
                    for i in 0..<initSize { inertia += KMeans.nearest(s.row(i), cb.baseAddress!, k: k, d: d).1 }
                }
                if inertia < bestInertia { bestInertia = inertia; c = seeds }
            }
        }
        var counts = [Double](repeating: 0, count: k)
        let steps = Swift.max(1, (maxIter * n) / b)
        var ewa = -1.0, ewaMin = Double.infinity, noImprove = 0
        let alpha = Swift.min(1, Double(b) * 2 / Double(n + 1))
        var batchIdx = [Int](repeating: 0, count: b), batchLab = [Int](repeating: 0, count: b)
        var sums = [Double](repeating: 0, count: k * d), bcount = [Double](repeating: 0, count: k)
        var seenSinceReassign = 0
        for step in 0..<steps {
            var inertia = 0.0
            c.withUnsafeBufferPointer { cb in
                for r in 0..<b {
                    let i = rng.nextInt(below: n)
                    batchIdx[r] = i
                    let (a, v) = KMeans.nearest(x.row(i), cb.baseAddress!, k: k, d: d)
                    batchLab[r] = a; inertia += v
                }
            }
            for j in 0..<(k * d) { sums[j] = 0 }
            for j in 0..<k { bcount[j] = 0 }
            for r in 0..<b {
                let a = batchLab[r], p = x.row(batchIdx[r])
                bcount[a] += 1
                for t in 0..<d { sums[a * d + t] += p[t] }
            }
            for j in 0..<k where bcount[j] > 0 {
                let total = counts[j] + bcount[j]
                let keep = counts[j] / total
                for t in 0..<d { c[j * d + t] = c[j * d + t] * keep + sums[j * d + t] / total }
                counts[j] = total
            }
            // Random reassignment (as scikit-learn, ratio 0.01, every 10·k points seen): centres
            // whose count fell below 1 % of the largest move onto random points of the batch.
            seenSinceReassign += b
            if seenSinceReassign >= 10 * k || counts.contains(0) {
                seenSinceReassign = 0
                let top = counts.max() ?? 0
                let low = (0..<k).filter { counts[$0] < 0.01 * top }
                if !low.isEmpty && low.count < k {
                    let keptMin = (0..<k).filter { counts[$0] >= 0.01 * top }.map { counts[$0] }.min() ?? 1
                    for j in low.prefix(Swift.max(1, b / 2)) {
                        let p = x.row(batchIdx[rng.nextInt(below: b)])
                        for t in 0..<d { c[j * d + t] = p[t] }
                        counts[j] = keptMin
                    }
                }
            }
            inertia /= Double(b)
            // The first batch measures the seeds, not the updates: ignored (as scikit-learn does).
            if step == 0 { continue }
            ewa = ewa < 0 ? inertia : ewa * (1 - alpha) + inertia * alpha
            if ewa < ewaMin { ewaMin = ewa; noImprove = 0 } else { noImprove += 1; if noImprove >= 10 { break } }
        }
        var labels = [Int32](repeating: 0, count: n)
        var near = [Double](repeating: 0, count: n)
        c.withUnsafeBufferPointer { cb in labels.withUnsafeMutableBufferPointer { lb in near.withUnsafeMutableBufferPointer { nb in
            NearestCentres.assign(x, centres: cb.baseAddress!, k: k, labels: lb.baseAddress!, nearest: nb.baseAddress!, second: nil)
        } } }
        let inertia = near.reduce(0, +)
        return KMeansResult(centroids: c, labels: labels, inertia: inertia, iterations: 0)
    }
}
