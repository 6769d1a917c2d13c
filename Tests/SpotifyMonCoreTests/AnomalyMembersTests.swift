import Testing
@testable import SpotifyMonCore

@Suite("Anomaly members and generated-stream evaluation")
struct AnomalyMembersTests {
    @Test func patternNoveltyLearnsThenStaysQuiet() {
        var p = PatternNovelty()
        for x in [0.0, 10, 5, 7, 3] { p.track(x) }
        p.fix(cells: 10, scaleFloor: 1e-9)
        var firstPass = 0.0, secondPass = 0.0
        let cycle: [Double] = [1, 3, 5, 7, 9, 7, 5, 3]
        for _ in 0..<3 { for x in cycle { firstPass += p.scoreAndLearn(x, cellsInRange: 10, logTails: false, maxLength: 3) } }
        for _ in 0..<3 { for x in cycle { secondPass += p.scoreAndLearn(x, cellsInRange: 10, logTails: false, maxLength: 3) } }
        #expect(firstPass > 0)
        #expect(secondPass == 0) // every pattern of the cycle is known
        // A value far outside the range is a new cell: fully novel at every length.
        #expect(p.scoreAndLearn(100, cellsInRange: 10, logTails: false, maxLength: 3) == 1)
        #expect(p.scoreAndLearn(100, cellsInRange: 10, logTails: false, maxLength: 3) < 1)
        // Log tails put far values into few cells.
        var q = PatternNovelty()
        q.track(0); q.track(10); q.fix(cells: 10, scaleFloor: 1e-9)
        _ = q.scoreAndLearn(1e6, cellsInRange: 10, logTails: true, maxLength: 1)
        #expect(q.scoreAndLearn(1.001e6, cellsInRange: 10, logTails: true, maxLength: 1) == 0)
    }

    @Test func shapeMemberScoresFamiliarShapesLow() {
        var m = ShapeMember()
        var rng = Xoshiro256(seed: 4)
        var v = [Float](repeating: 0, count: 8)
        var late = 0.0
        for i in 0..<500 {
            for j in 0..<8 { v[j] = Float(_sin(Double(j) / 2)) + Float(rng.nextGaussian() * 0.05) }
            let s = v.withUnsafeBufferPointer { m.scoreAndLearn($0.baseAddress!, limit: 8) }
            if i > 400 { late = max(late, s) }
        }
        for j in 0..<8 { v[j] = j % 2 == 0 ? 5 : -5 }
        let odd = v.withUnsafeBufferPointer { m.scoreAndLearn($0.baseAddress!, limit: 8) }
        #expect(odd > late)
        #expect(m.isValid)
    }

    @Test func forestAndGRUScoreInRangeAndLearn() {
        var f = HalfSpaceForest(trees: 8, depth: 6, window: 64, seed: 1)
        var rng = Xoshiro256(seed: 2)
        var x = [Float](repeating: 0.5, count: 4)
        var normal = 0.0
        for i in 0..<2000 {
            for j in 0..<4 { x[j] = Float(0.5 + 0.05 * rng.nextGaussian()) }
            let s = x.withUnsafeBufferPointer { f.scoreAndLearn($0.baseAddress!) }
            #expect(s >= 0 && s <= 1)
            if i > 1500 { normal = max(normal, s) }
        }
        x = [0.05, 0.95, 0.05, 0.95]
        let odd = x.withUnsafeBufferPointer { f.scoreAndLearn($0.baseAddress!) }
        #expect(odd > normal)

        var g = OnlineGRU(rate: 0.05, seed: 3)
        var st = GRUSeriesState()
        var early = 0.0, lateErr = 0.0
        for i in 0..<4000 {
            let z = Float(_sin(Double(i) / 4))
            let s = g.step(&st, x: z)
            #expect(s >= 0 && s <= 1)
            if i < 200 { early += Double(st.errorScale) } else if i >= 3800 { lateErr += Double(st.errorScale) }
        }
        #expect(lateErr < early) // the forecaster learned the wave
    }

    /// The project's own accuracy check without the shared data: 40 generated series with
    /// labelled incidents (spikes, level shifts, flat-lines), default configuration.
    @Test func generatedLabelledStreams() throws {
        let d = try AnomalyDetector()
        var rng = Xoshiro256(seed: 77)
        var caught = 0, incidents = 0, falseAlarms = 0, points = 0
        for k in 0..<40 {
            let id = try d.series("metric\(k){kind=\"\(k % 4)\"}")
            let n = 2000, at = 1200 + (k * 37) % 500
            let base = 10 + 90 * rng.nextUnit(), noise = base * 0.03
            var hit = false
            for i in 0..<n {
                var v = base * (1 + 0.2 * _sin(Double(i) * 2 * .pi / 144)) + noise * rng.nextGaussian()
                switch k % 4 {
                case 0: if i >= at && i < at + 3 { v += base }          // spike
                case 1: if i >= at { v += base * 0.6 }                   // level shift
                case 2: if i >= at && i < at + 150 { v = base }          // flat-line
                default: if i >= at && i < at + 40 { v += noise * 12 * _sin(Double(i)) } // burst of noise
                }
                let r = try d.observe(id: id, tsMs: Int64(i) * 300_000, value: v)
                if r.isAnomaly {
                    if i >= at && i < at + 100 { hit = true } else if i > 400 { falseAlarms += 1 }
                }
                if i > 400 { points += 1 }
            }
            incidents += 1
            if hit { caught += 1 }
        }
        #expect(Double(caught) / Double(incidents) >= 0.75, "caught \(caught)/\(incidents)")
        #expect(Double(falseAlarms) / Double(points) < 0.01, "false alarms \(falseAlarms)/\(points)")
    }
}

@Suite("Anomaly snapshot across configurations")
struct AnomalySnapshotConfigTests {
    @Test func restoreIntoSmallerWindowsNeverTraps() throws {
        let big = try AnomalyDetector(["detector.likelihood_short": "16", "detector.prototypes": "8", "detector.warmup": "20"])
        let id = try big.series("x")
        for i in 0..<500 { _ = try big.observe(id: id, tsMs: Int64(i), value: Double(i % 17)) }
        let snap = big.snapshot()
        let small = try AnomalyDetector(["detector.likelihood_short": "3", "detector.prototypes": "2",
                                         "detector.rank_window": "8", "detector.novelty_depth": "1", "detector.warmup": "20"])
        try snap.withUnsafeBytes { try small.restore($0) }
        for i in 0..<200 {
            let r = try small.observe(id: id, tsMs: 1000 + Int64(i), value: Double(i % 5))
            #expect(r.score.isFinite && r.score >= 0 && r.score <= 1)
        }
        // A forest snapshot cannot go into a detector without a forest.
        let withForest = try AnomalyDetector(["detector.members": "robust,forest"])
        _ = try withForest.series("y")
        let fs = withForest.snapshot()
        #expect(throws: SMONError.self) { try fs.withUnsafeBytes { try small.restore($0) } }
        // Truncations of a valid snapshot are all rejected.
        for cut in stride(from: 0, to: snap.count, by: max(1, snap.count / 50)) {
            #expect(throws: SMONError.self) { try Array(snap[0..<cut]).withUnsafeBytes { try small.restore($0) } }
        }
    }
}

@Suite("Anomaly extreme timestamps")
struct AnomalyExtremeTimestampTests {
    @Test func correlationSurvivesExtremeTimestamps() throws {
        let d = try AnomalyDetector(["detector.warmup": "10", "detector.threshold": "0"])
        let a = try d.series("m{service=\"s\"}"), b = try d.series("n{service=\"s\"}")
        let stamps: [Int64] = [.min, .max, 0, .min + 1, .max - 1, -1, 1]
        for i in 0..<300 {
            let ts = stamps[i % stamps.count]
            let ra = try d.observe(id: a, tsMs: ts, value: Double(i % 7) * (i % 50 == 0 ? 1e6 : 1))
            let rb = try d.observe(id: b, tsMs: ts, value: -Double(i % 3))
            #expect(ra.score.isFinite && rb.score.isFinite)
        }
        #expect(!d.correlationsJSON().isEmpty)
    }
}

@Suite("Correlation tracker")
struct CorrelationTrackerTests {
    @Test func groupsRelatedAnomaliesWithBoundedMembers() throws {
        let t = CorrelationTracker(spanMs: 60_000)
        let svc: (UInt64, UInt64, UInt64) = (11, 0, 5)
        // 40 series of one service within the span: one group, 32 members kept, leader the earliest.
        var gids = Set<UInt32>()
        for s in 0..<40 { gids.insert(t.record(series: UInt32(s), ts: 1_000 + Int64(40 - s), keys: svc)) }
        #expect(gids.count == 1)
        let g = try #require(t.group(gids.first!))
        #expect(g.members.count == CorrelationTracker.Group.maxMembers)
        #expect(g.members == (0..<32).map(UInt32.init))
        #expect(g.leader == 39 && g.firstTs == 1_001 && g.lastTs == 1_040)
        // A repeat of a member does not duplicate it; an unrelated series out of the span opens a new group.
        _ = t.record(series: 3, ts: 1_050, keys: svc)
        #expect(t.group(gids.first!)!.members.count == 32)
        let other = t.record(series: 100, ts: 500_000, keys: (99, 98, 97))
        #expect(other != gids.first!)
    }

    @Test func remembersAtMostMaxGroupsAndSnapshotsExactly() throws {
        let t = CorrelationTracker(spanMs: 10)
        for i in 0..<1500 { _ = t.record(series: UInt32(i), ts: Int64(i) * 1_000, keys: (UInt64(i) + 1, 0, UInt64(i) + 7)) }
        #expect(t.recentGroups(limit: 5000).count == 1024)
        var w = SnapshotWriter()
        t.encode(to: &w)
        let copy = CorrelationTracker(spanMs: 10)
        var r = SnapshotReader(w.bytes)
        try copy.decode(from: &r)
        var w2 = SnapshotWriter()
        copy.encode(to: &w2)
        #expect(w2.bytes == w.bytes)
        // Both continue identically.
        #expect(copy.record(series: 1, ts: 1_600_000, keys: (2, 0, 8)) == t.record(series: 1, ts: 1_600_000, keys: (2, 0, 8)))
    }
}
