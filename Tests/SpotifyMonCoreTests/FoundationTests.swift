import Foundation
import Testing
@testable import SpotifyMonCore

@Suite("Series keys")
struct SeriesKeyTests {
    @Test func canonicalSortsTags() throws {
        let a = try SeriesKey(parsing: #"cpu{host="b",dc="x"}"#)
        let b = try SeriesKey(parsing: #"cpu{dc="x", host="b"}"#)
        #expect(a == b)
        #expect(a.canonical == #"cpu{dc="x",host="b"}"#)
        #expect(a.tag("host") == "b")
    }

    @Test func escapesRoundTrip() throws {
        let k = try SeriesKey(parsing: #"m{v="a\"b\\c"}"#)
        #expect(k.tag("v") == #"a"b\c"#)
        #expect(try SeriesKey(parsing: k.canonical) == k)
    }

    @Test(arguments: ["", "{a=\"b\"}", "m{a=\"b\"", "m{a=b}", "m{=\"x\"}", "m{a=\"b\"} junk"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: SMONError.self) { try SeriesKey(parsing: text) }
    }

    @Test func registryInternsOnce() throws {
        let r = SeriesRegistry(capacity: 2)
        let (a, newA) = try r.intern(#"x{b="1",a="2"}"#)
        let (b, newB) = try r.intern(#"x{a="2",b="1"}"#)
        #expect(newA && !newB && a == b)
        _ = try r.intern("y")
        #expect(throws: SMONError.self) { try r.intern("z") }
    }
}

@Suite("Sharded store")
struct ShardedStoreTests {
    @Test func statesAreCreatedPerId() {
        let store = ShardedStore<Int>(shardCount: 4) { Int($0) * 10 }
        #expect(store.withState(13) { $0 } == 130)
        store.withState(13) { $0 += 1 }
        #expect(store.withState(13) { $0 } == 131)
        #expect(store.withState(2) { $0 } == 20)
        let all = store.snapshotStates()
        #expect(all.contains { $0.0 == 13 && $0.1 == 131 })
    }

    @Test func scratchIsPerShardAndGrows() {
        let store = ShardedStore<Int>(shardCount: 2) { _ in 0 }
        let small = store.withState(0, scratch: 4) { _, s in s.count }
        let big = store.withState(0, scratch: 1000) { st, s -> Int in
            for i in s.indices { s[i] = Double(i) }  // writable over its whole length
            st = Int(s[999])
            return s.count
        }
        #expect(small == 4 && big == 1000)
        #expect(store.withState(0) { $0 } == 999)
    }
}

@Suite("Snapshots")
struct SnapshotTests {
    @Test func roundTripAndCorruption() throws {
        var w = SnapshotWriter()
        w.write(UInt32(7)); w.write(-2.5); w.write("héllo"); w.write([1.0, 2.0]); w.write(true)
        let sealed = Snapshot.seal(w, engine: .detector)
        var r = try Snapshot.open(sealed, engine: .detector)
        #expect(try r.read(UInt32.self) == 7)
        #expect(try r.read(Double.self) == -2.5)
        #expect(try r.read(String.self) == "héllo")
        #expect(try r.read([Double].self) == [1.0, 2.0])
        #expect(try r.read(Bool.self) == true)
        try r.finish()
        #expect(throws: SMONError.self) { try Snapshot.open(sealed, engine: .forecaster) }
        for i in stride(from: 0, to: sealed.count, by: 3) {
            var bad = sealed; bad[i] ^= 0x5A
            #expect(throws: SMONError.self) { try Snapshot.open(bad, engine: .detector) }
        }
        #expect(throws: SMONError.self) { try Snapshot.open(Array(sealed.dropLast()), engine: .detector) }
    }

    @Test func randomPayloadsRoundTripExactly() throws {
        var rng = Xoshiro256(seed: 1)
        for _ in 0..<200 {
            let values = (0..<rng.nextInt(below: 50)).map { _ in Double(bitPattern: rng.next()) }
            var w = SnapshotWriter(); w.write(values)
            var r = try Snapshot.open(Snapshot.seal(w, engine: .clusterer), engine: .clusterer)
            let back: [Double] = try r.read()
            #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
        }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test func validatesKeysAndValues() throws {
        var c = Configuration()
        try c.set("seed", "7")
        #expect(c.int("seed") == 7)
        #expect(throws: SMONError.self) { try c.set("no.such.key", "1") }
        #expect(throws: SMONError.self) { try c.set("seed", "-1") }
        #expect(throws: SMONError.self) { try c.set("context.peak_multiplier", "nan") }
        #expect(throws: SMONError.self) { try c.set("context.peak_hours", "25-3") }
        #expect(throws: SMONError.self) { try c.set("context.impact_rules", "*x*=money") }
        #expect(try c.get("context.peak_hours") == "18-22")
    }
}

@Suite("Business context")
struct BusinessContextTests {
    @Test func peakHoursDeploymentsAndImpact() throws {
        var c = Configuration()
        try c.set("context.peak_hours", "22-2")
        let ctx = BusinessContext(config: c)
        let midnight: Int64 = 1_700_006_400_000 // 2023-11-15 00:00 UTC
        #expect(ctx.isPeak(midnight))
        #expect(!ctx.isPeak(midnight + 12 * 3_600_000))
        #expect(ctx.localWeekday(midnight) == 2) // Wednesday
        ctx.addDeployment(.init(service: "api", startMs: 0, endMs: 1000))
        // Extreme windows and timestamps are data, not traps.
        ctx.addDeployment(.init(service: "x", startMs: .min, endMs: .max))
        _ = (ctx.localHour(.min), ctx.localWeekday(.max), ctx.isPeak(.min), ctx.inDeployment(service: "x", at: .max))
        #expect(ctx.inDeployment(service: "api", at: 500))
        #expect(!ctx.inDeployment(service: "db", at: 500))
        #expect(ctx.impact(metric: "payment_errors", tags: []).category == .revenue)
        #expect(ctx.impact(metric: "login_failures", tags: []).category == .security)
        #expect(ctx.impact(metric: "disk_used", tags: []).category == .operational)
    }
}

@Suite("Numerics")
struct NumericsTests {
    @Test func floatSIMDExpIsAccurate() {
        var rng = Xoshiro256(seed: 9)
        var xs: [Float] = [-200, -87, -80, -79.5, -20, -1, 0, 1e-6, 0.5, 1, 10, 87.9, 88, 300]
        for _ in 0..<4_000 { xs.append(Float((rng.nextUnit() - 0.5) * 170)) }
        while xs.count % 8 != 0 { xs.append(0) }
        for b in stride(from: 0, to: xs.count, by: 8) {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = xs[b + l] }
            let e = fastExp(v)
            for l in 0..<8 {
                let x = Double(min(max(xs[b + l], -80), 88))
                let want = Foundation.exp(x)
                #expect(abs(Double(e[l]) - want) <= 4e-7 * want, "x = \(xs[b + l])")
            }
        }
    }

    @Test func normalQuantileInvertsCDF() {
        for p in [0.001, 0.025, 0.5, 0.9, 0.975, 0.999] {
            #expect(abs(MathUtil.normalCDF(MathUtil.normalQuantile(p)) - p) < 1e-10)
        }
    }

    @Test func eigenAndCholeskyThroughLAPACK() throws {
        let a = Matrix(rows: 2, cols: 2, data: [4, 1, 1, 3])
        let (vals, _) = try LinearAlgebra.symmetricEigen(a)
        let expected = [(7 - 5.0.squareRoot()) / 2, (7 + 5.0.squareRoot()) / 2]
        #expect(abs(vals[0] - expected[0]) < 1e-12 && abs(vals[1] - expected[1]) < 1e-12)
        let l = try LinearAlgebra.cholesky(a)
        let back = LinearAlgebra.multiply(l, l, transB: true)
        for (x, y) in zip(back.data, a.data) { #expect(abs(x - y) < 1e-12) }
        #expect(throws: LinearAlgebra.Failure.self) { try LinearAlgebra.cholesky(Matrix(rows: 2, cols: 2, data: [1, 2, 2, 1])) }
    }

    /// Property: the allocation-free introsort orders like the standard library's sort, on
    /// random, duplicate-heavy, sorted, reversed and organ-pipe inputs of many sizes.
    @Test func inPlaceSortMatchesStandardSort() {
        var rng = Xoshiro256(seed: 7)
        for n in [0, 1, 2, 3, 15, 16, 17, 100, 1024, 5000] {
            let random = (0..<n).map { _ in rng.nextGaussian() }
            let dups = (0..<n).map { _ in Double(rng.nextInt(below: 4)) }
            let sorted = (0..<n).map(Double.init)
            let pipe = (0..<n).map { Double(Swift.min($0, n - $0)) }
            for input in [random, dups, sorted, Array(sorted.reversed()), pipe] {
                var v = input
                InPlaceSort.sort(&v)
                #expect(v == input.sorted())
            }
        }
    }

    @Test func welfordMatchesTwoPass() {
        var m = OnlineMoments()
        let xs = [1.0, 4, 9, 16, 25]
        for x in xs { m.add(x) }
        let mean = xs.reduce(0, +) / 5
        #expect(abs(m.mean - mean) < 1e-12)
        #expect(abs(m.variance - xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5) < 1e-9)
    }

    @Test func latencyQuantiles() {
        var h = LatencyHistogram()
        for ns in 1...1000 { h.record(nanosEach: UInt64(ns * 1000)) }
        #expect(abs(h.quantile(0.5) - 500_000) / 500_000 < 0.05)
        #expect(abs(h.quantile(0.99) - 990_000) / 990_000 < 0.05)
    }

    @Test(arguments: [("2014-07-01 00:30:00", Int64(1_404_174_600_000)), ("2014-07-01T00:30:00Z", 1_404_174_600_000),
                      ("2014-07-01T02:30:00+02:00", 1_404_174_600_000), ("1404174600", 1_404_174_600_000),
                      ("2014-07-01 00:30:00.250000", 1_404_174_600_250)])
    func timestamps(_ text: String, _ ms: Int64) { #expect(Timestamp.parseMillis(text) == ms) }

    @Test func badTimestamps() {
        for t in ["", "2014-13-01", "yesterday", "2014-07-01X00:00", "2014-07-01 25:00:00"] {
            #expect(Timestamp.parseMillis(t) == nil)
        }
    }

    @Test func jsonWriterEscapes() {
        var j = JSONWriter()
        j.beginObject(); j.field("a", "x\"y\n"); j.field("n", 2.5); j.key("l"); j.beginArray(); j.number(1); j.number(2); j.endArray(); j.endObject()
        #expect(j.text == #"{"a":"x\"y\n","n":2.5,"l":[1,2]}"#)
    }
}
