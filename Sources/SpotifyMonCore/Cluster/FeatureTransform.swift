/// The feature space of a model: optional standardisation (z-scores; a zero-variance column
/// gets scale 1, so it stays constant rather than dividing by zero) then an optional PCA
/// projection (eigenvectors of the covariance by LAPACK `dsyevd`). Kept in the model so that
/// later points go through the same map.
public struct FeatureTransform: Sendable, Equatable {
    /// Input dimensions.
    public var inputDim: Int
    /// Output dimensions.
    public var outputDim: Int
    /// Centre subtracted per input column (0 when not standardising nor projecting).
    public var mean: [Double]
    /// Divisor per input column (1 when not standardising).
    public var scale: [Double]
    /// Projection, `inputDim × outputDim` row-major (empty: no PCA).
    public var components: [Double]
    /// Variance explained by each kept component.
    public var explainedVariance: [Double]

    /// The identity on `d` columns.
    public init(identity d: Int) {
        inputDim = d; outputDim = d
        mean = [Double](repeating: 0, count: d); scale = [Double](repeating: 1, count: d)
        components = []; explainedVariance = []
    }

    /// Learns the transform from `x`.
    public init(fit x: PointMatrix, standardize: Bool, pcaComponents: Int) throws {
        let n = x.n, d = x.d
        self.init(identity: d)
        guard standardize || pcaComponents > 0 else { return }
        var m = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
        for i in 0..<n { let p = x.row(i); for t in 0..<d { m[t] += p[t] } }
        for t in 0..<d { m[t] /= Double(Swift.max(n, 1)) }
        for i in 0..<n { let p = x.row(i); for t in 0..<d { let e = p[t] - m[t]; sq[t] += e * e } }
        mean = m
        if standardize {
            for t in 0..<d {
                let sd = (sq[t] / Double(Swift.max(n, 1))).squareRoot()
                scale[t] = sd > 1e-12 * Swift.max(1, abs(m[t])) ? sd : 1
            }
        }
        if pcaComponents > 0 {
            let c = Swift.min(pcaComponents, d)
            var y = [Double](repeating: 0, count: n * d)
            for i in 0..<n { let p = x.row(i); for t in 0..<d { y[i * d + t] = (p[t] - mean[t]) / scale[t] } }
            var cov = LinearAlgebra.gram(Matrix(rows: n, cols: d, data: y))
            for t in 0..<(d * d) { cov.data[t] /= Double(Swift.max(n - 1, 1)) }
            let (w, v) = try LinearAlgebra.symmetricEigen(cov)
            components = [Double](repeating: 0, count: d * c)
            explainedVariance = []
            for j in 0..<c {
                let col = d - 1 - j
                // Deterministic sign: largest-magnitude loading positive.
                var big = 0.0
                for t in 0..<d where abs(v[t, col]) > abs(big) { big = v[t, col] }
                let s = big < 0 ? -1.0 : 1.0
                for t in 0..<d { components[t * c + j] = s * v[t, col] }
                explainedVariance.append(Swift.max(0, w[col]))
            }
            outputDim = c
        }
    }

    /// Whether the transform changes anything.
    public var isIdentity: Bool { components.isEmpty && mean.allSatisfy { $0 == 0 } && scale.allSatisfy { $0 == 1 } }

    /// Maps `n` points into a new `n × outputDim` array.
    public func apply(_ x: PointMatrix) -> [Double] {
        let n = x.n, d = inputDim
        var z = [Double](repeating: 0, count: n * d)
        for i in 0..<n { let p = x.row(i); for t in 0..<d { z[i * d + t] = (p[t] - mean[t]) / scale[t] } }
        if components.isEmpty { return z }
        var out = [Double](repeating: 0, count: n * outputDim)
        if n == 0 { return out }
        z.withUnsafeBufferPointer { zb in components.withUnsafeBufferPointer { cb in out.withUnsafeMutableBufferPointer { ob in
            LinearAlgebra.gemm(m: n, n: outputDim, k: d, a: zb.baseAddress!, lda: d, b: cb.baseAddress!, ldb: outputDim,
                               c: ob.baseAddress!, ldc: outputDim)
        } } }
        return out
    }

    /// Maps one point into `out[0..<outputDim]` using `scratch[0..<inputDim]` (no allocation).
    public func apply(_ p: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let d = inputDim
        if components.isEmpty {
            for t in 0..<d { out[t] = (p[t] - mean[t]) / scale[t] }
            return
        }
        for t in 0..<d { scratch[t] = (p[t] - mean[t]) / scale[t] }
        for j in 0..<outputDim {
            var s = 0.0
            for t in 0..<d { s += scratch[t] * components[t * outputDim + j] }
            out[j] = s
        }
    }

    /// Maps model-space centres back to input space (PCA: the projection's back-map).
    public func invert(_ y: [Double], rows: Int) -> [Double] {
        let d = inputDim, c = outputDim
        var out = [Double](repeating: 0, count: rows * d)
        for i in 0..<rows {
            for t in 0..<d {
                var z: Double
                if components.isEmpty { z = y[i * c + t] } else {
                    z = 0
                    for j in 0..<c { z += y[i * c + j] * components[t * c + j] }
                }
                out[i * d + t] = z * scale[t] + mean[t]
            }
        }
        return out
    }
}

extension FeatureTransform: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(inputDim)); w.write(UInt64(outputDim))
        w.write(mean); w.write(scale); w.write(components); w.write(explainedVariance)
    }
    public init(from r: inout SnapshotReader) throws {
        let i: UInt64 = try r.read(), o: UInt64 = try r.read()
        guard i <= 1 << 20, o <= i else { throw SMONError.corrupt("bad feature transform") }
        inputDim = Int(i); outputDim = Int(o)
        mean = try r.read(); scale = try r.read(); components = try r.read(); explainedVariance = try r.read()
        guard mean.count == inputDim, scale.count == inputDim, scale.allSatisfy({ $0 != 0 && $0.isFinite }),
              components.isEmpty ? outputDim == inputDim : components.count == inputDim * outputDim else {
            throw SMONError.corrupt("bad feature transform sizes")
        }
    }
}
