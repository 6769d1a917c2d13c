/// DBSCAN (Ester et al. 1996) over a k-d tree: memory O(n) (neighbourhoods are re-queried,
/// never stored), points visited in index order so that labels match scikit-learn's.
public enum DBSCAN {
    /// The result: labels (−1 noise) and which points are core points.
    public struct Result: Sendable {
        /// Cluster of each point, −1 for noise.
        public var labels: [Int32]
        /// Whether each point is a core point.
        public var isCore: [Bool]
        /// Number of clusters.
        public var clusters: Int
    }

    /// Clusters `x` with radius `eps` and core threshold `minSamples` (the point included).
    public static func fit(_ x: PointMatrix, eps: Double, minSamples: Int) -> Result {
        let n = x.n
        let tree = KDTree(x.base, n: n, d: x.d)
        let r2 = eps * eps
        // Core test only: counting may stop at min_samples.
        let counts = tree.neighbourCounts(r2, cap: minSamples)
        let core = counts.map { Int($0) >= minSamples }
        var labels = [Int32](repeating: -1, count: n)
        var cluster: Int32 = 0
        var stack: [Int32] = []
        // Unlabelled points per tree node: expansions skip subtrees already labelled.
        var active = tree.subtreeSizes
        var found: [Int32] = []
        for i in 0..<n where core[i] && labels[i] < 0 {
            labels[i] = cluster
            tree.deactivate(i, in: &active)
            stack.append(Int32(i))
            while let p = stack.popLast() {
                found.removeAll(keepingCapacity: true)
                tree.radius(x.row(Int(p)), r2, active: active) { j in
                    if labels[j] < 0 { found.append(Int32(j)) }
                    return true
                }
                for j in found {
                    labels[Int(j)] = cluster
                    tree.deactivate(Int(j), in: &active)
                    if core[Int(j)] { stack.append(j) }
                }
            }
            cluster += 1
        }
        return Result(labels: labels, isCore: core, clusters: Int(cluster))
    }
}
