/// A small GRU forecaster trained online, shared by all series of a detector. Each series
/// keeps its own hidden state (`GRUSeriesState`); the weights are common, learned from every
/// series' standardised values by one-step truncated backpropagation. Gradients of a block of
/// events are gathered and applied with BLAS (`gemm`), the forward step is a handful of
/// 8 × 10 products written out.
public struct OnlineGRU: Sendable {
    /// Hidden units.
    public static let hidden = 8
    /// Columns of each gate matrix: input, hidden, bias.
    static let cols = 1 + hidden + 1
    /// Events per gradient block.
    static let block = 32
    /// Gate weights (row-major H × cols): reset, update, candidate.
    var wr: [Double], wu: [Double], wc: [Double]
    /// Output weights and bias.
    var wo: [Double], bo = 0.0
    var rate: Double
    // Gradient block: inputs and deltas per event.
    var inRU: [Double], inC: [Double], dRU: [Double], dC: [Double]
    var gWo: [Double], gBo = 0.0
    var pending = 0
    // Scratch for the BLAS products.
    var gradRU: [Double], gradC: [Double]

    /// A GRU with small random weights from `seed`.
    public init(rate: Double, seed: UInt64) {
        let h = Self.hidden, c = Self.cols
        var rng = Xoshiro256(seed: seed ^ 0x4752_5531)
        let s = 1 / Double(c).squareRoot()
        func rand(_ n: Int) -> [Double] { (0..<n).map { _ in (rng.nextUnit() * 2 - 1) * s } }
        wr = rand(h * c); wu = rand(h * c); wc = rand(h * c); wo = rand(h)
        self.rate = rate
        inRU = Array(repeating: 0, count: Self.block * c); inC = inRU
        dRU = Array(repeating: 0, count: Self.block * 2 * h); dC = Array(repeating: 0, count: Self.block * h)
        gWo = Array(repeating: 0, count: h)
        gradRU = Array(repeating: 0, count: 2 * h * c); gradC = Array(repeating: 0, count: h * c)
    }

    /// Gates of one step from `x` and `hPrev`: reset r, update u, candidate c.
    @inline(__always)
    func gates(x: Float, hPrev: InlineArray<8, Float>, r: inout InlineArray<8, Double>, u: inout InlineArray<8, Double>,
               c: inout InlineArray<8, Double>) {
        let h = Self.hidden, cols = Self.cols
        let xd = Double(x)
        for i in 0..<h {
            var ar = wr[i * cols] * xd + wr[i * cols + cols - 1]
            var au = wu[i * cols] * xd + wu[i * cols + cols - 1]
            for j in 0..<h { ar += wr[i * cols + 1 + j] * Double(hPrev[j]); au += wu[i * cols + 1 + j] * Double(hPrev[j]) }
            r[i] = MathUtil.sigmoid(ar); u[i] = MathUtil.sigmoid(au)
        }
        for i in 0..<h {
            var ac = wc[i * cols] * xd + wc[i * cols + cols - 1]
            for j in 0..<h { ac += wc[i * cols + 1 + j] * r[j] * Double(hPrev[j]) }
            c[i] = _tanh(ac)
        }
    }

    /// Scores `x` (a standardised value) against the series' forecast, learns from the error
    /// and advances the series' state. Returns an anomaly score in [0, 1].
    public mutating func step(_ s: inout GRUSeriesState, x: Float) -> Double {
        let h = Self.hidden, cols = Self.cols
        let err = Double(x - s.prediction)
        let scale = Swift.max(Double(s.errorScale), 1e-4)
        let e2 = err * err / scale
        let score = s.steps >= 2 ? 1 - _exp(-e2 / 18) : 0
        s.errorScale = s.steps == 0 ? Float(err * err) : s.errorScale + 0.02 * (Float(err * err) - s.errorScale)
        var r = InlineArray<8, Double>(repeating: 0), u = r, c = r
        if s.steps >= 1 {
            // Backpropagate the squared error through the output layer and the last step.
            let g = MathUtil.clamp(-err, -4, 4)
            let p = pending
            let hp = s.previous
            gates(x: s.previousInput, hPrev: hp, r: &r, u: &u, c: &c)
            for i in 0..<h {
                let dh = g * wo[i]
                gWo[i] += g * Double(s.hidden[i])
                dC[p * h + i] = dh * u[i] * (1 - c[i] * c[i])
                dRU[p * 2 * h + h + i] = dh * (c[i] - Double(hp[i])) * u[i] * (1 - u[i])
            }
            for j in 0..<h {
                var d = 0.0
                for i in 0..<h { d += wc[i * cols + 1 + j] * dC[p * h + i] }
                dRU[p * 2 * h + j] = d * Double(hp[j]) * r[j] * (1 - r[j])
            }
            inRU[p * cols] = Double(s.previousInput); inC[p * cols] = Double(s.previousInput)
            for j in 0..<h {
                inRU[p * cols + 1 + j] = Double(hp[j]); inC[p * cols + 1 + j] = r[j] * Double(hp[j])
            }
            inRU[p * cols + cols - 1] = 1; inC[p * cols + cols - 1] = 1
            gBo += g
            pending += 1
            if pending == Self.block { applyBlock() }
        }
        // Forward one step.
        let prev = s.hidden
        s.previous = prev
        s.previousInput = x
        gates(x: x, hPrev: prev, r: &r, u: &u, c: &c)
        var pred = bo
        for i in 0..<h {
            let nh = (1 - u[i]) * Double(prev[i]) + u[i] * c[i]
            s.hidden[i] = Float(nh)
            pred += wo[i] * nh
        }
        s.prediction = Float(MathUtil.clamp(pred, -8, 8))
        if s.steps < 1000 { s.steps += 1 }
        return score
    }

    /// Applies the gathered gradients: dW = Δᵀ · inputs (BLAS), then a clipped SGD step.
    mutating func applyBlock() {
        let h = Self.hidden, cols = Self.cols, n = pending
        guard n > 0 else { return }
        dRU.withUnsafeBufferPointer { d in inRU.withUnsafeBufferPointer { a in gradRU.withUnsafeMutableBufferPointer { g in
            LinearAlgebra.gemm(m: 2 * h, n: cols, k: n, a: d.baseAddress!, lda: 2 * h, transA: true,
                               b: a.baseAddress!, ldb: cols, c: g.baseAddress!, ldc: cols)
        }}}
        dC.withUnsafeBufferPointer { d in inC.withUnsafeBufferPointer { a in gradC.withUnsafeMutableBufferPointer { g in
            LinearAlgebra.gemm(m: h, n: cols, k: n, a: d.baseAddress!, lda: h, transA: true,
                               b: a.baseAddress!, ldb: cols, c: g.baseAddress!, ldc: cols)
        }}}
        let lr = rate / Double(n)
        func clip(_ g: Double) -> Double { MathUtil.clamp(g, -5, 5) }
        for i in 0..<(h * cols) {
            wr[i] -= lr * clip(gradRU[i])
            wu[i] -= lr * clip(gradRU[h * cols + i])
            wc[i] -= lr * clip(gradC[i])
        }
        for i in 0..<h { wo[i] -= lr * clip(gWo[i]); gWo[i] = 0 }
        bo -= lr * clip(gBo); gBo = 0
        pending = 0
    }

    func encode(to w: inout SnapshotWriter) {
        w.write(wr); w.write(wu); w.write(wc); w.write(wo); w.write(bo)
        w.write(inRU); w.write(inC); w.write(dRU); w.write(dC); w.write(gWo); w.write(gBo); w.write(UInt64(pending))
    }

    mutating func decode(from r: inout SnapshotReader) throws {
        var c = self
        c.wr = try r.read(); c.wu = try r.read(); c.wc = try r.read(); c.wo = try r.read(); c.bo = try r.read()
        c.inRU = try r.read(); c.inC = try r.read(); c.dRU = try r.read(); c.dC = try r.read(); c.gWo = try r.read()
        c.gBo = try r.read()
        let p: UInt64 = try r.read()
        guard c.wr.count == wr.count, c.wu.count == wu.count, c.wc.count == wc.count, c.wo.count == wo.count,
              c.inRU.count == inRU.count, c.inC.count == inC.count, c.dRU.count == dRU.count, c.dC.count == dC.count,
              c.gWo.count == gWo.count, p < UInt64(Self.block) else {
            throw SMONError.corrupt("snapshot GRU is malformed")
        }
        c.pending = Int(p)
        self = c
    }
}

/// A series' share of the GRU: hidden state, the step before, and its error scale.
public struct GRUSeriesState: Sendable {
    var hidden = InlineArray<8, Float>(repeating: 0)
    var previous = InlineArray<8, Float>(repeating: 0)
    var previousInput: Float = 0
    var prediction: Float = 0
    var errorScale: Float = 0
    var steps: UInt16 = 0
    /// A fresh state.
    public init() {}
}
