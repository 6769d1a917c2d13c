/// What every engine handle offers besides its own work: the shared services the ABI
/// exposes for all four engines alike (snapshots, telemetry, business context).
public protocol MonitoringEngine: AnyObject, Sendable {
    /// Which snapshots this engine reads and writes.
    static var snapshotEngine: Snapshot.Engine { get }
    /// Builds an engine from a validated configuration.
    init(config: Configuration) throws
    /// The handle's telemetry.
    var performance: PerformanceRecorder { get }
    /// The handle's business context (peak hours, deployments, impact table).
    var context: BusinessContext { get }
    /// The engine's whole state as a sealed snapshot.
    func snapshot() -> [UInt8]
    /// Replaces the engine's state with a snapshot's. On error the engine is unchanged.
    func restore(_ bytes: UnsafeRawBufferPointer) throws
}
