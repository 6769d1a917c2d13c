import CSpotifyMon
import SpotifyMonCore

// The detector's C entry points: validate, convert, forward. No logic here.

let detectors = HandleTable<AnomalyDetector>("smon_detector")

/// Most points one batch call may carry.
let maxBatch = 1 << 28

@inline(__always)
func fill(_ out: UnsafeMutablePointer<smon_anomaly>, _ r: AnomalyResult) {
    out.pointee = smon_anomaly(score: r.score, is_anomaly: r.isAnomaly ? 1 : 0, severity: r.severity,
                               raw_score: r.rawScore, expected: r.expected, expected_low: r.expectedLow,
                               expected_high: r.expectedHigh, impact_score: r.impactScore,
                               impact_category: r.impactCategory, drift: r.drift, series_id: r.seriesId,
                               group_id: r.groupId)
}

/// `smon_status smon_detector_new(const smon_config *cfg, smon_detector **out)`
@_cdecl("smon_detector_new")
public func smon_detector_new(_ cfg: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    abiCall("smon_detector_new") { try EngineABI.new(detectors, cfg, out) }
}

/// `smon_status smon_detector_series(smon_detector *d, const char *key, uint32_t *id_out)`
@_cdecl("smon_detector_series")
public func smon_detector_series(_ d: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ idOut: UnsafeMutablePointer<UInt32>?) -> Int32 {
    abiCall("smon_detector_series") {
        let det = try detectors.get(d)
        let k = try Check.string(key, "key", maxBytes: 4096)
        let out = try Check.notNull(idOut, "id_out")
        out.pointee = try det.series(k)
    }
}

/// `smon_status smon_detector_observe(smon_detector *d, uint32_t id, int64_t ts_ms, double value, smon_anomaly *out)`
@_cdecl("smon_detector_observe")
public func smon_detector_observe(_ d: OpaquePointer?, _ id: UInt32, _ ts: Int64, _ value: Double,
                                  _ out: UnsafeMutablePointer<smon_anomaly>?) -> Int32 {
    abiCall("smon_detector_observe") {
        let det = try detectors.get(d)
        let out = try Check.notNull(out, "out")
        _ = try Check.finite(value, "value")
        fill(out, try det.observe(id: id, tsMs: ts, value: value))
    }
}

/// `smon_status smon_detector_observe_batch(smon_detector *d, size_t n, const uint32_t *ids, const int64_t *ts_ms, const double *values, smon_anomaly *out)`
@_cdecl("smon_detector_observe_batch")
public func smon_detector_observe_batch(_ d: OpaquePointer?, _ n: Int, _ ids: UnsafePointer<UInt32>?,
                                        _ ts: UnsafePointer<Int64>?, _ values: UnsafePointer<Double>?,
                                        _ out: UnsafeMutablePointer<smon_anomaly>?) -> Int32 {
    abiCall("smon_detector_observe_batch") {
        let det = try detectors.get(d)
        let n = try Check.count(n, "n", max: maxBatch)
        let ids = try Check.notNull(ids, "ids"), ts = try Check.notNull(ts, "ts_ms")
        let values = try Check.notNull(values, "values"), out = try Check.notNull(out, "out")
        // smon_anomaly and AnomalyResult differ in layout: each result is converted as it is made.
        try det.observeBatch(ids: UnsafeBufferPointer(start: ids, count: n), tsMs: UnsafeBufferPointer(start: ts, count: n),
                             values: UnsafeBufferPointer(start: values, count: n)) { i, r in fill(out + i, r) }
    }
}

/// `smon_status smon_detector_set_callback(smon_detector *d, smon_anomaly_callback cb, void *user)`
@_cdecl("smon_detector_set_callback")
public func smon_detector_set_callback(_ d: OpaquePointer?, _ cb: smon_anomaly_callback?, _ user: UnsafeMutableRawPointer?) -> Int32 {
    abiCall("smon_detector_set_callback") {
        let det = try detectors.get(d)
        guard let cb else { det.setEventHandler(nil); return }
        let userBits = UInt(bitPattern: user)
        det.setEventHandler { r in
            var event = smon_anomaly()
            withUnsafeMutablePointer(to: &event) { p in
                fill(p, r)
                cb(UnsafeMutableRawPointer(bitPattern: userBits), p)
            }
        }
    }
}

/// `smon_status smon_detector_explain(smon_detector *d, uint32_t id, char **json_out)`
@_cdecl("smon_detector_explain")
public func smon_detector_explain(_ d: OpaquePointer?, _ id: UInt32, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_detector_explain") {
        let det = try detectors.get(d)
        let out = try Check.notNull(out, "json_out")
        out.pointee = try mallocString(try det.explain(id: id))
    }
}

/// `smon_status smon_detector_correlations(smon_detector *d, char **json_out)`
@_cdecl("smon_detector_correlations")
public func smon_detector_correlations(_ d: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_detector_correlations") {
        let det = try detectors.get(d)
        let out = try Check.notNull(out, "json_out")
        out.pointee = try mallocString(det.correlationsJSON())
    }
}

/// `smon_status smon_detector_series_count(smon_detector *d, size_t *count_out)`
@_cdecl("smon_detector_series_count")
public func smon_detector_series_count(_ d: OpaquePointer?, _ out: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_detector_series_count") {
        let det = try detectors.get(d)
        try Check.notNull(out, "count_out").pointee = det.registeredCount
    }
}

/// `smon_status smon_detector_snapshot(smon_detector *d, void **data_out, size_t *size_out)`
@_cdecl("smon_detector_snapshot")
public func smon_detector_snapshot(_ d: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                   _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_detector_snapshot") { try EngineABI.snapshot(detectors, d, data, size) }
}

/// `smon_status smon_detector_restore(smon_detector *d, const void *data, size_t size)`
@_cdecl("smon_detector_restore")
public func smon_detector_restore(_ d: OpaquePointer?, _ data: UnsafeRawPointer?, _ size: Int) -> Int32 {
    abiCall("smon_detector_restore") { try EngineABI.restore(detectors, d, data, size) }
}

/// `smon_status smon_detector_performance(smon_detector *d, smon_performance *out)`
@_cdecl("smon_detector_performance")
public func smon_detector_performance(_ d: OpaquePointer?, _ out: UnsafeMutablePointer<smon_performance>?) -> Int32 {
    abiCall("smon_detector_performance") { try EngineABI.performance(detectors, d, out) }
}

/// `smon_status smon_detector_add_deployment(smon_detector *d, const char *service, int64_t start_ms, int64_t end_ms)`
@_cdecl("smon_detector_add_deployment")
public func smon_detector_add_deployment(_ d: OpaquePointer?, _ service: UnsafePointer<CChar>?, _ start: Int64, _ end: Int64) -> Int32 {
    abiCall("smon_detector_add_deployment") { try EngineABI.addDeployment(detectors, d, service, start, end) }
}

/// `void smon_detector_free(smon_detector *d)`
@_cdecl("smon_detector_free")
public func smon_detector_free(_ d: OpaquePointer?) { detectors.remove(d) }
