import SpotifyMonCore

/// The clusterer's part of `smon demo`: generated user-behaviour data, a batch fit, online
/// events with an emerging group and outliers, and a refit's stability.
enum ClusterDemo {
    static func run(progress: (Double) -> Void) throws -> [String] {
        var rng = Xoshiro256(seed: 7)
        let d = 4, k = 4, n = 4000
        // Four behaviour groups (listening duration, skip rate, session length, genre diversity).
        let centres: [[Double]] = [[120, 0.15, 45, 0.8], [30, 0.6, 10, 0.3], [240, 0.05, 90, 0.5], [60, 0.3, 25, 0.9]]
        let spread: [Double] = [10, 0.04, 5, 0.05]
        func sample(_ c: [Double]) -> [Double] { (0..<d).map { c[$0] + spread[$0] * rng.nextGaussian() } }
        var x: [Double] = []
        var truth: [Int32] = []
        for i in 0..<n { let g = i % k; x += sample(centres[g]); truth.append(Int32(g)) }
        progress(0.1)
        var lines: [String] = []
        for alg in ["kmeans", "gmm", "dbscan", "agglomerative"] {
            let e = try ClusterEngine(["clusterer.algorithm": alg, "clusterer.k": "4", "clusterer.standardize": "true",
                                       "clusterer.eps": "0.3", "clusterer.min_samples": "5"])
            let t0 = Clock.nanos()
            try x.withPoints(n: n, d: d) { try e.fit($0) }
            let ms = Double(Clock.nanos() - t0) / 1e6
            let m = e.metrics
            lines.append("\(alg): \(m.clusters) clusters on \(n) points in \(String(format: "%.1f", ms)) ms, ARI vs truth "
                + "\(String(format: "%.3f", ClusterQuality.adjustedRand(e.labels, truth))), silhouette \(String(format: "%.3f", m.silhouette))")
            progress(0.1 + 0.15 * Double(lines.count))
        }
        // Online: normal events, then an emerging group and isolated outliers.
        let e = try ClusterEngine(["clusterer.algorithm": "kmeans", "clusterer.k": "4", "clusterer.standardize": "true"])
        try x.withPoints(n: n, d: d) { try e.fit($0) }
        var types = [Int: Int]()
        var flagged = 0
        let newGroup: [Double] = [180, 0.45, 5, 0.1]
        for i in 0..<2000 {
            let p: [Double]
            if i >= 1500 && i % 5 == 0 { p = sample(newGroup) }
            else if i % 250 == 0 { p = [900, 0.99, 300, 0] }
            else { p = sample(centres[i % k]) }
            let r = try p.withUnsafeBufferPointer { try e.detect($0.baseAddress!, d: d, service: "payment-api", timestampMs: 0) }
            if r.isAnomaly { flagged += 1; types[Int(r.type.rawValue), default: 0] += 1 }
        }
        progress(0.85)
        lines.append("online: 2000 events, \(flagged) anomalies (outliers \(types[1] ?? 0), emerging cluster \(types[2] ?? 0), "
            + "drifted cluster \(types[3] ?? 0)); drift alarms \(e.drift.alarms)")
        try x.withPoints(n: n, d: d) { try e.fit($0) }
        lines.append("refit stability: ARI \(String(format: "%.3f", e.metrics.stabilityARI)), Jaccard \(String(format: "%.3f", e.metrics.stabilityJaccard))")
        progress(1)
        return lines
    }
}
