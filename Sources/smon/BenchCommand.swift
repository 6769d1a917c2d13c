import ArgumentParser
import SpotifyMonCore

/// `smon bench`: in-process throughput and latency of every engine's hot path on generated
/// data, one thread. The side-by-side comparisons with scikit-learn, river and statsforecast
/// are `make bench` (Evaluation/bench_*.py); this command is the quick self-check.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure every engine's hot path in-process (one thread, generated data).")

    @Flag(help: "Smaller workloads (a few seconds in all).") var quick = false

    func run() throws {
        LinearAlgebra.useSingleThread()
        let scale = quick ? 10 : 1
        print("spotifymon \(LibraryVersion.string) — in-process benchmarks, one thread\n")
        print("engine     operation                                   result")
        for (engine, op, result) in try anomaly(scale) + alerts(scale) + forecast(scale) + cluster(scale) {
            print("\(engine.rightPadded(10)) \(op.rightPadded(48)) \(result)")
        }
    }

    /// Runs `body` and returns its wall time in seconds.
    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let t0 = Clock.nanos()
        try body()
        return Double(Clock.nanos() - t0) / 1e9
    }

    private func rate(_ count: Int, _ secs: Double, _ unit: String) -> String {
        let r = Double(count) / Swift.max(secs, 1e-9)
        return r >= 1e6 ? "\(fmt(r / 1e6, 2))M \(unit)/s" : "\(fmt(r / 1e3, 1))K \(unit)/s"
    }

    private func fmt(_ x: Double, _ digits: Int) -> String { ForecastDemo.fmt(x, digits) }

    typealias Row = (String, String, String)

    private func anomaly(_ scale: Int) throws -> [Row] {
        var rows: [Row] = []
        for (label, members, series, steps) in [("default members", "", 10_000, 100 / scale),
                                                ("full ensemble (4 members)", "robust,forest,gru,prototype", 2_000, 100 / scale)] {
            let d = try AnomalyDetector(members.isEmpty ? [:] : ["detector.members": members])
            var rng = Xoshiro256(seed: 1)
            var ids = [UInt32](), ts = [Int64](repeating: 0, count: series), vals = [Double](repeating: 0, count: series)
            for k in 0..<series { ids.append(try d.series("bench_metric{host=\"h\(k)\"}")) }
            var out = [AnomalyResult](repeating: AnomalyResult(), count: series)
            var total = 0.0
            for t in 0..<steps {
                for k in 0..<series {
                    ts[k] = 1_700_000_000_000 + Int64(t) * 60_000
                    vals[k] = 100 + 10 * _sin(Double(t) / 10) + rng.nextGaussian()
                }
                total += try seconds {
                    try ids.withUnsafeBufferPointer { i in try ts.withUnsafeBufferPointer { tb in
                        try vals.withUnsafeBufferPointer { v in try out.withUnsafeMutableBufferPointer { o in
                            try d.observeBatch(ids: i, tsMs: tb, values: v, out: o) } } } }
                }
            }
            rows.append(("detector", "observe_batch, \(label)", rate(series * steps, total, "events")))
            if members.isEmpty {
                var lat = [Double]()
                for t in 0..<20_000 / scale {
                    let id = ids[t % series]
                    let s = try seconds { _ = try d.observe(id: id, tsMs: 1_800_000_000_000 + Int64(t), value: 100) }
                    lat.append(s * 1e6)
                }
                lat.sort()
                rows.append(("detector", "observe one point: p50 / p99 latency", "\(fmt(lat[lat.count / 2], 2)) / \(fmt(lat[lat.count * 99 / 100], 2)) µs"))
            }
        }
        return rows
    }

    private func alerts(_ scale: Int) throws -> [Row] {
        var g = AlertStreamGenerator(seed: 5)
        let records: [AlertRecord] = g.generate(alerts: 40_000 / scale).compactMap {
            if case .alert(let r) = $0 { return r } else { return nil }
        }
        let c = try AlertClassifier(config: Configuration())
        let learn = seconds { for r in records { c.learn(r, r.feedback) } }
        var lat = [Double]()
        lat.reserveCapacity(records.count)
        let classify = seconds {
            for r in records {
                let t0 = Clock.nanos()
                _ = c.classify(r)
                lat.append(Double(Clock.nanos() - t0) / 1e3)
            }
        }
        lat.sort()
        return [("classifier", "learn from feedback", rate(records.count, learn, "alerts")),
                ("classifier", "classify (record path, incl. timing)", rate(records.count, classify, "alerts")),
                ("classifier", "classify one alert: p50 / p99 latency", "\(fmt(lat[lat.count / 2], 2)) / \(fmt(lat[lat.count * 99 / 100], 2)) µs")]
    }

    private func forecast(_ scale: Int) throws -> [Row] {
        var rng = Xoshiro256(seed: 3)
        let count = 40 / scale, n = 700, h = 48
        var options = AutoOptions()
        options.season = 24
        var fitTime = 0.0, fcTime = 0.0
        var mean = [Double](repeating: 0, count: h), lo = mean, hi = mean
        for s in 0..<count {
            let y = (0..<n).map { t in 500 + 200 * _sin(2 * Double.pi * Double(t % 24) / 24 + Double(s)) + 0.1 * Double(t) + 20 * rng.nextGaussian() }
            var model: ForecastModel?
            fitTime += try seconds {
                model = try AutoForecaster.fit(y, options: options)
                mean.withUnsafeMutableBufferPointer { m in lo.withUnsafeMutableBufferPointer { l in
                    hi.withUnsafeMutableBufferPointer { hb in model!.forecast(level: 0.95, mean: m, lo: l, hi: hb) } } }
            }
            fcTime += seconds {
                for _ in 0..<100 {
                    mean.withUnsafeMutableBufferPointer { m in lo.withUnsafeMutableBufferPointer { l in
                        hi.withUnsafeMutableBufferPointer { hb in model!.forecast(level: 0.95, mean: m, lo: l, hi: hb) } } }
                }
            }
        }
        return [("forecaster", "auto-select + fit + 48-step forecast (700 pts)", "\(fmt(fitTime / Double(count) * 1e3, 2)) ms/series"),
                ("forecaster", "48-step forecast from a fitted model", "\(fmt(fcTime / Double(count * 100) * 1e6, 2)) µs")]
    }

    private func cluster(_ scale: Int) throws -> [Row] {
        var rng = Xoshiro256(seed: 9)
        let n = 100_000 / scale, d = 8, k = 10
        let centres = (0..<k * d).map { _ in 10 * rng.nextGaussian() }
        var x = [Double](repeating: 0, count: n * d)
        for i in 0..<n { for j in 0..<d { x[i * d + j] = centres[(i % k) * d + j] + rng.nextGaussian() } }
        let e = try ClusterEngine(["clusterer.algorithm": "kmeans", "clusterer.k": "\(k)"])
        let fit = try seconds { try x.withPoints(n: n, d: d) { try e.fit($0) } }
        let online = try ClusterEngine(["clusterer.algorithm": "stream", "clusterer.k": "\(k)"])
        var labels = [Int32](repeating: 0, count: n), scores = [Double](repeating: 0, count: n)
        let upd = try seconds {
            try x.withPoints(n: n, d: d) { p in try labels.withUnsafeMutableBufferPointer { l in
                try scores.withUnsafeMutableBufferPointer { s in try online.update(p, labels: l.baseAddress, scores: s.baseAddress, types: nil) } } }
        }
        return [("clusterer", "K-Means fit \(n / 1000)K × 8, k = 10", "\(fmt(fit * 1e3, 1)) ms"),
                ("clusterer", "online update (micro-clusters), d = 8", rate(n, upd, "points"))]
    }
}
