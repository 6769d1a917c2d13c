/// Snapshot and restore of a detector: series keys, every series' state (copied as plain
/// words: the state is a fixed-size value), the shared models, the deployment windows
/// announced at run time and the telemetry-free rest.
extension AnomalyDetector {
    static let stateWords = (MemoryLayout<AnomalySeriesState>.stride + 7) / 8

    /// The detector's whole state as a sealed snapshot.
    public func snapshot() -> [UInt8] {
        var w = SnapshotWriter()
        w.write(UInt64(Self.stateWords))
        let keys = registry.allKeys
        w.write(keys)
        let states = store.snapshotStates().filter { Int($0.0) < keys.count }
        w.write(UInt64(states.count))
        w.bytes.reserveCapacity(w.bytes.count + states.count * (Self.stateWords * 8 + 4))
        for (id, st) in states {
            w.write(id)
            var copy = st
            withUnsafeBytes(of: &copy) { raw in
                var words = [UInt64](repeating: 0, count: Self.stateWords)
                words.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
                for x in words { w.write(x) }
            }
        }
        correlation.encode(to: &w)
        sharedLock.withLock {
            w.write(forest != nil)
            forest?.encode(to: &w)
            w.write(gru != nil)
            gru?.encode(to: &w)
        }
        // The deployment windows announced at run time (snapshot format 2).
        w.write(context.allDeployments)
        return Snapshot.seal(w, engine: Self.snapshotEngine)
    }

    /// Replaces the detector's state with a snapshot's; on error nothing changes.
    public func restore(_ bytes: UnsafeRawBufferPointer) throws {
        var r = try Snapshot.open(bytes, engine: Self.snapshotEngine)
        let words: UInt64 = try r.read()
        guard words == UInt64(Self.stateWords) else {
            throw SMONError.corrupt("snapshot series state has \(words) words, this build uses \(Self.stateWords)")
        }
        let keys: [SeriesKey] = try r.read()
        guard keys.count <= registry.capacity else { throw SMONError.capacity("snapshot holds more series than series.max") }
        let n = try r.readCount(minSize: 4 + Self.stateWords * 8)
        var items: [(UInt32, AnomalySeriesState)] = []
        items.reserveCapacity(n)
        var buf = [UInt64](repeating: 0, count: Self.stateWords)
        for _ in 0..<n {
            let id: UInt32 = try r.read()
            guard Int(id) < keys.count else { throw SMONError.corrupt("snapshot state for unknown series \(id)") }
            for k in 0..<Self.stateWords { buf[k] = try r.read() }
            var st = AnomalySeriesState()
            withUnsafeMutableBytes(of: &st) { dst in
                buf.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<dst.count])) }
            }
            guard st.isValid else { throw SMONError.corrupt("snapshot series state \(id) is out of range") }
            items.append((id, st))
        }
        let restoredCorrelation = CorrelationTracker(spanMs: settings.correlationWindowMs)
        try restoredCorrelation.decode(from: &r)
        var newForest = forest, newGRU = gru
        let hasForest: Bool = try r.read()
        if hasForest {
            guard newForest != nil else { throw SMONError.corrupt("snapshot has a forest, this detector's config has none") }
            try newForest!.decode(from: &r)
        }
        let hasGRU: Bool = try r.read()
        if hasGRU {
            guard newGRU != nil else { throw SMONError.corrupt("snapshot has a GRU, this detector's config has none") }
            try newGRU!.decode(from: &r)
        }
        let deployments: [BusinessContext.Deployment] = try r.read()
        try r.finish()
        // Commit.
        registry.replace(with: keys)
        store.replaceAll(items)
        metaLock.withWriteLock {
            relatedness = keys.map { CorrelationTracker.keys(of: $0) }
            services = keys.map { $0.tag("service") }
            seriesCount = keys.count
        }
        sharedLock.withLock { forest = newForest; gru = newGRU }
        context.setDeployments(deployments)
        var cw = SnapshotWriter()
        restoredCorrelation.encode(to: &cw)
        var cr = SnapshotReader(cw.bytes)
        try? correlation.decode(from: &cr)
    }
}
