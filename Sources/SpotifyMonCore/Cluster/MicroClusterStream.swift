/// Online clustering per event: micro-clusters with exponentially decaying weights
/// (CluStream/DenStream style leader clustering). A point joins the nearest micro-cluster
/// within `radius` (its centre moves by the weighted mean), or founds a new one; when all
/// `capacity` slots are taken the lightest (decayed) micro-cluster is replaced. Weights halve
/// every `halfLife` points, so old regimes fade. State is flat arrays: no allocation per point.
public struct MicroClusterStream: Sendable, Equatable {
    /// Dimensions.
    public let d: Int
    /// Slots.
    public let capacity: Int
    /// Join radius, squared.
    public var radius2: Double
    /// Decay rate per point (ln 2 / half-life).
    public let lambda: Double
    /// Centres, `capacity × d`.
    public var centers: [Double]
    /// Weights at their last update.
    public var weights: [Double]
    /// Time (points seen) of each slot's last update.
    public var stamps: [Double]
    /// Weighted sum of squared distances to the centre (for the radius), per slot.
    public var spread: [Double]
    /// Stable id of each slot's micro-cluster.
    public var ids: [Int64]
    /// Slots in use.
    public var count = 0
    /// Points seen.
    public var time = 0.0
    /// Next micro-cluster id.
    public var nextId: Int64 = 0

    /// An empty stream clusterer.
    public init(d: Int, capacity: Int, radius: Double, halfLife: Double) {
        self.d = d; self.capacity = Swift.max(1, capacity)
        radius2 = radius * radius
        lambda = 0.6931471805599453 / Swift.max(halfLife, 1)
        centers = [Double](repeating: 0, count: self.capacity * d)
        weights = [Double](repeating: 0, count: self.capacity)
        stamps = [Double](repeating: 0, count: self.capacity)
        spread = [Double](repeating: 0, count: self.capacity)
        ids = [Int64](repeating: -1, count: self.capacity)
    }

    /// What happened to one point.
    public struct Outcome {
        /// Slot that holds the point now.
        public var slot: Int
        /// Squared distance to the nearest centre before insertion (∞ if none).
        public var dist2: Double
        /// Decayed weight of the slot after insertion.
        public var weight: Double
        /// Whether the point founded a new micro-cluster.
        public var created: Bool
    }

    /// The nearest slot to `p` and the squared distance (−1, ∞ when empty).
    public func nearest(_ p: UnsafePointer<Double>) -> (Int, Double) {
        centers.withUnsafeBufferPointer { cb in
            let c = cb.baseAddress!
            var best = Double.infinity, slot = -1
            for s in 0..<count {
                let v = Distance.squaredEuclidean(p, c + s * d, d)
                if v < best { best = v; slot = s }
            }
            return (slot, best)
        }
    }

    /// Decayed weight of slot `s` now.
    public func weight(_ s: Int) -> Double { weights[s] * _exp(-lambda * (time - stamps[s])) }

    /// Inserts one point. A point that joins no micro-cluster founds one; when every slot is
    /// taken, the lightest (decayed) micro-cluster makes room, or with `mergeWhenFull` the two
    /// micro-clusters whose merge costs least (Ward's increase of the within sum of squares)
    /// merge, so a summary of a whole data set loses no point's weight (as Birch's CF tree).
    public mutating func insert(_ p: UnsafePointer<Double>, mergeWhenFull: Bool = false) -> Outcome {
        let (slot, d2) = nearest(p)
        var out: Outcome
        if slot >= 0 && d2 <= radius2 {
            let w = weight(slot) + 1
            let f = 1 / w
            centers.withUnsafeMutableBufferPointer { cb in
                let c = cb.baseAddress! + slot * d
                for t in 0..<d { c[t] += (p[t] - c[t]) * f }
            }
            spread[slot] = (spread[slot] * (w - 1) + d2) * f
            weights[slot] = w; stamps[slot] = time
            out = Outcome(slot: slot, dist2: d2, weight: w, created: false)
        } else {
            var s = count
            if count < capacity { count += 1 } else if mergeWhenFull && count > 1 {
                s = mergeClosestPair()
            } else {
                var lightest = Double.infinity
                for j in 0..<count { let w = weight(j); if w < lightest { lightest = w; s = j } }
            }
            centers.withUnsafeMutableBufferPointer { cb in
                let c = cb.baseAddress! + s * d
                for t in 0..<d { c[t] = p[t] }
            }
            weights[s] = 1; stamps[s] = time; spread[s] = 0; ids[s] = nextId; nextId += 1
            out = Outcome(slot: s, dist2: d2, weight: 1, created: true)
        }
        time += 1
        return out
    }

    /// Merges the two micro-clusters with the least Ward cost `wa·wb/(wa+wb)·‖ca − cb‖²` into
    /// the first (weighted mean centre, pooled spread); returns the freed slot.
    mutating func mergeClosestPair() -> Int {
        var w = [Double](repeating: 0, count: count)
        for j in 0..<count { w[j] = weight(j) }
        var best = Double.infinity, ba = 0, bb = 1
        centers.withUnsafeBufferPointer { cb in
            let c = cb.baseAddress!
            for a in 0..<count {
                for b in (a + 1)..<count {
                    let cost = w[a] * w[b] / (w[a] + w[b]) * Distance.squaredEuclidean(c + a * d, c + b * d, d)
                    if cost < best { best = cost; ba = a; bb = b }
                }
            }
        }
        let wa = w[ba], wb = w[bb], wt = wa + wb
        centers.withUnsafeMutableBufferPointer { cb in
            let ca = cb.baseAddress! + ba * d, cbb = cb.baseAddress! + bb * d
            var gap = 0.0
            for t in 0..<d { let df = cbb[t] - ca[t]; gap += df * df; ca[t] += df * wb / wt }
            spread[ba] = (spread[ba] * wa + spread[bb] * wb + wa * wb / wt * gap) / wt
        }
        weights[ba] = wt; stamps[ba] = time
        return bb
    }

    /// Live centres and their decayed weights.
    public func snapshotCenters() -> (centers: [Double], weights: [Double]) {
        (Array(centers[0..<(count * d)]), (0..<count).map { weight($0) })
    }
}

extension MicroClusterStream: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(d)); w.write(UInt64(capacity)); w.write(radius2); w.write(lambda)
        w.write(centers); w.write(weights); w.write(stamps); w.write(spread); w.write(ids)
        w.write(UInt64(count)); w.write(time); w.write(nextId)
    }
    public init(from r: inout SnapshotReader) throws {
        let d: UInt64 = try r.read(), cap: UInt64 = try r.read()
        let r2: Double = try r.read(), lam: Double = try r.read()
        guard d <= 1 << 20, cap >= 1, cap <= 1 << 24, r2 >= 0, lam >= 0 else { throw SMONError.corrupt("bad micro-clusters") }
        self.d = Int(d); capacity = Int(cap); radius2 = r2; lambda = lam
        centers = try r.read(); weights = try r.read(); stamps = try r.read(); spread = try r.read(); ids = try r.read()
        let c: UInt64 = try r.read()
        time = try r.read(); nextId = try r.read()
        guard centers.count == capacity * self.d, weights.count == capacity, stamps.count == capacity,
              spread.count == capacity, ids.count == capacity, c <= cap else { throw SMONError.corrupt("bad micro-cluster sizes") }
        count = Int(c)
    }
}
