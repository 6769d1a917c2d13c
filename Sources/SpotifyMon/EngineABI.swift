import CSpotifyMon
import SpotifyMonCore
#if canImport(Glibc)
import Glibc
#endif

/// The calls every engine handle shares (new, free, snapshot, restore, performance,
/// deployments), written once over `MonitoringEngine`; each engine's ABI file forwards to these.
enum EngineABI {
    /// `smon_X_new`: builds an engine from an optional config and returns its handle.
    static func new<E: MonitoringEngine>(_ table: HandleTable<E>, _ cfg: OpaquePointer?,
                                         _ out: UnsafeMutablePointer<OpaquePointer?>?) throws {
        let out = try Check.notNull(out, "out")
        out.pointee = nil
        let config = try configuration(cfg)
        LinearAlgebra.useSingleThread()
        out.pointee = table.register(try E(config: config))
    }

    /// `smon_X_snapshot`: the engine state as a malloc'd buffer the caller frees with `smon_free`.
    static func snapshot<E: MonitoringEngine>(_ table: HandleTable<E>, _ h: OpaquePointer?,
                                              _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                              _ size: UnsafeMutablePointer<Int>?) throws {
        let engine = try table.get(h)
        let data = try Check.notNull(data, "data_out")
        let size = try Check.notNull(size, "size_out")
        let bytes = engine.snapshot()
        guard let buf = malloc(Swift.max(bytes.count, 1)) else {
            throw ABIFailure(status: .outOfMemory, message: "cannot allocate \(bytes.count) bytes")
        }
        bytes.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        data.pointee = buf
        size.pointee = bytes.count
    }

    /// `smon_X_restore`: replaces the engine state with a snapshot's.
    static func restore<E: MonitoringEngine>(_ table: HandleTable<E>, _ h: OpaquePointer?,
                                             _ data: UnsafeRawPointer?, _ size: Int) throws {
        let engine = try table.get(h)
        let data = try Check.notNull(data, "data")
        guard size > 0 else { throw ABIFailure(status: .corrupt, message: "snapshot size is 0") }
        try engine.restore(UnsafeRawBufferPointer(start: data, count: size))
    }

    /// `smon_X_performance`: the handle's telemetry.
    static func performance<E: MonitoringEngine>(_ table: HandleTable<E>, _ h: OpaquePointer?,
                                                 _ out: UnsafeMutablePointer<smon_performance>?) throws {
        let engine = try table.get(h)
        let out = try Check.notNull(out, "out")
        let m = engine.performance.metrics
        out.pointee = smon_performance(count: m.count, events_per_second: m.eventsPerSecond,
                                         mean_latency_us: m.meanLatencyMicros, p50_latency_us: m.p50Micros,
                                         p95_latency_us: m.p95Micros, p99_latency_us: m.p99Micros,
                                         uptime_seconds: m.uptimeSeconds)
    }

    /// `smon_X_add_deployment`: announces a deployment window of a service (NULL or "*": all).
    static func addDeployment<E: MonitoringEngine>(_ table: HandleTable<E>, _ h: OpaquePointer?,
                                                   _ service: UnsafePointer<CChar>?, _ start: Int64, _ end: Int64) throws {
        let engine = try table.get(h)
        let svc = try Check.optionalString(service, "service", maxBytes: 256) ?? "*"
        guard start <= end else { throw ABIFailure(status: .invalidArgument, message: "start_ms > end_ms") }
        engine.context.addDeployment(.init(service: svc, startMs: start, endMs: end))
    }
}

