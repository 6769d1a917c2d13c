/// Push delivery of notable results: a host that would rather be called than scan every
/// result registers a handler, and the detector calls it with each anomaly or drift.
///
/// The handler runs on the thread that made the observation, after that series' lock is
/// released, in input order within a batch; it may call back into the detector. Reading the
/// handler costs a lock only for notable results, so the common path stays as it was.
final class AnomalyEventHub: @unchecked Sendable {
    /// The handler in a class box: handing a class reference out of the lock copies a
    /// pointer, where a bare closure returned through the generic `withLock` would be
    /// re-abstracted into a new heap context on every call.
    private final class Box: Sendable {
        let call: AnomalyEventHandler
        init(_ call: @escaping AnomalyEventHandler) { self.call = call }
    }
    private let lock = Lock()
    private var box: Box?

    /// Replaces the handler (nil: none).
    func set(_ h: AnomalyEventHandler?) {
        let b = h.map(Box.init)
        lock.withLock { box = b }
    }

    /// Hands `r` to the handler if it is notable (an anomaly or a drift) and one is set.
    @inline(__always)
    func deliver(_ r: AnomalyResult) {
        guard r.isAnomaly || r.drift != 0 else { return }
        if let b = lock.withLock({ box }) { b.call(r) }
    }
}

/// Called with every anomaly or drift a detector finds (see `AnomalyDetector.setEventHandler`).
public typealias AnomalyEventHandler = @Sendable (AnomalyResult) -> Void

extension AnomalyDetector {
    /// Registers `handler` (nil: none), replacing any earlier one: it is called with every
    /// result that is an anomaly or carries a drift, on the observing thread, after the
    /// series' lock is released, in input order.
    public func setEventHandler(_ handler: AnomalyEventHandler?) { events.set(handler) }
}
