/// What `get_performance_metrics` reports for one engine handle.
public struct PerformanceMetrics: Sendable, Equatable {
    /// Events processed (observations, alerts, points, forecasts).
    public var count: UInt64
    /// Events per second of processing time (calls' own time, not idle time).
    public var eventsPerSecond: Double
    /// Mean latency per event, µs.
    public var meanLatencyMicros: Double
    /// Median latency per event, µs.
    public var p50Micros: Double
    /// 95th percentile latency per event, µs.
    public var p95Micros: Double
    /// 99th percentile latency per event, µs.
    public var p99Micros: Double
    /// Seconds since the handle was created.
    public var uptimeSeconds: Double
}

/// Collects call latencies for one handle. Thread-safe; a batch of n events taking t ns
/// is recorded as n events of t/n ns each.
public final class PerformanceRecorder: @unchecked Sendable {
    private let lock = Lock()
    private var histogram = LatencyHistogram()
    private let created = Clock.nanos()

    /// A recorder starting now.
    public init() {}

    /// Records a call that handled `events` events in `nanos` ns.
    public func record(events: Int, nanos: UInt64) {
        guard events > 0 else { return }
        lock.withLock { histogram.record(nanosEach: nanos / UInt64(events), events: UInt64(events)) }
    }

    /// Times `body` as one call handling `events` events.
    @inlinable
    public func measure<T>(events: Int, _ body: () throws -> T) rethrows -> T {
        let t0 = Clock.nanos()
        defer { record(events: events, nanos: Clock.nanos() &- t0) }
        return try body()
    }

    /// The metrics so far.
    public var metrics: PerformanceMetrics {
        lock.withLock {
            let busy = histogram.totalNanos
            return PerformanceMetrics(
                count: histogram.count,
                eventsPerSecond: busy > 0 ? Double(histogram.count) / (busy / 1e9) : 0,
                meanLatencyMicros: histogram.count > 0 ? busy / Double(histogram.count) / 1000 : 0,
                p50Micros: histogram.quantile(0.5) / 1000,
                p95Micros: histogram.quantile(0.95) / 1000,
                p99Micros: histogram.quantile(0.99) / 1000,
                uptimeSeconds: Double(Clock.nanos() &- created) / 1e9)
        }
    }
}
