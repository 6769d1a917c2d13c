import Testing
@testable import SpotifyMonCore

/// Generated labelled streams: a noisy daily-ish wave with injected events.
enum AnomalyStreams {
    static func wave(_ n: Int, seed: UInt64 = 1) -> [Double] {
        var rng = Xoshiro256(seed: seed)
        return (0..<n).map { i in 100 + 10 * _sin(Double(i) * 2 * .pi / 48) + rng.nextGaussian() }
    }
}

@Suite("Anomaly detector")
struct AnomalyTests {
    func run(_ d: AnomalyDetector, _ id: UInt32, _ xs: [Double], start: Int64 = 1_700_000_000_000) throws -> [AnomalyResult] {
        try xs.enumerated().map { try d.observe(id: id, tsMs: start + Int64($0.offset) * 300_000, value: $0.element) }
    }

    @Test func spikeScoresAboveNoise() throws {
        let d = try AnomalyDetector(["detector.warmup": "100"])
        let id = try d.series("latency_ms{service=\"api\"}")
        var xs = AnomalyStreams.wave(1200)
        for k in 1000..<1006 { xs[k] += 80 }
        let r = try run(d, id, xs)
        let calm = r[300..<990].map(\.score).max()!
        let event = r[1000..<1010].map(\.score).max()!
        #expect(event > calm)
        #expect(r[1000..<1010].contains { $0.isAnomaly })
        #expect(r.allSatisfy { $0.score >= 0 && $0.score <= 1 })
        #expect(r[0..<100].allSatisfy { $0.score == 0 })
    }

    @Test func levelShiftIsDetectedAsDriftAndAdapted() throws {
        let d = try AnomalyDetector(["detector.warmup": "50"])
        let id = try d.series("cpu_usage{host=\"a\"}")
        var rng = Xoshiro256(seed: 3)
        let xs = (0..<3000).map { i in (i < 1500 ? 20.0 : 60.0) + rng.nextGaussian() }
        let r = try run(d, id, xs)
        #expect(r[1500..<1700].contains { $0.drift != 0 })
        // After adapting, the new level is normal again.
        let late = r[2600..<3000].filter(\.isAnomaly).count
        #expect(late < 10)
    }

    @Test func badInputHasDefinedBehaviour() throws {
        let d = try AnomalyDetector()
        let id = try d.series("x")
        #expect(throws: SMONError.self) { try d.observe(id: id, tsMs: 0, value: .nan) }
        #expect(throws: SMONError.self) { try d.observe(id: id, tsMs: 0, value: .infinity) }
        #expect(throws: SMONError.self) { try d.observe(id: 99, tsMs: 0, value: 1) }
        #expect(d.state(of: id)!.count == 0) // untouched
        // Constant series, duplicate and out-of-order timestamps, gaps, huge values.
        for i in 0..<500 { _ = try d.observe(id: id, tsMs: 1000, value: 5) }
        let r1 = try d.observe(id: id, tsMs: 0, value: 5)
        #expect(r1.score == 0 || r1.score < 0.5)
        let r2 = try d.observe(id: id, tsMs: Int64.max / 2, value: 1e300)
        #expect(r2.score.isFinite && r2.score >= 0 && r2.score <= 1)
        let r3 = try d.observe(id: id, tsMs: Int64.min / 2, value: -1e300)
        #expect(r3.score.isFinite)
        let r4 = try d.observe(id: id, tsMs: 2000, value: 5)
        #expect(r4.score.isFinite && r4.expected.isFinite)
        #expect(d.state(of: id)!.isValid)
    }

    @Test(arguments: ["robust", "robust,prototype", "robust,forest,gru,prototype", "gru", "forest"])
    func snapshotRoundTripContinuesIdentically(members: String) throws {
        let d = try AnomalyDetector(["detector.members": members, "detector.warmup": "20"])
        let a = try d.series("m{k=\"1\"}"), b = try d.series("m{k=\"2\"}")
        let xs = AnomalyStreams.wave(400, seed: 7)
        for (i, x) in xs.enumerated() { _ = try d.observe(id: i % 2 == 0 ? a : b, tsMs: Int64(i) * 1000, value: x) }
        d.context.addDeployment(.init(service: "*", startMs: 600_000, endMs: 620_000))
        let snap = d.snapshot()
        let e = try AnomalyDetector(["detector.members": members, "detector.warmup": "20"])
        try snap.withUnsafeBytes { try e.restore($0) }
        #expect(e.context.allDeployments == d.context.allDeployments)
        let more = AnomalyStreams.wave(200, seed: 8)
        for (i, x) in more.enumerated() {
            let id = i % 3 == 0 ? a : b
            let r1 = try d.observe(id: id, tsMs: 500_000 + Int64(i) * 1000, value: x + (i == 150 ? 50 : 0))
            let r2 = try e.observe(id: id, tsMs: 500_000 + Int64(i) * 1000, value: x + (i == 150 ? 50 : 0))
            #expect(r1 == r2)
        }
        var bad = snap
        bad[bad.count / 2] ^= 0xFF
        #expect(throws: SMONError.self) { try bad.withUnsafeBytes { try e.restore($0) } }
    }

    @Test func batchEqualsSingleCalls() throws {
        let d1 = try AnomalyDetector(), d2 = try AnomalyDetector()
        var ids: [UInt32] = []
        for k in 0..<10 { ids.append(try d1.series("s\(k)")); _ = try d2.series("s\(k)") }
        let n = 2000
        var rng = Xoshiro256(seed: 5)
        let bid = (0..<n).map { ids[$0 % 10] }, bts = (0..<n).map { Int64($0) * 1000 }
        let bv = (0..<n).map { _ in rng.nextGaussian() }
        var out = [AnomalyResult](repeating: AnomalyResult(), count: n)
        try bid.withUnsafeBufferPointer { i in try bts.withUnsafeBufferPointer { t in try bv.withUnsafeBufferPointer { v in
            try out.withUnsafeMutableBufferPointer { o in try d1.observeBatch(ids: i, tsMs: t, values: v, out: o) }
        }}}
        for k in 0..<n { #expect(try d2.observe(id: bid[k], tsMs: bts[k], value: bv[k]) == out[k]) }
        // A bad entry rejects the whole batch before anything is applied.
        var bad = bv; bad[n - 1] = .nan
        let before = d1.state(of: ids[0])!.count
        #expect(throws: SMONError.self) {
            try bid.withUnsafeBufferPointer { i in try bts.withUnsafeBufferPointer { t in try bad.withUnsafeBufferPointer { v in
                try out.withUnsafeMutableBufferPointer { o in try d1.observeBatch(ids: i, tsMs: t, values: v, out: o) }
            }}}
        }
        #expect(d1.state(of: ids[0])!.count == before)
    }

    @Test func explanationImpactAndCorrelation() throws {
        let d = try AnomalyDetector(["detector.warmup": "50"])
        let a = try d.series("payment_errors{service=\"checkout\",host=\"h1\"}")
        let b = try d.series("payment_latency_ms{service=\"checkout\",host=\"h2\"}")
        var rng = Xoshiro256(seed: 9)
        var groups: Set<UInt32> = []
        for i in 0..<800 {
            let spike = i >= 700 && i < 706
            let ra = try d.observe(id: a, tsMs: Int64(i) * 1000, value: 10 + rng.nextGaussian() + (spike ? 40 : 0))
            let rb = try d.observe(id: b, tsMs: Int64(i) * 1000 + 10, value: 200 + rng.nextGaussian() + (spike ? 400 : 0))
            if ra.isAnomaly { groups.insert(ra.groupId); #expect(ra.impactCategory == ImpactCategory.revenue.rawValue) }
            if rb.isAnomaly { groups.insert(rb.groupId) }
        }
        #expect(!groups.isEmpty)
        let json = d.correlationsJSON()
        #expect(json.contains("leading_series"))
        let ex = try d.explain(id: a)
        #expect(ex.contains("\"recommended_actions\"") && ex.contains("\"business_impact\""))
        #expect(throws: SMONError.self) { try d.explain(id: 77) }
    }

    @Test func actionTableOverrides() throws {
        let t = try ActionTable.parse("cpu:critical=Do X|Do Y;*:low=Look")
        let all = ActionTable.defaults.overridden(by: t)
        #expect(all.actions(kind: .cpu, severity: 4) == ["Do X", "Do Y"])
        #expect(all.actions(kind: .generic, severity: 1) == ["Look"])
        #expect(!ActionTable.defaults.actions(kind: .latency, severity: 2).isEmpty)
        #expect(throws: SMONError.self) { try ActionTable.parse("gpu:low=x") }
        #expect(MetricKind.guess("node_cpu_seconds") == .cpu)
        #expect(MetricKind.guess("http_errors_total") == .errorRate)
    }

    @Test func driftDetectorsFireOnChangeOnly() {
        var ph = PageHinkley()
        var rng = Xoshiro256(seed: 11)
        var fired = 0
        for _ in 0..<2000 { if ph.update(rng.nextGaussian() * 0.5, delta: 0.5, lambda: 50) { fired += 1 } }
        #expect(fired == 0)
        var got = false
        for _ in 0..<200 { if ph.update(3 + rng.nextGaussian(), delta: 0.5, lambda: 50) { got = true } }
        #expect(got)
        var ad = Adwin()
        var adFired = 0
        for _ in 0..<3000 { if ad.update(0.1 * rng.nextGaussian(), delta: 0.002) { adFired += 1 } }
        #expect(adFired == 0)
        var adGot = false
        for _ in 0..<1000 { if ad.update(0.5 + 0.1 * rng.nextGaussian(), delta: 0.002) { adGot = true } }
        #expect(adGot)
        #expect(ad.width < 1000)
    }
}
