/// Online linear models over hashed features, all heads sharing one weight row per feature
/// (so one feature costs one or two cache lines for every head). A row is a run of 8-float
/// blocks: the false-positive logit and the 4 priority logits share the first block, then come
/// the first class block and the first two team blocks (with up to 8 classes and 16 teams, all
/// a feature's weights sit in the first 128 bytes, two cache lines), then the other class and
/// team blocks. Class, team and priority heads are softmax regressions, the false-positive
/// head a logistic regression; all learn by SGD on the log-loss, one example at a time.
public final class HashedLinearModel: @unchecked Sendable {
    /// Rows (2^bits).
    public let rows: Int
    /// Floats per row (a multiple of 8: heads sit in 8-float blocks, so scoring and learning
    /// run on SIMD8 blocks of the row).
    public let stride: Int
    /// Column capacities.
    public let maxClasses: Int, maxTeams: Int
    /// The weights, rows × stride, 64-byte aligned.
    public let w: UnsafeMutablePointer<Float>
    /// Learning rate and L2 shrinkage.
    public var learningRate: Float, l2: Float
    /// Float offset in a row of class block b (`classBlock[b]`) and team block b (`teamBlock[b]`).
    let classBlock: UnsafeMutablePointer<Int>, teamBlock: UnsafeMutablePointer<Int>
    let acc: UnsafeMutablePointer<SIMD8<Float>>
    let grads: UnsafeMutablePointer<SIMD8<Float>>
    let blocks: UnsafeMutablePointer<Int>

    /// Column of the false-positive logit.
    public static let fpColumn = 0
    /// Column of priority logit p (0 = P1).
    @inline(__always) public static func priorityColumn(_ p: Int) -> Int { 1 + p }
    /// Column of class c.
    @inline(__always) public func classColumn(_ c: Int) -> Int { classBlock[c >> 3] + (c & 7) }
    /// Column of team t.
    @inline(__always) public func teamColumn(_ t: Int) -> Int { teamBlock[t >> 3] + (t & 7) }

    /// A zero model.
    public init(bits: Int, maxClasses: Int, maxTeams: Int, learningRate: Double, l2: Double) {
        rows = 1 << bits
        self.maxClasses = maxClasses; self.maxTeams = maxTeams
        let cb = (maxClasses + 7) / 8, tb = (maxTeams + 7) / 8
        stride = 8 * (1 + cb + tb)
        classBlock = .allocate(capacity: cb)
        teamBlock = .allocate(capacity: tb)
        // Block order: fp/priority, class 0, team 0, team 1, other classes, other teams.
        var next = 8
        classBlock[0] = next; next += 8
        for b in 0..<min(tb, 2) { teamBlock[b] = next; next += 8 }
        for b in 1..<max(cb, 1) { classBlock[b] = next; next += 8 }
        for b in 2..<max(tb, 2) { teamBlock[b] = next; next += 8 }
        w = UnsafeMutableRawPointer.allocate(byteCount: rows * stride * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: rows * stride)
        w.initialize(repeating: 0, count: rows * stride)
        acc = .allocate(capacity: stride / 8)
        grads = .allocate(capacity: stride / 8)
        blocks = .allocate(capacity: stride / 8)
        self.learningRate = Float(learningRate); self.l2 = Float(l2)
    }

    deinit {
        w.deallocate(); acc.deallocate(); grads.deallocate(); blocks.deallocate()
        classBlock.deallocate(); teamBlock.deallocate()
    }

    /// Lists the byte offsets of the blocks holding the fp/priority block, the first `nC`
    /// classes and the first `nT` teams, in that order, into `blocks`; returns their number.
    @inline(__always)
    func activeBlocks(nC: Int, nT: Int) -> Int {
        var nb = 1
        blocks[0] = 0
        for b in 0..<((nC + 7) / 8) { blocks[nb] = classBlock[b] * 4; nb += 1 }
        for b in 0..<((nT + 7) / 8) { blocks[nb] = teamBlock[b] * 4; nb += 1 }
        return nb
    }

    /// Every head's raw scores in one pass over the features: class logits into `pc[0..<nC]`,
    /// team logits into `pt[0..<nT]`, priority logits into `pp[0..<4]`; returns the
    /// false-positive logit. Only the row blocks holding active columns are read.
    @inline(__always)
    public func scoresAll(_ x: FeatureBuffer, nC: Int, nT: Int, pc: UnsafeMutablePointer<Float>,
                          pt: UnsafeMutablePointer<Float>, pp: UnsafeMutablePointer<Float>) -> Float {
        let nb = activeBlocks(nC: nC, nT: nT)
        let rowBytes = stride &* 4
        let base = UnsafeRawPointer(w)
        let n = x.count
        let idx = x.index, val = x.value
        if nb <= 4 {
            // The common case (up to 8 classes and 16 teams): four accumulators in registers,
            // missing blocks read the first block again (same cache line, result unused).
            // Features of one block share their value, so rows are summed over each run of
            // equal values and the sum is scaled once per run.
            for k in nb..<4 { blocks[k] = 0 }
            let o1 = blocks[1], o2 = blocks[2], o3 = blocks[3]
            let zero = SIMD8<Float>(repeating: 0)
            var a0 = zero, a1 = zero, a2 = zero, a3 = zero
            var r0 = zero, r1 = zero, r2 = zero, r3 = zero
            var run = n > 0 ? val[0] : 0
            for f in 0..<n {
                let v = val[f]
                if v != run {
                    let s = SIMD8<Float>(repeating: run)
                    a0 += r0 * s; a1 += r1 * s; a2 += r2 * s; a3 += r3 * s
                    r0 = zero; r1 = zero; r2 = zero; r3 = zero
                    run = v
                }
                let r = base + Int(idx[f]) &* rowBytes
                r0 += r.load(as: SIMD8<Float>.self)
                r1 += r.load(fromByteOffset: o1, as: SIMD8<Float>.self)
                r2 += r.load(fromByteOffset: o2, as: SIMD8<Float>.self)
                r3 += r.load(fromByteOffset: o3, as: SIMD8<Float>.self)
            }
            let s = SIMD8<Float>(repeating: run)
            acc[0] = a0 + r0 * s; acc[1] = a1 + r1 * s; acc[2] = a2 + r2 * s; acc[3] = a3 + r3 * s
        } else {
            for k in 0..<nb { acc[k] = SIMD8(repeating: 0) }
            for f in 0..<n {
                let v = SIMD8<Float>(repeating: val[f])
                let r = base + Int(idx[f]) &* rowBytes
                for k in 0..<nb { acc[k] += r.load(fromByteOffset: blocks[k], as: SIMD8<Float>.self) * v }
            }
        }
        let cb = (nC + 7) / 8
        for j in 0..<nC { pc[j] = acc[1 + j / 8][j % 8] }
        for j in 0..<nT { pt[j] = acc[1 + cb + j / 8][j % 8] }
        let first = acc[0]
        pp[0] = first[1]; pp[1] = first[2]; pp[2] = first[3]; pp[3] = first[4]
        return first[0]
    }

    /// One SGD step of every head at once, given each head's gradient of the log-loss with
    /// respect to its logits (nil: no update of that head).
    @inline(__always)
    public func stepAll(_ x: FeatureBuffer, gc: UnsafeMutablePointer<Float>?, nC: Int, gt: UnsafeMutablePointer<Float>?, nT: Int,
                        gfp: Float?, gp: UnsafeMutablePointer<Float>?) {
        var nb = 0
        if gfp != nil || gp != nil {
            var g = SIMD8<Float>(repeating: 0)
            g[0] = gfp ?? 0
            if let gp { g[1] = gp[0]; g[2] = gp[1]; g[3] = gp[2]; g[4] = gp[3] }
            grads[nb] = g; blocks[nb] = 0; nb += 1
        }
        if let gc {
            for b in 0..<((nC + 7) / 8) {
                var g = SIMD8<Float>(repeating: 0)
                for j in 0..<8 where b * 8 + j < nC { g[j] = gc[b * 8 + j] }
                grads[nb] = g; blocks[nb] = classBlock[b] * 4; nb += 1
            }
        }
        if let gt {
            for b in 0..<((nT + 7) / 8) {
                var g = SIMD8<Float>(repeating: 0)
                for j in 0..<8 where b * 8 + j < nT { g[j] = gt[b * 8 + j] }
                grads[nb] = g; blocks[nb] = teamBlock[b] * 4; nb += 1
            }
        }
        guard nb > 0 else { return }
        let shrink = SIMD8<Float>(repeating: 1 - learningRate * l2)
        let rowBytes = stride &* 4
        let base = UnsafeMutableRawPointer(w)
        let lr = learningRate
        let n = x.count
        let idx = x.index, val = x.value
        if nb == 4 {
            // The common case (every head labelled, up to 8 classes and 16 teams): offsets and
            // gradients in registers. Features are still updated one after the other, so a row
            // that two features share takes both steps in the same order.
            let o0 = blocks[0], o1 = blocks[1], o2 = blocks[2], o3 = blocks[3]
            let g0 = grads[0], g1 = grads[1], g2 = grads[2], g3 = grads[3]
            for f in 0..<n {
                let g = SIMD8<Float>(repeating: lr * val[f])
                let r = base + Int(idx[f]) &* rowBytes
                Self.step(r, o0, g, g0, shrink); Self.step(r, o1, g, g1, shrink)
                Self.step(r, o2, g, g2, shrink); Self.step(r, o3, g, g3, shrink)
            }
            return
        }
        for f in 0..<n {
            let g = SIMD8<Float>(repeating: lr * val[f])
            let r = base + Int(idx[f]) &* rowBytes
            for k in 0..<nb { Self.step(r, blocks[k], g, grads[k], shrink) }
        }
    }

    /// One block's SGD step in a row: `w = w * shrink - scaled * grad` (scaled: learning rate × feature value).
    @inline(__always)
    static func step(_ row: UnsafeMutableRawPointer, _ offset: Int, _ scaled: SIMD8<Float>, _ grad: SIMD8<Float>,
                     _ shrink: SIMD8<Float>) {
        let cur = row.load(fromByteOffset: offset, as: SIMD8<Float>.self)
        row.storeBytes(of: cur * shrink - scaled * grad, toByteOffset: offset, as: SIMD8<Float>.self)
    }

    /// Softmax of `z[0..<n]` in place (eight exponentials per step); returns the arg max.
    @inline(__always)
    @discardableResult
    public static func softmax(_ z: UnsafeMutablePointer<Float>, _ n: Int) -> Int {
        guard n > 0 else { return -1 }
        var m = z[0], arg = 0
        for j in 1..<max(n, 1) where z[j] > m { m = z[j]; arg = j }
        var s: Float = 0
        var j = 0
        while j < n {
            let c = min(8, n - j)
            var v = SIMD8<Float>(repeating: -100)
            for l in 0..<c { v[l] = z[j + l] - m }
            let e = fastExp(v)
            for l in 0..<c { z[j + l] = e[l]; s += e[l] }
            j += 8
        }
        let inv = 1 / s
        for j in 0..<n { z[j] *= inv }
        return arg
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
