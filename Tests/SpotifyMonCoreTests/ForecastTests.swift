import Testing
@testable import SpotifyMonCore

/// Generated test series (no external data).
enum Gen {
    /// Positive daily-seasonal series with trend and noise: period `m`, `n` points.
    static func seasonal(n: Int, m: Int = 24, trend: Double = 0.02, noise: Double = 1, seed: UInt64 = 1,
                         multiplicative: Bool = true) -> [Double] {
        var rng = Xoshiro256(seed: seed)
        return (0..<n).map { t in
            let base = 100 + trend * Double(t)
            let s = _sin(2 * Double.pi * Double(t % m) / Double(m))
            let v = multiplicative ? base * (1 + 0.3 * s) : base + 30 * s
            return v + noise * rng.nextGaussian()
        }
    }

    /// Forecast `h` steps of `y` with defaults.
    static func forecast(_ y: [Double], h: Int, season: Int = 0, level: Double = 0.95,
                         options: AutoOptions = AutoOptions()) throws -> ([Double], [Double], [Double]) {
        var mean = [Double](repeating: 0, count: h), lo = mean, hi = mean
        try y.withUnsafeBufferPointer { yb in
            try mean.withUnsafeMutableBufferPointer { m in
                try lo.withUnsafeMutableBufferPointer { l in
                    try hi.withUnsafeMutableBufferPointer { u in
                        _ = try OneShotForecast.run(yb, season: season, level: level, options: options, mean: m, lo: l, hi: u)
                    }
                }
            }
        }
        return (mean, lo, hi)
    }

    static func mae(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { Swift.abs($0 - $1) }.reduce(0, +) / Double(a.count)
    }
}

@Suite("Forecast models")
struct ForecastModelTests {
    @Test func seasonalityDetected() {
        let y = Gen.seasonal(n: 600, m: 24)
        let m = y.withUnsafeBufferPointer { Seasonality.detect($0) }
        #expect(m == 24)
        let cand = y.withUnsafeBufferPointer { Seasonality.detect($0, candidates: [12, 24, 168]) }
        #expect(cand == 24)
        var rng = Xoshiro256(seed: 3)
        let noise = (0..<600).map { _ in rng.nextGaussian() }
        #expect(noise.withUnsafeBufferPointer { Seasonality.detect($0) } == 0)
    }

    @Test func etsFamilyFitsAndForecastsFinite() throws {
        let y = Gen.seasonal(n: 480, m: 24)
        for e in [false, true] {
            for t: UInt8 in 0...2 {
                for s: UInt8 in 0...2 {
                    let spec = ETSSpec(multiplicativeError: e, trend: t, season: s)
                    let model = try #require(y.withUnsafeBufferPointer { ETSModel.fit($0, start: 0, spec: spec, period: 24) },
                                             "\(spec.name) did not fit")
                    #expect(model.aicc.isFinite)
                    #expect(model.alpha > 0 && model.alpha < 1)
                    if t == 2 { #expect(model.phi >= 0.8 && model.phi <= 0.98) }
                    var out = [Double](repeating: 0, count: 48)
                    out.withUnsafeMutableBufferPointer { model.forecast(into: $0) }
                    #expect(out.allSatisfy { $0.isFinite })
                }
            }
        }
    }

    @Test func seasonalETSBeatsNonSeasonalByAICc() {
        let y = Gen.seasonal(n: 480, m: 24)
        let seas = y.withUnsafeBufferPointer { ETSModel.fit($0, start: 0, spec: .init(multiplicativeError: false, trend: 0, season: 1), period: 24) }
        let flat = y.withUnsafeBufferPointer { ETSModel.fit($0, start: 0, spec: .init(multiplicativeError: false, trend: 0, season: 0), period: 24) }
        #expect(seas!.aicc < flat!.aicc)
    }

    @Test func multiplicativeModelsRefuseNonPositiveData() {
        var y = Gen.seasonal(n: 200, m: 24)
        y[50] = -1
        let m = y.withUnsafeBufferPointer { ETSModel.fit($0, start: 0, spec: .init(multiplicativeError: true, trend: 0, season: 2), period: 24) }
        #expect(m == nil)
    }

    @Test func autoForecastBeatsSeasonalNaiveOnTrendingSeries() throws {
        let y = Gen.seasonal(n: 720, m: 24, trend: 0.1, noise: 2, seed: 5)
        let train = Array(y[0..<672]), test = Array(y[672..<720])
        let (f, lo, hi) = try Gen.forecast(train, h: 48, season: 24)
        let snaive = (0..<48).map { train[672 - 24 + $0 % 24] }
        #expect(Gen.mae(f, test) < Gen.mae(snaive, test))
        let covered = zip(test, zip(lo, hi)).filter { $0.0 >= $0.1.0 && $0.0 <= $0.1.1 }.count
        #expect(covered >= 40, "95% interval covered only \(covered) of 48")
    }

    /// Beyond the validated steps, a level series' intervals stop widening at its own spread
    /// (the climatology ceiling) while a random walk's keep growing like √h.
    @Test func longHorizonIntervalsOfLevelAndRandomWalkSeries() throws {
        var rng = Xoshiro256(seed: 21)
        let level = (0..<1288).map { _ in 0.5 + 0.3 * rng.nextUnit() }
        let (_, lo, hi) = try Gen.forecast(Array(level[0..<1000]), h: 288)
        let future = level[1000...]
        let covered = zip(future, zip(lo, hi)).filter { $0.0 >= $0.1.0 && $0.0 <= $0.1.1 }.count
        #expect(covered >= 274, "95% interval covered \(covered) of 288")
        #expect(hi[287] - lo[287] < 0.5, "width \(hi[287] - lo[287]) at step 288 for values spread over 0.3")
        var walk = [Double](repeating: 0, count: 1000)
        for t in 1..<1000 { walk[t] = walk[t - 1] + rng.nextGaussian() }
        let (_, wlo, whi) = try Gen.forecast(walk, h: 288)
        #expect(whi[287] - wlo[287] > 2 * (whi[47] - wlo[47]))
    }

    @Test func intervalsNestByLevelAndContainTheMean() throws {
        let y = Gen.seasonal(n: 500, m: 24, seed: 9)
        let (m80, l80, h80) = try Gen.forecast(y, h: 72, level: 0.8)
        let (m99, l99, h99) = try Gen.forecast(y, h: 72, level: 0.99)
        for s in 0..<72 {
            #expect(l80[s] <= m80[s] && m80[s] <= h80[s])
            #expect(l99[s] <= l80[s] + 1e-9 && h99[s] >= h80[s] - 1e-9)
            #expect(Swift.abs(m80[s] - m99[s]) < 1e-9)
        }
    }

    @Test func weeklySeasonalityUsesMSTL() throws {
        var rng = Xoshiro256(seed: 11)
        let y = (0..<(24 * 7 * 5)).map { t -> Double in
            let day = (t / 24) % 7
            return 50 + 10 * _sin(2 * Double.pi * Double(t % 24) / 24) + (day >= 5 ? -15 : 0) + rng.nextGaussian()
        }
        let model = try AutoForecaster.fit(y, options: { var o = AutoOptions(); o.season = 24; return o }())
        #expect(model.leaderboard.contains { $0.name.hasPrefix("mstl") })
        #expect(model.leaderboard.contains { $0.name == "seasonal_naive[168]" })
    }

    @Test func robustLineIgnoresOutliers() {
        var y = (0..<100).map { 2 + 0.5 * Double($0) }
        y[10] = 1000; y[70] = -500
        let (a, b) = y.withUnsafeBufferPointer { RobustLine.fit($0) }
        #expect(Swift.abs(b - 0.5) < 0.05 && Swift.abs(a - 2) < 2)
    }
}

@Suite("Forecast bad input")
struct ForecastBadInputTests {
    @Test func emptyAndAllMissingThrow() {
        #expect(throws: SMONError.self) { _ = try Gen.forecast([], h: 5) }
        #expect(throws: SMONError.self) { _ = try Gen.forecast([.nan, .infinity], h: 5) }
    }

    @Test func horizonZeroAndHugeThrow() {
        let y = Gen.seasonal(n: 100)
        #expect(throws: SMONError.self) { _ = try Gen.forecast(y, h: 0) }
        var one = [0.0]
        #expect(throws: SMONError.self) {
            try y.withUnsafeBufferPointer { yb in
                try one.withUnsafeMutableBufferPointer { o in
                    let big = UnsafeMutableBufferPointer(start: o.baseAddress, count: OneShotForecast.maxHorizon + 1)
                    _ = try OneShotForecast.run(yb, season: 0, level: 0.95, options: AutoOptions(), mean: big, lo: big, hi: big)
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 5, 9, 30])
    func shortSeriesGiveFiniteForecasts(_ n: Int) throws {
        let y = (0..<n).map { Double($0) + 1 }
        let (f, lo, hi) = try Gen.forecast(y, h: 10, season: 24)
        #expect(f.allSatisfy { $0.isFinite } && lo.allSatisfy { $0.isFinite } && hi.allSatisfy { $0.isFinite })
    }

    @Test func constantSeriesForecastsTheConstant() throws {
        let (f, lo, hi) = try Gen.forecast([Double](repeating: 7, count: 300), h: 24)
        for s in 0..<24 {
            #expect(Swift.abs(f[s] - 7) < 1e-6)
            #expect(lo[s] <= f[s] && hi[s] >= f[s] && hi[s].isFinite)
        }
    }

    @Test func gapsAndNegativesAreHandled() throws {
        var y = Gen.seasonal(n: 400, m: 24, multiplicative: false).map { $0 - 100 } // crosses zero
        for i in stride(from: 5, to: 400, by: 37) { y[i] = .nan }
        y[200] = .infinity
        let (f, lo, hi) = try Gen.forecast(y, h: 48, season: 24)
        #expect(f.allSatisfy { $0.isFinite } && lo.allSatisfy { $0.isFinite } && hi.allSatisfy { $0.isFinite })
        #expect(lo.contains { $0 < 0 }) // negative data: no clamping at zero
    }

    @Test func extremeMagnitudesStayFinite() throws {
        let y = (0..<200).map { 1e250 * (1 + 0.1 * _sin(Double($0))) }
        let (f, lo, hi) = try Gen.forecast(y, h: 10)
        #expect(f.allSatisfy { $0.isFinite } && lo.allSatisfy { $0.isFinite } && hi.allSatisfy { $0.isFinite })
    }

    @Test func levelOutOfRangeThrows() {
        #expect(throws: SMONError.self) { _ = try Gen.forecast([1, 2, 3], h: 2, level: 1.0) }
        #expect(throws: SMONError.self) { _ = try Gen.forecast([1, 2, 3], h: 2, level: .nan) }
    }
}
