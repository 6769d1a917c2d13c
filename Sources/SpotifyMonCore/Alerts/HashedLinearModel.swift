/// Online linear models over hashed features, all heads sharing one weight row per feature
/// (so one feature costs one or two cache lines for every head):
/// `[class logits (maxClasses) | team logits (maxTeams) | false-positive logit | priority logits (4)]`.
/// Class, team and priority heads are softmax regressions, the false-positive head a
/// logistic regression; all learn by SGD on the log-loss, one example at a time.
public final class HashedLinearModel: @unchecked Sendable {
    /// Rows (2^bits).
    public let rows: Int
    /// Floats per row (a multiple of 8: heads start on 8-float blocks, so scoring and
    /// learning run on SIMD8 blocks of the row).
    public let stride: Int
    /// Column capacities.
    public let maxClasses: Int, maxTeams: Int
    /// Offsets of the heads in a row (the false-positive logit and the 4 priority logits share one block).
    public let teamOffset: Int, fpOffset: Int, prioOffset: Int
    /// The weights, rows × stride, 64-byte aligned.
    public let w: UnsafeMutablePointer<Float>
    /// Learning rate and L2 shrinkage.
    public var learningRate: Float, l2: Float
    let acc: UnsafeMutablePointer<SIMD8<Float>>
    let grads: UnsafeMutablePointer<SIMD8<Float>>
    let blocks: UnsafeMutablePointer<Int>

    /// A zero model.
    public init(bits: Int, maxClasses: Int, maxTeams: Int, learningRate: Double, l2: Double) {
        rows = 1 << bits
        self.maxClasses = maxClasses; self.maxTeams = maxTeams
        teamOffset = (maxClasses + 7) / 8 * 8
        fpOffset = teamOffset + (maxTeams + 7) / 8 * 8
        prioOffset = fpOffset + 1
        stride = fpOffset + 8
        w = UnsafeMutableRawPointer.allocate(byteCount: rows * stride * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: rows * stride)
        w.initialize(repeating: 0, count: rows * stride)
        acc = .allocate(capacity: stride / 8)
        grads = .allocate(capacity: stride / 8)
        blocks = .allocate(capacity: stride / 8)
        self.learningRate = Float(learningRate); self.l2 = Float(l2)
    }

    deinit { w.deallocate(); acc.deallocate(); grads.deallocate(); blocks.deallocate() }

    /// Adds `x · W[:, offset ..< offset+n]` into `out[0..<n]` (out is zeroed first).
    @inline(__always)
    public func scores(_ x: FeatureBuffer, offset: Int, n: Int, into out: UnsafeMutablePointer<Float>) {
        for j in 0..<n { out[j] = 0 }
        guard n > 0 else { return }
        for f in 0..<x.count {
            let v = x.value[f]
            let r = w + (Int(x.index[f]) * stride + offset)
            for j in 0..<n { out[j] += r[j] * v }
        }
    }

    /// Every head's raw scores in one pass over the features: class logits into `pc[0..<nC]`,
    /// team logits into `pt[0..<nT]`, priority logits into `pp[0..<4]`; returns the
    /// false-positive logit. Only the row blocks holding active columns are read.
    @inline(__always)
    public func scoresAll(_ x: FeatureBuffer, nC: Int, nT: Int, pc: UnsafeMutablePointer<Float>,
                          pt: UnsafeMutablePointer<Float>, pp: UnsafeMutablePointer<Float>) -> Float {
        let cb = (nC + 7) / 8, tb = (nT + 7) / 8
        var nb = 0
        for b in 0..<cb { blocks[nb] = b * 32; nb += 1 }
        for b in 0..<tb { blocks[nb] = (teamOffset / 8 + b) * 32; nb += 1 }
        blocks[nb] = fpOffset * 4; nb += 1
        for k in 0..<nb { acc[k] = SIMD8(repeating: 0) }
        let rowBytes = stride * 4
        let base = UnsafeRawPointer(w)
        let n = x.count
        let idx = x.index, val = x.value
        for f in 0..<n {
            let v = SIMD8<Float>(repeating: val[f])
            let r = base + Int(idx[f]) * rowBytes
            for k in 0..<nb { acc[k] += r.load(fromByteOffset: blocks[k], as: SIMD8<Float>.self) * v }
        }
        for j in 0..<nC { pc[j] = acc[j / 8][j % 8] }
        for j in 0..<nT { pt[j] = acc[cb + j / 8][j % 8] }
        let last = acc[nb - 1]
        pp[0] = last[1]; pp[1] = last[2]; pp[2] = last[3]; pp[3] = last[4]
        return last[0]
    }

    /// One SGD step of every head at once, given each head's gradient of the log-loss with
    /// respect to its logits (nil: no update of that head).
    @inline(__always)
    public func stepAll(_ x: FeatureBuffer, gc: UnsafeMutablePointer<Float>?, nC: Int, gt: UnsafeMutablePointer<Float>?, nT: Int,
                        gfp: Float?, gp: UnsafeMutablePointer<Float>?) {
        var nb = 0
        if let gc {
            for b in 0..<((nC + 7) / 8) {
                var g = SIMD8<Float>(repeating: 0)
                for j in 0..<8 where b * 8 + j < nC { g[j] = gc[b * 8 + j] }
                grads[nb] = g; blocks[nb] = b * 32; nb += 1
            }
        }
        if let gt {
            for b in 0..<((nT + 7) / 8) {
                var g = SIMD8<Float>(repeating: 0)
                for j in 0..<8 where b * 8 + j < nT { g[j] = gt[b * 8 + j] }
                grads[nb] = g; blocks[nb] = (teamOffset / 8 + b) * 32; nb += 1
            }
        }
        if gfp != nil || gp != nil {
            var g = SIMD8<Float>(repeating: 0)
            g[0] = gfp ?? 0
            if let gp { g[1] = gp[0]; g[2] = gp[1]; g[3] = gp[2]; g[4] = gp[3] }
            grads[nb] = g; blocks[nb] = fpOffset * 4; nb += 1
        }
        guard nb > 0 else { return }
        let shrink = SIMD8<Float>(repeating: 1 - learningRate * l2)
        let rowBytes = stride * 4
        let base = UnsafeMutableRawPointer(w)
        let lr = learningRate
        for f in 0..<x.count {
            let g = SIMD8<Float>(repeating: lr * x.value[f])
            let r = base + Int(x.index[f]) * rowBytes
            for k in 0..<nb {
                let o = blocks[k]
                let cur = r.load(fromByteOffset: o, as: SIMD8<Float>.self)
                r.storeBytes(of: cur * shrink - g * grads[k], toByteOffset: o, as: SIMD8<Float>.self)
            }
        }
    }

    /// The false-positive logit.
    @inline(__always)
    public func fpLogit(_ x: FeatureBuffer) -> Float {
        var z: Float = 0
        for f in 0..<x.count { z += w[Int(x.index[f]) * stride + fpOffset] * x.value[f] }
        return z
    }

    /// Softmax of `z[0..<n]` in place; returns the arg max.
    @inline(__always)
    @discardableResult
    public static func softmax(_ z: UnsafeMutablePointer<Float>, _ n: Int) -> Int {
        guard n > 0 else { return -1 }
        var m = z[0], arg = 0
        for j in 1..<max(n, 1) where z[j] > m { m = z[j]; arg = j }
        var s: Float = 0
        for j in 0..<n { let e = _expf(z[j] - m); z[j] = e; s += e }
        let inv = 1 / s
        for j in 0..<n { z[j] *= inv }
        return arg
    }

    /// One SGD step of a softmax head: `grad = p - onehot(y)` over `n` columns at `offset`
    /// (`p` holds the predicted probabilities).
    @inline(__always)
    public func stepSoftmax(_ x: FeatureBuffer, offset: Int, n: Int, p: UnsafeMutablePointer<Float>, y: Int) {
        guard n > 0, y >= 0, y < n else { return }
        p[y] -= 1
        let lr = learningRate, shrink = 1 - learningRate * l2
        for f in 0..<x.count {
            let g = lr * x.value[f]
            let r = w + (Int(x.index[f]) * stride + offset)
            for j in 0..<n { r[j] = r[j] * shrink - g * p[j] }
        }
        p[y] += 1
    }

    /// One SGD step of the false-positive head toward label `y` (0/1) from probability `p`.
    @inline(__always)
    public func stepFP(_ x: FeatureBuffer, p: Float, y: Float) {
        let g0 = learningRate * (p - y), shrink = 1 - learningRate * l2
        for f in 0..<x.count {
            let k = Int(x.index[f]) * stride + fpOffset
            w[k] = w[k] * shrink - g0 * x.value[f]
        }
    }

    /// Adds `delta` to one weight (rule priors).
    public func bump(row: Int32, column: Int, _ delta: Float) {
        guard row >= 0, Int(row) < rows, column >= 0, column < stride else { return }
        w[Int(row) * stride + column] += delta
    }

    /// Writes the non-zero rows.
    func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(rows)); w.write(UInt64(stride))
        var nz: [UInt32] = []
        for r in 0..<rows {
            let p = self.w + r * stride
            var any = false
            for j in 0..<stride where p[j] != 0 { any = true; break }
            if any { nz.append(UInt32(r)) }
        }
        w.write(UInt64(nz.count))
        w.bytes.reserveCapacity(w.bytes.count + nz.count * (4 + stride * 4))
        for r in nz {
            w.write(r)
            let p = self.w + Int(r) * stride
            for j in 0..<stride { w.write(p[j].bitPattern) }
        }
    }

    /// Reads what `encode` wrote into fresh storage, then swaps it in (unchanged on error).
    func decode(from r: inout SnapshotReader) throws {
        let n: UInt64 = try r.read(), s: UInt64 = try r.read()
        guard n == UInt64(rows), s == UInt64(stride) else {
            throw SMONError.corrupt("snapshot model shape \(n)x\(s) differs from this classifier's \(rows)x\(stride) (hash_bits, max_classes, max_teams)")
        }
        let k = try r.readCount(minSize: 4 + stride * 4)
        let fresh = UnsafeMutablePointer<Float>.allocate(capacity: rows * stride)
        defer { fresh.deallocate() }
        fresh.initialize(repeating: 0, count: rows * stride)
        for _ in 0..<k {
            let row: UInt32 = try r.read()
            guard Int(row) < rows else { throw SMONError.corrupt("snapshot model row out of range") }
            for j in 0..<stride {
                let v = Float(bitPattern: try r.read(UInt32.self))
                guard v.isFinite else { throw SMONError.corrupt("snapshot model holds a non-finite weight") }
                fresh[Int(row) * stride + j] = v
            }
        }
        w.update(from: fresh, count: rows * stride)
    }
}

/// A fast exp for softmax (relative error below 2e-5 on [-80, 80]; clamps outside).
@inline(__always) func _expf(_ x: Float) -> Float {
    let t = min(max(x, -80), 80) * 1.442_695_04 // log2(e)
    let i = t.rounded(.down)
    let f = t - i
    // 2^f on [0, 1): degree-5 polynomial.
    let p = 1 + f * (0.693_147_18 + f * (0.240_226_51 + f * (0.055_504_11 + f * (0.009_618_13 + f * 0.001_333_55))))
    return p * Float(bitPattern: UInt32(Int32(i) + 127) << 23)
}
