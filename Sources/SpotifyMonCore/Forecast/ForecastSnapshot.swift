// Snapshot encoding of the forecaster's state: every model, member and calibration
// is written exactly, so a restored engine continues identically.

extension ETSModel: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(spec.multiplicativeError); w.write(spec.trend); w.write(spec.season)
        w.write(Int64(period)); w.write(alpha); w.write(beta); w.write(gamma); w.write(phi)
        w.write(level); w.write(slope); w.write(seasonal); w.write(Int64(time)); w.write(loss); w.write(aicc); w.write(sigma)
    }
    public init(from r: inout SnapshotReader) throws {
        let spec = ETSSpec(multiplicativeError: try r.read(), trend: try r.read(), season: try r.read())
        guard spec.trend <= 2, spec.season <= 2 else { throw SMONError.corrupt("bad ETS spec in snapshot") }
        let p = Int(try r.read(Int64.self))
        guard p >= 1, p <= 10_000_000 else { throw SMONError.corrupt("bad ETS period in snapshot") }
        self.init(spec: spec, period: p)
        alpha = try r.read(); beta = try r.read(); gamma = try r.read(); phi = try r.read()
        level = try r.read(); slope = try r.read()
        let s: [Double] = try r.read()
        guard s.count == period else { throw SMONError.corrupt("ETS seasonal states do not match the period") }
        seasonal = s
        let t = try r.read(Int64.self)
        guard t >= 0 else { throw SMONError.corrupt("bad ETS time in snapshot") }
        time = Int(t)
        loss = try r.read(); aicc = try r.read(); sigma = try r.read()
    }
}

extension ForecastMember: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(kind.rawValue)
        w.write(spec.multiplicativeError); w.write(spec.trend); w.write(spec.season)
        w.write(Int64(period)); w.write(Int64(period2)); w.write(multiplicative)
        w.write(profile); w.write(profile2); w.write(core); w.write(drift); w.write(intercept)
        w.write(Int64(anchor)); w.write(ring); w.write(Int64(time))
    }
    public init(from r: inout SnapshotReader) throws {
        guard let kind = MemberKind(rawValue: try r.read()) else { throw SMONError.corrupt("unknown member kind in snapshot") }
        let spec = ETSSpec(multiplicativeError: try r.read(), trend: try r.read(), season: try r.read())
        guard spec.trend <= 2, spec.season <= 2 else { throw SMONError.corrupt("bad member spec in snapshot") }
        let p = Int(try r.read(Int64.self)), p2 = Int(try r.read(Int64.self))
        guard p >= 1, p <= 10_000_000, p2 >= 0, p2 <= 10_000_000 else { throw SMONError.corrupt("bad member period in snapshot") }
        self.init(kind: kind, spec: spec, period: p)
        period2 = p2
        multiplicative = try r.read()
        profile = try r.read(); profile2 = try r.read()
        core = try r.read(); drift = try r.read(); intercept = try r.read()
        anchor = Int(try r.read(Int64.self)); ring = try r.read()
        let t = try r.read(Int64.self)
        guard t >= 0 else { throw SMONError.corrupt("bad member time in snapshot") }
        time = Int(t)
        // structural checks so that no later index can go out of bounds
        switch kind {
        case .seasonalNaive: guard ring.count == period else { throw SMONError.corrupt("member ring size mismatch") }
        case .levelNaive:
            guard p2 >= 1, p2 <= period, ring.count == period + p2, time >= ring.count else {
                throw SMONError.corrupt("level-naive member size mismatch")
            }
        case .mstl:
            guard profile.count == period, p2 > period, profile2.count == p2 else { throw SMONError.corrupt("MSTL profile size mismatch") }
        case .adjustedETS, .theta, .robustTrend:
            guard profile.isEmpty || profile.count == period else { throw SMONError.corrupt("profile size mismatch") }
        case .ets: break
        }
    }
}

extension Calibration: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(scales); w.write(normalized); w.write(Int64(sampleCount)); w.write(ceiling)
    }
    public init(from r: inout SnapshotReader) throws {
        let s: [Double] = try r.read()
        let n: [Double] = try r.read()
        guard !s.isEmpty else { throw SMONError.corrupt("empty calibration in snapshot") }
        self.init(scales: s, normalized: n, sampleCount: Int(try r.read(Int64.self)))
        ceiling = try r.read()
        guard ceiling >= 0 else { throw SMONError.corrupt("bad calibration ceiling in snapshot") }
    }
}

extension ForecastModel: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(members); w.write(combination.rawValue); w.write(calibration); w.write(Int64(period))
        w.write(nonNegative); w.write(scores); w.write(ensembleScore)
        w.write(UInt64(leaderboard.count))
        for e in leaderboard { w.write(e.name); w.write(e.score) }
        w.write(errorScale)
        w.write(weights)
    }
    public init(from r: inout SnapshotReader) throws {
        let members: [ForecastMember] = try r.read()
        guard !members.isEmpty, members.count <= ForecastModel.maxMembers * 2 else { throw SMONError.corrupt("bad member count in snapshot") }
        guard let comb = Combination(rawValue: try r.read()) else { throw SMONError.corrupt("bad combination in snapshot") }
        let cal: Calibration = try r.read()
        let period = Int(try r.read(Int64.self))
        let nonNeg: Bool = try r.read()
        let scores: [Double] = try r.read()
        let ens: Double = try r.read()
        let nb = try r.readCount(minSize: 16)
        var board: [(name: String, score: Double)] = []
        for _ in 0..<nb { board.append((name: try r.read(), score: try r.read())) }
        let scale: Double = try r.read()
        self.init(members: members, combination: comb, calibration: cal, period: period, nonNegative: nonNeg,
                  scores: scores, ensembleScore: ens, leaderboard: board, errorScale: scale)
        weights = try r.read()
    }
}

extension SeriesForecastState: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(ring); w.write(Int64(head)); w.write(Int64(filled)); w.write(Int64(count)); w.write(lastTs); w.write(stepMs)
        w.write(model != nil)
        if let model { w.write(model) }
        w.write(Int64(nextFitAt)); w.write(driftTest.up); w.write(fits); w.write(drifts); w.write(imputed)
    }
    public init(from r: inout SnapshotReader) throws {
        self.init()
        ring = try r.read()
        head = Int(try r.read(Int64.self)); filled = Int(try r.read(Int64.self)); count = Int(try r.read(Int64.self))
        guard head >= 0, filled >= 0, filled <= ring.count, head < Swift.max(ring.count, 1), count >= 0 else {
            throw SMONError.corrupt("bad history ring in snapshot")
        }
        lastTs = try r.read(); stepMs = try r.read()
        guard stepMs >= 0 else { throw SMONError.corrupt("bad step in snapshot") }
        if try r.read(Bool.self) { model = try r.read(ForecastModel.self) }
        nextFitAt = Int(try r.read(Int64.self)); driftTest.up = try r.read(); fits = try r.read(); drifts = try r.read(); imputed = try r.read()
    }
}

extension Forecaster {
    /// The engine's whole state as a sealed snapshot.
    public func snapshot() -> [UInt8] {
        var w = SnapshotWriter()
        let keys = registry.allKeys
        w.write(keys)
        let states = store.snapshotStates()
        w.write(UInt64(states.count))
        for (id, s) in states { w.write(id); w.write(s) }
        return Snapshot.seal(w, engine: .forecaster)
    }

    /// Replaces the state with a snapshot's; on error the engine is unchanged.
    public func restore(_ bytes: UnsafeRawBufferPointer) throws {
        var r = try Snapshot.open(bytes, engine: .forecaster)
        let keys: [SeriesKey] = try r.read()
        let n = try r.readCount(minSize: 4)
        var items: [(UInt32, SeriesForecastState)] = []
        for _ in 0..<n {
            let id: UInt32 = try r.read()
            guard Int(id) < keys.count else { throw SMONError.corrupt("snapshot state for unknown series \(id)") }
            items.append((id, try r.read(SeriesForecastState.self)))
        }
        try r.finish()
        guard keys.count <= registry.capacity else { throw SMONError.capacity("snapshot holds more series than series.max") }
        registry.replace(with: keys)
        store.replaceAll(items)
    }
}
