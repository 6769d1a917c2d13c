import CSpotifyMon
import SpotifyMonCore

// The forecaster's C functions (issue 4): validate, convert, forward. No logic here.

let forecasters = HandleTable<Forecaster>("smon_forecaster")

/// Largest series length accepted by the one-shot calls.
let maxSeriesLength = 100_000_000
/// Largest horizon.
let maxHorizonSteps = OneShotForecast.maxHorizon

/// A `size_t` count in 1...max (a C value above Int.max arrives negative: too large).
@inline(__always)
func sizeCount(_ n: Int, _ name: StaticString, max: Int) throws -> Int {
    if n < 0 { throw ABIFailure(status: .capacity, message: "\(name) is larger than the limit \(max)") }
    return try Check.count(n, name, max: max)
}

@inline(__always)
func checkLevel(_ level: Double) throws -> Double {
    guard level.isFinite, level > 0, level < 1 else {
        throw ABIFailure(status: .invalidArgument, message: "level \(level) is not in (0, 1) (e.g. 0.95)")
    }
    return level
}

@inline(__always)
func outBuffer(_ p: UnsafeMutablePointer<Double>?, _ name: StaticString, _ n: Int) throws -> UnsafeMutableBufferPointer<Double> {
    UnsafeMutableBufferPointer(start: try Check.notNull(p, name), count: n)
}

@_cdecl("smon_forecaster_new")
public func smon_forecaster_new(_ cfg: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    abiCall("smon_forecaster_new") { try EngineABI.new(forecasters, cfg, out) }
}

@_cdecl("smon_forecaster_free")
public func smon_forecaster_free(_ f: OpaquePointer?) { forecasters.remove(f) }

@_cdecl("smon_forecaster_series")
public func smon_forecaster_series(_ f: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ idOut: UnsafeMutablePointer<UInt32>?) -> Int32 {
    abiCall("smon_forecaster_series") {
        let e = try forecasters.get(f)
        let k = try Check.string(key, "key", maxBytes: 4096)
        let out = try Check.notNull(idOut, "id_out")
        out.pointee = try e.seriesId(k)
    }
}

@_cdecl("smon_forecaster_observe")
public func smon_forecaster_observe(_ f: OpaquePointer?, _ id: UInt32, _ ts: Int64, _ value: Double) -> Int32 {
    abiCall("smon_forecaster_observe") {
        let e = try forecasters.get(f)
        try e.observe(id, ts: ts, value: try Check.finite(value, "value"))
    }
}

@_cdecl("smon_forecaster_observe_batch")
public func smon_forecaster_observe_batch(_ f: OpaquePointer?, _ ids: UnsafePointer<UInt32>?, _ ts: UnsafePointer<Int64>?,
                                          _ values: UnsafePointer<Double>?, _ n: Int) -> Int32 {
    abiCall("smon_forecaster_observe_batch") {
        let e = try forecasters.get(f)
        let n = try sizeCount(n, "n", max: maxSeriesLength)
        let i = try Check.notNull(ids, "ids"), t = try Check.notNull(ts, "ts_ms"), v = try Check.notNull(values, "values")
        try e.observe(ids: UnsafeBufferPointer(start: i, count: n), ts: UnsafeBufferPointer(start: t, count: n),
                      values: UnsafeBufferPointer(start: v, count: n))
    }
}

@_cdecl("smon_forecaster_forecast")
public func smon_forecaster_forecast(_ f: OpaquePointer?, _ id: UInt32, _ horizon: Int, _ level: Double,
                                     _ mean: UnsafeMutablePointer<Double>?, _ lo: UnsafeMutablePointer<Double>?,
                                     _ hi: UnsafeMutablePointer<Double>?) -> Int32 {
    abiCall("smon_forecaster_forecast") {
        let e = try forecasters.get(f)
        let h = try sizeCount(horizon, "horizon", max: maxHorizonSteps)
        let lv = try checkLevel(level)
        try e.forecast(id, level: lv, mean: try outBuffer(mean, "mean", h), lo: try outBuffer(lo, "lo", h),
                       hi: try outBuffer(hi, "hi", h))
    }
}

@_cdecl("smon_forecaster_breach")
public func smon_forecaster_breach(_ f: OpaquePointer?, _ id: UInt32, _ threshold: Double, _ above: Int32, _ horizon: Int,
                                   _ out: UnsafeMutablePointer<smon_breach>?) -> Int32 {
    abiCall("smon_forecaster_breach") {
        let e = try forecasters.get(f)
        let thr = try Check.finite(threshold, "threshold")
        let h = try sizeCount(horizon, "horizon", max: 100_000)
        let o = try Check.notNull(out, "out")
        let r = try e.breach(id, threshold: thr, above: above != 0, horizon: h)
        let info = try e.info(id)
        let msD = r.expectedSteps * Double(info.stepMs)
        let ms: Int64 = r.expectedSteps > 0 && info.stepMs > 0 && msD.isFinite ? (msD < 9e18 ? Int64(msD.rounded()) : Int64.max) : 0
        o.pointee = smon_breach(probability: r.probability, expected_steps: r.expectedSteps, expected_ms: ms,
                                mean_cross_step: Int32(r.meanCrossStep), risk_level: Int32(r.level.rawValue),
                                business_impact: r.businessImpact)
    }
}

@_cdecl("smon_forecaster_info")
public func smon_forecaster_info(_ f: OpaquePointer?, _ id: UInt32, _ out: UnsafeMutablePointer<smon_forecast_info>?) -> Int32 {
    abiCall("smon_forecaster_info") {
        let e = try forecasters.get(f)
        let o = try Check.notNull(out, "out")
        let i = try e.info(id)
        o.pointee = smon_forecast_info(points: UInt64(i.count), step_ms: i.stepMs, last_ts_ms: i.lastTs == Int64.min ? 0 : i.lastTs,
                                       period: UInt32(clamping: i.period), members: UInt32(clamping: i.members),
                                       fits: i.fits, drift_refits: i.drifts)
    }
}

@_cdecl("smon_forecaster_model_json")
public func smon_forecaster_model_json(_ f: OpaquePointer?, _ id: UInt32, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_forecaster_model_json") {
        let e = try forecasters.get(f)
        let o = try Check.notNull(json, "json_out")
        o.pointee = nil
        o.pointee = try mallocString(try e.modelJSON(id))
    }
}

@_cdecl("smon_forecaster_refit")
public func smon_forecaster_refit(_ f: OpaquePointer?, _ id: UInt32) -> Int32 {
    abiCall("smon_forecaster_refit") { try forecasters.get(f).refit(id) }
}

@_cdecl("smon_forecaster_snapshot")
public func smon_forecaster_snapshot(_ f: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                     _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_forecaster_snapshot") { try EngineABI.snapshot(forecasters, f, data, size) }
}

@_cdecl("smon_forecaster_restore")
public func smon_forecaster_restore(_ f: OpaquePointer?, _ data: UnsafeRawPointer?, _ size: Int) -> Int32 {
    abiCall("smon_forecaster_restore") { try EngineABI.restore(forecasters, f, data, size) }
}

@_cdecl("smon_forecaster_performance")
public func smon_forecaster_performance(_ f: OpaquePointer?, _ out: UnsafeMutablePointer<smon_performance>?) -> Int32 {
    abiCall("smon_forecaster_performance") { try EngineABI.performance(forecasters, f, out) }
}

@_cdecl("smon_forecaster_add_deployment")
public func smon_forecaster_add_deployment(_ f: OpaquePointer?, _ service: UnsafePointer<CChar>?, _ start: Int64, _ end: Int64) -> Int32 {
    abiCall("smon_forecaster_add_deployment") { try EngineABI.addDeployment(forecasters, f, service, start, end) }
}

@_cdecl("smon_forecast_array")
public func smon_forecast_array(_ cfg: OpaquePointer?, _ values: UnsafePointer<Double>?, _ n: Int, _ season: Int,
                                _ horizon: Int, _ level: Double, _ mean: UnsafeMutablePointer<Double>?,
                                _ lo: UnsafeMutablePointer<Double>?, _ hi: UnsafeMutablePointer<Double>?) -> Int32 {
    abiCall("smon_forecast_array") {
        let config = try configuration(cfg)
        let n = try sizeCount(n, "n", max: maxSeriesLength)
        let v = try Check.notNull(values, "values")
        let h = try sizeCount(horizon, "horizon", max: maxHorizonSteps)
        guard season >= 0, season <= 100_000 else { throw ABIFailure(status: .invalidArgument, message: "season \(season) is out of 0...100000") }
        let lv = try checkLevel(level)
        LinearAlgebra.useSingleThread()
        try OneShotForecast.run(UnsafeBufferPointer(start: v, count: n), season: season, level: lv,
                                options: AutoOptions(config: config), mean: try outBuffer(mean, "mean", h),
                                lo: try outBuffer(lo, "lo", h), hi: try outBuffer(hi, "hi", h))
    }
}

@_cdecl("smon_forecast_arrays")
public func smon_forecast_arrays(_ cfg: OpaquePointer?, _ values: UnsafePointer<Double>?, _ offsets: UnsafePointer<Int>?,
                                 _ nSeries: Int, _ season: Int, _ horizon: Int, _ level: Double,
                                 _ mean: UnsafeMutablePointer<Double>?, _ lo: UnsafeMutablePointer<Double>?,
                                 _ hi: UnsafeMutablePointer<Double>?) -> Int32 {
    abiCall("smon_forecast_arrays") {
        let config = try configuration(cfg)
        let k = try sizeCount(nSeries, "n_series", max: maxSeriesLength)
        let v = try Check.notNull(values, "values")
        let off = try Check.notNull(offsets, "offsets")
        let h = try sizeCount(horizon, "horizon", max: maxHorizonSteps)
        guard season >= 0, season <= 100_000 else { throw ABIFailure(status: .invalidArgument, message: "season \(season) is out of 0...100000") }
        let lv = try checkLevel(level)
        guard k <= Int.max / h else { throw ABIFailure(status: .capacity, message: "n_series * horizon overflows") }
        guard off[0] == 0 else { throw ABIFailure(status: .invalidArgument, message: "offsets[0] must be 0") }
        for i in 0..<k {
            guard off[i + 1] > off[i], off[i + 1] - off[i] <= maxSeriesLength else {
                throw ABIFailure(status: .invalidArgument, message: "offsets must increase strictly (series \(i) is empty or too long)")
            }
        }
        let mb = try outBuffer(mean, "mean", k * h), lb = try outBuffer(lo, "lo", k * h), hb = try outBuffer(hi, "hi", k * h)
        let options = AutoOptions(config: config)
        LinearAlgebra.useSingleThread()
        for i in 0..<k {
            let y = UnsafeBufferPointer(start: v + off[i], count: off[i + 1] - off[i])
            do {
                try OneShotForecast.run(y, season: season, level: lv, options: options,
                                        mean: UnsafeMutableBufferPointer(rebasing: mb[(i * h)..<((i + 1) * h)]),
                                        lo: UnsafeMutableBufferPointer(rebasing: lb[(i * h)..<((i + 1) * h)]),
                                        hi: UnsafeMutableBufferPointer(rebasing: hb[(i * h)..<((i + 1) * h)]))
            } catch let e as SMONError {
                throw ABIFailure(status: Status(e), message: "series \(i): \(e.message)")
            }
        }
    }
}

@_cdecl("smon_forecast_exogenous")
public func smon_forecast_exogenous(_ cfg: OpaquePointer?, _ values: UnsafePointer<Double>?, _ n: Int,
                                    _ x: UnsafePointer<Double>?, _ k: Int, _ xFuture: UnsafePointer<Double>?,
                                    _ season: Int, _ horizon: Int, _ level: Double,
                                    _ mean: UnsafeMutablePointer<Double>?, _ lo: UnsafeMutablePointer<Double>?,
                                    _ hi: UnsafeMutablePointer<Double>?, _ importance: UnsafeMutablePointer<Double>?) -> Int32 {
    abiCall("smon_forecast_exogenous") {
        let config = try configuration(cfg)
        let n = try sizeCount(n, "n", max: maxSeriesLength)
        let k = try sizeCount(k, "k", max: 1000)
        let h = try sizeCount(horizon, "horizon", max: maxHorizonSteps)
        guard n <= maxSeriesLength / k, h <= maxSeriesLength / k else {
            throw ABIFailure(status: .capacity, message: "n*k or horizon*k exceeds \(maxSeriesLength)")
        }
        guard season >= 0, season <= 100_000 else { throw ABIFailure(status: .invalidArgument, message: "season \(season) is out of 0...100000") }
        let lv = try checkLevel(level)
        let v = try Check.notNull(values, "values"), xp = try Check.notNull(x, "x"), xf = try Check.notNull(xFuture, "x_future")
        let imp = try outBuffer(importance, "importance", k)
        LinearAlgebra.useSingleThread()
        let r = try ExogenousForecast.run(UnsafeBufferPointer(start: v, count: n), x: UnsafeBufferPointer(start: xp, count: n * k),
                                          features: k, future: UnsafeBufferPointer(start: xf, count: h * k), season: season,
                                          level: lv, options: AutoOptions(config: config),
                                          mean: try outBuffer(mean, "mean", h), lo: try outBuffer(lo, "lo", h),
                                          hi: try outBuffer(hi, "hi", h))
        for j in 0..<k { imp[j] = r.importance[j] }
    }
}
