/// The merge tree of an agglomerative clustering: `n − 1` merges sorted by height, each
/// naming one leaf of either side. Cutting it at any number of clusters is a union–find
/// pass, so one fit serves several scales (multi-scale detection).
public struct Dendrogram: Sendable, Equatable {
    /// One merge.
    public struct Merge: Sendable, Equatable {
        /// A leaf of the first cluster.
        public var a: Int32
        /// A leaf of the second cluster.
        public var b: Int32
        /// Linkage height.
        public var height: Double
        /// Size of the merged cluster.
        public var size: Int32
    }
    /// Leaves.
    public var n: Int
    /// Merges in increasing height.
    public var merges: [Merge]

    /// A dendrogram from merges in any order (sorted here, stable).
    public init(n: Int, merges: [Merge]) {
        self.n = n
        self.merges = merges.enumerated().sorted { $0.element.height != $1.element.height
            ? $0.element.height < $1.element.height : $0.offset < $1.offset }.map { $0.element }
    }

    /// Labels of the leaves when the tree is cut into `k` clusters (numbered by first leaf).
    public func cut(_ k: Int) -> [Int32] {
        var parent = (0..<n).map { Int32($0) }
        func find(_ x: Int32) -> Int32 {
            var r = x
            while parent[Int(r)] != r { r = parent[Int(r)] }
            var c = x
            while parent[Int(c)] != r { let nx = parent[Int(c)]; parent[Int(c)] = r; c = nx }
            return r
        }
        let apply = Swift.max(0, Swift.min(merges.count, n - Swift.max(k, 1)))
        for m in merges.prefix(apply) {
            let ra = find(m.a), rb = find(m.b)
            if ra != rb { parent[Int(Swift.max(ra, rb))] = Swift.min(ra, rb) }
        }
        var labels = (0..<n).map { find(Int32($0)) }
        _ = compactLabels(&labels)
        return labels
    }

    /// The height at which the tree has `k` clusters (the last merge applied), 0 for k ≥ n.
    public func height(at k: Int) -> Double {
        let apply = Swift.max(0, Swift.min(merges.count, n - Swift.max(k, 1)))
        return apply == 0 ? 0 : merges[apply - 1].height
    }
}

extension Dendrogram: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(UInt64(n)); w.write(UInt64(merges.count))
        for m in merges { w.write(m.a); w.write(m.b); w.write(m.height); w.write(m.size) }
    }
    public init(from r: inout SnapshotReader) throws {
        let n: UInt64 = try r.read()
        let c = try r.readCount(minSize: 20)
        guard n <= UInt64(SnapshotReader.maxCount), c <= Int(n) else { throw SMONError.corrupt("bad dendrogram") }
        var ms: [Merge] = []
        ms.reserveCapacity(c)
        for _ in 0..<c {
            let a: Int32 = try r.read(), b: Int32 = try r.read()
            let h: Double = try r.read(), s: Int32 = try r.read()
            guard a >= 0, b >= 0, Int(a) < Int(n), Int(b) < Int(n) else { throw SMONError.corrupt("bad dendrogram merge") }
            ms.append(Merge(a: a, b: b, height: h, size: s))
        }
        self.n = Int(n); merges = ms
    }
}
