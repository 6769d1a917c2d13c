import CSpotifyMon
import SpotifyMonCore
#if canImport(Glibc)
import Glibc
#endif

let clusterers = HandleTable<ClusterEngine>("smon_clusterer")

/// Checks an n × d matrix argument and returns a view of it.
private func matrix(_ x: UnsafePointer<Double>?, _ n: Int, _ d: Int) throws -> PointMatrix {
    let x = try Check.notNull(x, "x")
    guard d != 0 else { throw ABIFailure(status: .invalidArgument, message: "d is 0") }
    guard n != 0 else { throw ABIFailure(status: .invalidArgument, message: "n is 0") }
    let (prod, over) = n.multipliedReportingOverflow(by: d)
    guard n > 0, d > 0, !over, prod <= ClusterFitter.maxElements else {
        throw ABIFailure(status: .capacity, message: "n x d = \(UInt(bitPattern: n)) x \(UInt(bitPattern: d)) exceeds \(ClusterFitter.maxElements) values")
    }
    return PointMatrix(x, n: n, d: d)
}

@_cdecl("smon_clusterer_new")
public func smon_clusterer_new(_ cfg: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    abiCall("smon_clusterer_new") { try EngineABI.new(clusterers, cfg, out) }
}

@_cdecl("smon_clusterer_free")
public func smon_clusterer_free(_ h: OpaquePointer?) { clusterers.remove(h) }

@_cdecl("smon_clusterer_fit")
public func smon_clusterer_fit(_ h: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int, _ d: Int) -> Int32 {
    abiCall("smon_clusterer_fit") {
        let e = try clusterers.get(h)
        try e.fit(try matrix(x, n, d))
    }
}

@_cdecl("smon_clusterer_predict")
public func smon_clusterer_predict(_ h: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int, _ d: Int,
                                   _ labels: UnsafeMutablePointer<Int32>?, _ scores: UnsafeMutablePointer<Double>?) -> Int32 {
    abiCall("smon_clusterer_predict") {
        let e = try clusterers.get(h)
        try e.predict(try matrix(x, n, d), labels: labels, scores: scores)
    }
}

@_cdecl("smon_clusterer_score")
public func smon_clusterer_score(_ h: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int, _ d: Int,
                                 _ scores: UnsafeMutablePointer<Double>?) -> Int32 {
    abiCall("smon_clusterer_score") {
        let e = try clusterers.get(h)
        let s = try Check.notNull(scores, "scores_out")
        try e.predict(try matrix(x, n, d), labels: nil, scores: s)
    }
}

@_cdecl("smon_clusterer_update")
public func smon_clusterer_update(_ h: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int, _ d: Int,
                                  _ labels: UnsafeMutablePointer<Int32>?, _ scores: UnsafeMutablePointer<Double>?,
                                  _ types: UnsafeMutablePointer<Int32>?) -> Int32 {
    abiCall("smon_clusterer_update") {
        let e = try clusterers.get(h)
        try e.update(try matrix(x, n, d), labels: labels, scores: scores, types: types)
    }
}

@_cdecl("smon_clusterer_detect")
public func smon_clusterer_detect(_ h: OpaquePointer?, _ x: UnsafePointer<Double>?, _ d: Int, _ service: UnsafePointer<CChar>?,
                                  _ ts: Int64, _ out: UnsafeMutablePointer<smon_cluster_detection>?,
                                  _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_clusterer_detect") {
        let e = try clusterers.get(h)
        let out = try Check.notNull(out, "out")
        let m = try matrix(x, 1, d)
        let svc = try Check.optionalString(service, "service", maxBytes: 256)
        let r = try e.detect(m.base, d: d, service: svc, timestampMs: ts)
        out.pointee = smon_cluster_detection(
            is_anomaly: r.isAnomaly ? 1 : 0, anomaly_type: r.type.rawValue, anomaly_score: r.score,
            business_impact_score: r.businessImpact, impact_category: r.category.rawValue, cluster: r.cluster,
            drift_alarm: r.drift ? 1 : 0, cluster_drift: r.clusterDrift)
        if let json { json.pointee = try mallocString(r.json()) }
    }
}

@_cdecl("smon_clusterer_metrics")
public func smon_clusterer_metrics(_ h: OpaquePointer?, _ out: UnsafeMutablePointer<smon_cluster_metrics>?) -> Int32 {
    abiCall("smon_clusterer_metrics") {
        let e = try clusterers.get(h)
        let out = try Check.notNull(out, "out")
        let m = e.metrics
        let dr = e.drift
        out.pointee = smon_cluster_metrics(
            clusters: Int32(clamping: m.clusters), noise: Int32(clamping: m.noise), points: Int64(m.points),
            features: Int32(clamping: m.features), model_dim: Int32(clamping: m.modelDim), silhouette: m.silhouette,
            davies_bouldin: m.daviesBouldin, calinski_harabasz: m.calinskiHarabasz, inertia: m.inertia, bic: m.bic,
            stability_ari: m.stabilityARI, stability_jaccard: m.stabilityJaccard, drift_statistic: dr.statistic,
            drift_alarm: dr.alarm ? 1 : 0, drift_alarms: Int32(clamping: dr.alarms))
    }
}

@_cdecl("smon_clusterer_labels")
public func smon_clusterer_labels(_ h: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?, _ capacity: Int,
                                  _ nOut: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_clusterer_labels") {
        let e = try clusterers.get(h)
        let nOut = try Check.notNull(nOut, "n_out")
        let l = e.labels
        nOut.pointee = l.count
        guard let out else { return }
        guard capacity >= l.count else {
            throw ABIFailure(status: .capacity, message: "capacity \(capacity) < \(l.count) labels")
        }
        for i in 0..<l.count { out[i] = l[i] }
    }
}

@_cdecl("smon_clusterer_centroids")
public func smon_clusterer_centroids(_ h: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ capacity: Int,
                                     _ kOut: UnsafeMutablePointer<Int>?, _ dOut: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_clusterer_centroids") {
        let e = try clusterers.get(h)
        let kOut = try Check.notNull(kOut, "k_out"), dOut = try Check.notNull(dOut, "d_out")
        let c = e.centroids()
        kOut.pointee = c.k; dOut.pointee = c.d
        guard let out else { return }
        guard capacity >= c.values.count else {
            throw ABIFailure(status: .capacity, message: "capacity \(capacity) < \(c.values.count) values")
        }
        for i in 0..<c.values.count { out[i] = c.values[i] }
    }
}

@_cdecl("smon_clusterer_cut")
public func smon_clusterer_cut(_ h: OpaquePointer?, _ k: Int, _ out: UnsafeMutablePointer<Int32>?, _ capacity: Int) -> Int32 {
    abiCall("smon_clusterer_cut") {
        let e = try clusterers.get(h)
        let out = try Check.notNull(out, "labels_out")
        guard k >= 1 else { throw ABIFailure(status: .invalidArgument, message: "k is 0") }
        let l = try e.cut(k)
        guard capacity >= l.count else {
            throw ABIFailure(status: .capacity, message: "capacity \(capacity) < \(l.count) labels")
        }
        for i in 0..<l.count { out[i] = l[i] }
    }
}

@_cdecl("smon_clusterer_snapshot")
public func smon_clusterer_snapshot(_ h: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                    _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_clusterer_snapshot") { try EngineABI.snapshot(clusterers, h, data, size) }
}

@_cdecl("smon_clusterer_restore")
public func smon_clusterer_restore(_ h: OpaquePointer?, _ data: UnsafeRawPointer?, _ size: Int) -> Int32 {
    abiCall("smon_clusterer_restore") { try EngineABI.restore(clusterers, h, data, size) }
}

@_cdecl("smon_clusterer_performance")
public func smon_clusterer_performance(_ h: OpaquePointer?, _ out: UnsafeMutablePointer<smon_performance>?) -> Int32 {
    abiCall("smon_clusterer_performance") { try EngineABI.performance(clusterers, h, out) }
}

@_cdecl("smon_clusterer_add_deployment")
public func smon_clusterer_add_deployment(_ h: OpaquePointer?, _ service: UnsafePointer<CChar>?, _ start: Int64, _ end: Int64) -> Int32 {
    abiCall("smon_clusterer_add_deployment") { try EngineABI.addDeployment(clusterers, h, service, start, end) }
}
