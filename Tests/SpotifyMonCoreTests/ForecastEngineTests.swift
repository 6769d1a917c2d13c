import Testing
@testable import SpotifyMonCore

@Suite("Forecaster engine")
struct ForecastEngineTests {
    static let hour: Int64 = 3_600_000

    func engine(_ settings: [String: String] = [:]) throws -> Forecaster {
        var c = Configuration()
        for (k, v) in settings { try c.set(k, v) }
        return try Forecaster(config: c)
    }

    func feed(_ f: Forecaster, _ id: UInt32, _ y: [Double], start: Int64 = 1_700_000_000_000) throws {
        for (t, v) in y.enumerated() { try f.observe(id, ts: start + Int64(t) * Self.hour, value: v) }
    }

    func forecast(_ f: Forecaster, _ id: UInt32, h: Int, level: Double = 0.95) throws -> ([Double], [Double], [Double]) {
        var m = [Double](repeating: 0, count: h), lo = m, hi = m
        try m.withUnsafeMutableBufferPointer { mb in
            try lo.withUnsafeMutableBufferPointer { lb in
                try hi.withUnsafeMutableBufferPointer { hb in try f.forecast(id, level: level, mean: mb, lo: lb, hi: hb) }
            }
        }
        return (m, lo, hi)
    }

    @Test func streamingForecastDetectsDailySeason() throws {
        let f = try engine()
        let id = try f.seriesId(#"requests{service="api"}"#)
        try feed(f, id, Gen.seasonal(n: 24 * 20, m: 24))
        let info = try f.info(id)
        #expect(info.stepMs == Self.hour)
        #expect(info.period == 24)
        #expect(info.fits >= 2)
        let (m, lo, hi) = try forecast(f, id, h: 24)
        #expect(m.allSatisfy { $0.isFinite })
        #expect(zip(lo, hi).allSatisfy { $0.0 <= $0.1 })
        let json = try f.modelJSON(id)
        #expect(json.contains("\"members\"") && json.contains("\"period\":24"))
    }

    /// Short horizons use the shard's scratch, long ones a temporary buffer: the same numbers.
    @Test func shortAndLongHorizonsAgreeOnTheirCommonSteps() throws {
        let f = try engine()
        let id = try f.seriesId("load")
        try feed(f, id, Gen.seasonal(n: 24 * 20, m: 24))
        let (ms, ls, hs) = try forecast(f, id, h: 48)
        let (ml, ll, hl) = try forecast(f, id, h: Forecaster.scratchHorizon + 1)
        #expect(Array(ml[0..<48]) == ms && Array(ll[0..<48]) == ls && Array(hl[0..<48]) == hs)
        let (again, _, _) = try forecast(f, id, h: 48)  // the scratch is reused, not stale
        #expect(again == ms)
    }

    @Test func snapshotRoundTripContinuesIdentically() throws {
        let a = try engine()
        let id = try a.seriesId("cpu")
        let y = Gen.seasonal(n: 300, m: 24, seed: 4)
        try feed(a, id, Array(y[0..<200]))
        let snap = a.snapshot()
        let b = try engine()
        try snap.withUnsafeBytes { try b.restore($0) }
        let tail = Array(y[200..<300])
        try feed(a, id, tail, start: 1_700_000_000_000 + 200 * Self.hour)
        try feed(b, id, tail, start: 1_700_000_000_000 + 200 * Self.hour)
        let fa = try forecast(a, id, h: 30), fb = try forecast(b, id, h: 30)
        #expect(fa.0 == fb.0 && fa.1 == fb.1 && fa.2 == fb.2)
        #expect(a.snapshot() == b.snapshot())
    }

    @Test func corruptSnapshotLeavesEngineUnchanged() throws {
        let a = try engine()
        let id = try a.seriesId("x")
        try feed(a, id, Gen.seasonal(n: 60))
        var snap = a.snapshot()
        let before = snap
        snap[snap.count / 2] ^= 0xFF
        #expect(throws: SMONError.self) { try snap.withUnsafeBytes { try a.restore($0) } }
        #expect(a.snapshot() == before)
        #expect(throws: SMONError.self) { try [UInt8](repeating: 0, count: 10).withUnsafeBytes { try a.restore($0) } }
    }

    @Test func levelShiftTriggersDriftReselection() throws {
        let f = try engine(["forecaster.refit_interval": "100000"])
        let id = try f.seriesId("latency")
        var y = Gen.seasonal(n: 24 * 12, m: 24, noise: 0.5)
        y += Gen.seasonal(n: 24 * 4, m: 24, noise: 0.5, seed: 8).map { $0 + 80 }
        try feed(f, id, y)
        #expect(try f.info(id).drifts >= 1)
    }

    @Test func gapsAreImputedAndOutOfOrderRejected() throws {
        let f = try engine()
        let id = try f.seriesId("g")
        let y = Gen.seasonal(n: 100)
        for (t, v) in y.enumerated() where t % 10 != 3 {
            try f.observe(id, ts: Int64(t) * Self.hour, value: v)
        }
        #expect(try f.info(id).count == 100)
        #expect(throws: SMONError.self) { try f.observe(id, ts: 5 * Self.hour, value: 1) }
        #expect(throws: SMONError.self) { try f.observe(id, ts: 500 * Self.hour, value: .nan) }
        #expect(throws: SMONError.self) { try f.observe(999, ts: 500 * Self.hour, value: 1) }
    }

    @Test func extremeTimestampsNeverTrap() throws {
        let f = try engine()
        let id = try f.seriesId("t")
        try f.observe(id, ts: Int64.min + 1, value: 1)
        try f.observe(id, ts: Int64.max - 1, value: 2) // overflowing jump: the series restarts
        try f.observe(id, ts: Int64.max, value: 3)
        let r = try f.breach(id, threshold: 2.5, above: true, horizon: 10)
        #expect(r.probability >= 0 && r.probability <= 1)
        let (m, _, _) = try forecast(f, id, h: 4)
        #expect(m.allSatisfy { $0.isFinite })
    }

    @Test func breachProbabilityFollowsTheTrend() throws {
        let f = try engine()
        let id = try f.seriesId(#"disk_used{service="checkout"}"#)
        var rng = Xoshiro256(seed: 2)
        let y = (0..<300).map { 50 + 0.1 * Double($0) + 0.3 * rng.nextGaussian() } // reaches ~80
        try feed(f, id, y)
        let near = try f.breach(id, threshold: 84, above: true, horizon: 60)
        let far = try f.breach(id, threshold: 200, above: true, horizon: 60)
        #expect(near.probability > 0.5)
        #expect(near.expectedSteps > 0 && near.expectedSteps <= 60)
        #expect(near.level.rawValue >= RiskLevel.medium.rawValue)
        #expect(near.businessImpact > 0) // checkout: revenue rule
        #expect(far.probability < 0.05 && far.level == .none)
        let below = try f.breach(id, threshold: 0, above: false, horizon: 60)
        #expect(below.probability < 0.05)
    }

    @Test func forecastBeforeAnyPointIsAStateError() throws {
        let f = try engine()
        let id = try f.seriesId("empty")
        #expect(throws: SMONError.self) { _ = try forecast(f, id, h: 3) }
    }

    @Test func fewPointsStillForecast() throws {
        let f = try engine()
        let id = try f.seriesId("few")
        try feed(f, id, [1, 2])
        let (m, lo, hi) = try forecast(f, id, h: 5)
        #expect(m.allSatisfy { $0.isFinite } && lo.allSatisfy { $0.isFinite } && hi.allSatisfy { $0.isFinite })
    }

    @Test func configKeysValidate() {
        var c = Configuration()
        #expect(throws: SMONError.self) { try c.set("forecaster.ensemble_size", "0") }
        #expect(throws: SMONError.self) { try c.set("forecaster.combination", "max") }
        #expect(throws: SMONError.self) { try c.set("forecaster.nope", "1") }
        #expect((try? c.set("forecaster.season", "24")) != nil)
    }
}

@Suite("Forecast exogenous inputs")
struct ForecastExogenousTests {
    @Test func eventIndicatorGetsImportanceAndShiftsForecast() throws {
        var rng = Xoshiro256(seed: 21)
        let n = 600, h = 24
        var x = [Double](repeating: 0, count: n * 2)
        var y = Gen.seasonal(n: n, m: 24, noise: 0.5)
        for t in 0..<n {
            let event = (t % 17 == 0) ? 1.0 : 0.0
            x[t * 2] = event
            x[t * 2 + 1] = rng.nextGaussian() // irrelevant input
            y[t] += 25 * event
        }
        var fut = [Double](repeating: 0, count: h * 2)
        fut[5 * 2] = 1 // an event planned at step 6
        var m = [Double](repeating: 0, count: h), lo = m, hi = m
        let r = try y.withUnsafeBufferPointer { yb in
            try x.withUnsafeBufferPointer { xb in
                try fut.withUnsafeBufferPointer { fb in
                    try m.withUnsafeMutableBufferPointer { mb in
                        try lo.withUnsafeMutableBufferPointer { lb in
                            try hi.withUnsafeMutableBufferPointer { hb in
                                try ExogenousForecast.run(yb, x: xb, features: 2, future: fb, season: 24, level: 0.9,
                                                          options: AutoOptions(), mean: mb, lo: lb, hi: hb)
                            }
                        }
                    }
                }
            }
        }
        #expect(r.importance[0] > 0.8)
        #expect(Swift.abs(r.coefficients[0] - 25) < 8)
        #expect(m[5] > m[4] + 10 && m[5] > m[6] + 10)
    }
}
