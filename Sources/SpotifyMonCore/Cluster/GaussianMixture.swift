/// A Gaussian mixture: weights, means and (full or diagonal) covariances kept as the upper
/// triangular precision Cholesky factors `P` with `Σ⁻¹ = P·Pᵀ`, as scikit-learn keeps them.
public struct GaussianMixture: Sendable, Equatable {
    /// Components.
    public var k: Int
    /// Dimensions.
    public var d: Int
    /// Full covariances (else diagonal).
    public var full: Bool
    /// Mixture weights.
    public var weights: [Double]
    /// Means, `k × d`.
    public var means: [Double]
    /// Precision Cholesky factors: `k × d × d` (full) or `k × d` (diagonal: 1/σ).
    public var precChol: [Double]
    /// Σ log diag(P) per component.
    public var logDetPrec: [Double]
    /// Mean log-likelihood per point at the end of EM.
    public var lowerBound: Double = -.infinity
    /// Per component: −½·d·log 2π + Σ log diag(P) + log πⱼ (set by `refreshConstants`).
    public var logConst: [Double] = []

    /// Recomputes `logConst` from the weights and factors.
    public mutating func refreshConstants() {
        let c0 = -0.5 * Double(d) * _log(2 * Double.pi)
        logConst = (0..<k).map { c0 + logDetPrec[$0] + _log(weights[$0]) }
    }
    /// EM iterations run.
    public var iterations = 0

    /// Free parameters (for BIC).
    public var parameterCount: Int {
        let cov = full ? k * d * (d + 1) / 2 : k * d
        return cov + k * d + k - 1
    }

    /// Bayesian information criterion of the model on `n` points with mean log-likelihood `ll`.
    public func bic(n: Int, meanLogLikelihood ll: Double) -> Double {
        -2 * ll * Double(n) + Double(parameterCount) * _log(Double(Swift.max(n, 1)))
    }

    /// Fits by EM from a k-means initialisation (scikit-learn's default; `initRuns` k-means
    /// runs, the best kept, where scikit-learn runs one).
    public static func fit(_ x: PointMatrix, k: Int, full: Bool, regCovar: Double, maxIter: Int, tol: Double,
                           initRuns: Int = 1, rng: inout Xoshiro256) throws -> GaussianMixture {
        let n = x.n, d = x.d
        let k = Swift.max(1, Swift.min(k, n))
        let km = KMeans.fit(x, k: k, nInit: Swift.max(1, initRuns), maxIter: 300, tol: 1e-4, rng: &rng)
        var resp = [Double](repeating: 0, count: n * k)
        for i in 0..<n { resp[i * k + Int(km.labels[i])] = 1 }
        var g = GaussianMixture(k: k, d: d, full: full, weights: [], means: [], precChol: [], logDetPrec: [])
        // One workspace for the whole run: large temporaries are not reallocated per iteration.
        var y = [Double](repeating: 0, count: n * d)
        try g.mStep(x, resp: resp, regCovar: regCovar, work: &y)
        var lb = -Double.infinity
        var logp = [Double](repeating: 0, count: n * k)
        for it in 1...Swift.max(1, maxIter) {
            let ll = g.responsibilities(x, logProb: &logp, resp: &resp, work: &y)
            g.iterations = it
            let change = ll - lb
            lb = ll
            try g.mStep(x, resp: resp, regCovar: regCovar, work: &y)
            if abs(change) < tol { break }
        }
        g.lowerBound = lb
        return g
    }

    /// M step: weights, means and covariances from responsibilities (`n × k`).
    mutating func mStep(_ x: PointMatrix, resp: [Double], regCovar: Double, work y: inout [Double]) throws {
        let n = x.n
        var nk = [Double](repeating: 10 * Double.ulpOfOne, count: k)
        for i in 0..<n { for j in 0..<k { nk[j] += resp[i * k + j] } }
        // Means: Rᵀ·X / nk.
        var mu = [Double](repeating: 0, count: k * d)
        resp.withUnsafeBufferPointer { rb in
            mu.withUnsafeMutableBufferPointer { mb in
                LinearAlgebra.gemm(m: k, n: d, k: n, a: rb.baseAddress!, lda: k, transA: true,
                                   b: x.base, ldb: d, c: mb.baseAddress!, ldc: d)
            }
        }
        for j in 0..<k { for t in 0..<d { mu[j * d + t] /= nk[j] } }
        means = mu
        weights = nk.map { $0 / Double(n) }
        logDetPrec = [Double](repeating: 0, count: k)
        if full {
            precChol = [Double](repeating: 0, count: k * d * d)
            if y.count < n * d { y = [Double](repeating: 0, count: n * d) }
            for j in 0..<k {
                // Rows with a negligible responsibility (< 1e-12) are left out: their share of
                // the covariance is below double precision, and separated data skips most rows.
                var rows = 0
                y.withUnsafeMutableBufferPointer { yb in
                    resp.withUnsafeBufferPointer { rb in
                        mu.withUnsafeBufferPointer { mb in
                            let m = mb.baseAddress! + j * d
                            for i in 0..<n {
                                let rr = rb[i * k + j]
                                if rr < 1e-12 { continue }
                                let r = rr.squareRoot(), p = x.row(i), out = yb.baseAddress! + rows * d
                                for t in 0..<d { out[t] = r * (p[t] - m[t]) }
                                rows += 1
                            }
                        }
                    }
                }
                var cov = Matrix(rows: d, cols: d)
                if rows > 0 {
                    y.withUnsafeBufferPointer { yb in cov.data.withUnsafeMutableBufferPointer { cb in
                        // Yᵀ·Y through BLAS (d is small, the full product is as cheap as syrk).
                        LinearAlgebra.gemm(m: d, n: d, k: rows, a: yb.baseAddress!, lda: d, transA: true,
                                           b: yb.baseAddress!, ldb: d, c: cb.baseAddress!, ldc: d)
                    } }
                }
                for a in 0..<d { for b in 0..<d { cov.data[a * d + b] /= nk[j] }; cov.data[a * d + a] += regCovar }
                let l: Matrix
                do { l = try LinearAlgebra.cholesky(cov) } catch {
                    throw SMONError.numeric("gaussian mixture: covariance of component \(j) is not positive definite; raise clusterer.reg_covar")
                }
                // P = (L⁻¹)ᵀ: invert the lower factor by forward substitution.
                var inv = [Double](repeating: 0, count: d * d)
                for c in 0..<d {
                    for r in c..<d {
                        var s = r == c ? 1.0 : 0.0
                        for m in c..<r { s -= l.data[r * d + m] * inv[m * d + c] }
                        inv[r * d + c] = s / l.data[r * d + r]
                    }
                }
                var ld = 0.0
                for a in 0..<d {
                    for b in 0..<d { precChol[j * d * d + a * d + b] = inv[b * d + a] }
                    ld += _log(inv[a * d + a])
                }
                logDetPrec[j] = ld
            }
        } else {
            precChol = [Double](repeating: 0, count: k * d)
            var sq = [Double](repeating: 0, count: k * d)
            for i in 0..<n {
                let p = x.row(i)
                for j in 0..<k {
                    let r = resp[i * k + j]
                    if r == 0 { continue }
                    for t in 0..<d { let e = p[t] - mu[j * d + t]; sq[j * d + t] += r * e * e }
                }
            }
            for j in 0..<k {
                var ld = 0.0
                for t in 0..<d {
                    let v = sq[j * d + t] / nk[j] + regCovar
                    let pc = 1 / v.squareRoot()
                    precChol[j * d + t] = pc; ld += _log(pc)
                }
                logDetPrec[j] = ld
            }
        }
        refreshConstants()
    }

    /// Weighted log densities `log πⱼ + log N(x | j)` into `out` (`n × k`).
    public func weightedLogProb(_ x: PointMatrix, into out: inout [Double], work y: inout [Double]) {
        let n = x.n
        let c0 = -0.5 * Double(d) * _log(2 * Double.pi)
        if out.count < n * k { out = [Double](repeating: 0, count: n * k) }
        if full {
            // All factors side by side, B = [P₁ | … | P_k] (d × k·d), and μⱼ·Pⱼ per component:
            // one dgemm per block of rows gives every (x·Pⱼ), then ‖x·Pⱼ − μⱼ·Pⱼ‖² per entry.
            let kd = k * d
            var bAll = [Double](repeating: 0, count: d * kd)
            var muP = [Double](repeating: 0, count: kd)
            for j in 0..<k {
                for a in 0..<d { for c in 0..<d { bAll[a * kd + j * d + c] = precChol[j * d * d + a * d + c] } }
                for c in 0..<d {
                    var s = 0.0
                    for a in 0..<d { s += means[j * d + a] * precChol[j * d * d + a * d + c] }
                    muP[j * d + c] = s
                }
            }
            let block = 1024
            if y.count < block * kd { y = [Double](repeating: 0, count: block * kd) }
            var base = [Double](repeating: 0, count: k)
            for j in 0..<k { base[j] = c0 + logDetPrec[j] + _log(weights[j]) }
            bAll.withUnsafeBufferPointer { bb in y.withUnsafeMutableBufferPointer { yb in
                muP.withUnsafeBufferPointer { mb in out.withUnsafeMutableBufferPointer { ob in
                    let yp = yb.baseAddress!, mp = mb.baseAddress!, op = ob.baseAddress!
                    var start = 0
                    while start < n {
                        let rows = Swift.min(block, n - start)
                        LinearAlgebra.gemm(m: rows, n: kd, k: d, a: x.row(start), lda: d, b: bb.baseAddress!, ldb: kd,
                                           c: yp, ldc: kd)
                        for r in 0..<rows {
                            let row = yp + r * kd, o = op + (start + r) * k
                            for j in 0..<k { o[j] = base[j] - 0.5 * Distance.squaredEuclidean(row + j * d, mp + j * d, d) }
                        }
                        start += rows
                    }
                } }
            } }
        } else {
            for i in 0..<n {
                let p = x.row(i)
                for j in 0..<k {
                    var s = 0.0
                    for t in 0..<d { let e = (p[t] - means[j * d + t]) * precChol[j * d + t]; s += e * e }
                    out[i * k + j] = c0 + logDetPrec[j] + _log(weights[j]) - 0.5 * s
                }
            }
        }
    }

    /// E step: responsibilities into `resp` (`n × k`, `logProb` is scratch); returns the mean
    /// log-likelihood. One exponential per entry (vectorised `fastExp`).
    public func responsibilities(_ x: PointMatrix, logProb lp: inout [Double], resp: inout [Double], work: inout [Double]) -> Double {
        weightedLogProb(x, into: &lp, work: &work)
        var total = 0.0
        let k = self.k
        lp.withUnsafeBufferPointer { lb in resp.withUnsafeMutableBufferPointer { rb in
            // By blocks of rows: shift each row by its maximum, exponentiate the whole block in
            // SIMD lanes, then normalise the rows.
            var rowMax = [Double](repeating: 0, count: 256)
            var start = 0
            while start < x.n {
                let rows = Swift.min(256, x.n - start)
                let base = lb.baseAddress! + start * k, outBase = rb.baseAddress! + start * k
                for r in 0..<rows {
                    let row = base + r * k, out = outBase + r * k
                    var m = -Double.infinity
                    for j in 0..<k where row[j] > m { m = row[j] }
                    rowMax[r] = m
                    for j in 0..<k { out[j] = row[j] - m }
                }
                fastExpInPlace(outBase, rows * k)
                for r in 0..<rows {
                    let out = outBase + r * k
                    var s = 0.0
                    for j in 0..<k { s += out[j] }
                    let inv = 1 / s
                    for j in 0..<k { out[j] *= inv }
                    total += rowMax[r] + _log(s)
                }
                start += rows
            }
        } }
        return total / Double(Swift.max(x.n, 1))
    }

    /// Log responsibilities into `out` (`n × k`); returns the mean log-likelihood.
    public func logResponsibilities(_ x: PointMatrix, into out: inout [Double], work: inout [Double]) -> Double {
        weightedLogProb(x, into: &out, work: &work)
        var total = 0.0
        for i in 0..<x.n {
            var m = -Double.infinity
            for j in 0..<k where out[i * k + j] > m { m = out[i * k + j] }
            var s = 0.0
            for j in 0..<k { s += _exp(out[i * k + j] - m) }
            let lse = m + _log(s)
            for j in 0..<k { out[i * k + j] -= lse }
            total += lse
        }
        return total / Double(Swift.max(x.n, 1))
    }

    /// Most likely component and the log-likelihood of every point.
    public func predict(_ x: PointMatrix, labels: inout [Int32], logLikelihood: inout [Double]) {
        var lp = [Double](repeating: 0, count: x.n * k)
        var work: [Double] = []
        weightedLogProb(x, into: &lp, work: &work)
        labels = [Int32](repeating: 0, count: x.n)
        logLikelihood = [Double](repeating: 0, count: x.n)
        for i in 0..<x.n {
            var m = -Double.infinity, a = 0
            for j in 0..<k where lp[i * k + j] > m { m = lp[i * k + j]; a = j }
            var s = 0.0
            for j in 0..<k { s += _exp(lp[i * k + j] - m) }
            labels[i] = Int32(a); logLikelihood[i] = m + _log(s)
        }
    }
}
