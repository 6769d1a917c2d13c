import SpotifyMonCore

/// The forecaster's part of `smon demo`: generated hourly service metrics (daily and weekly
/// cycles, a trend, a level shift), streamed through a forecaster, then scored on held-out
/// days, with a capacity-breach assessment.
enum ForecastDemo {
    static func run(progress: (Double) -> Void) throws -> [String] {
        var config = Configuration()
        try config.set("forecaster.refit_interval", "168")
        let engine = try Forecaster(config: config)
        let hour: Int64 = 3_600_000
        let t0: Int64 = 1_767_225_600_000 // 2026-01-01 00:00 UTC
        let names = [#"requests_per_second{service="api"}"#, #"cpu_utilization{service="checkout"}"#,
                     #"playback_latency_ms{service="streaming"}"#, #"disk_used_gb{service="storage"}"#]
        var rng = Xoshiro256(seed: 2026)
        let days = 35, holdout = 48, n = days * 24
        var truth: [[Double]] = []
        for (k, _) in names.enumerated() {
            var y: [Double] = []
            for t in 0..<n {
                let hourOfDay = Double(t % 24), day = (t / 24) % 7
                let daily = _sin(2 * Double.pi * (hourOfDay - 6) / 24)
                let weekend = day >= 5 ? 0.75 : 1.0
                var v: Double
                switch k {
                case 0: v = (1000 + 600 * daily) * weekend + 25 * rng.nextGaussian()
                case 1: v = 0.45 + 0.2 * daily * weekend + 0.0002 * Double(t) + 0.02 * rng.nextGaussian()
                case 2: v = 120 + 30 * daily + (t > n - 200 ? 40 : 0) + 6 * rng.nextGaussian() // a regression 8 days before the end
                default: v = 400 + 0.25 * Double(t) + 3 * rng.nextGaussian()
                }
                y.append(v)
            }
            truth.append(y)
        }
        var ids: [UInt32] = []
        for name in names { ids.append(try engine.seriesId(name)) }
        let t1 = Clock.nanos()
        for t in 0..<(n - holdout) {
            for k in 0..<names.count { try engine.observe(ids[k], ts: t0 + Int64(t) * hour, value: truth[k][t]) }
            if t % 24 == 0 { progress(Double(t) / Double(n)) }
        }
        let streamSeconds = Double(Clock.nanos() - t1) / 1e9
        var lines: [String] = []
        var maseSum = 0.0, covered = 0, total = 0
        var fcNanos: UInt64 = 0
        for k in 0..<names.count {
            var m = [Double](repeating: 0, count: holdout), lo = m, hi = m
            let f0 = Clock.nanos()
            try m.withUnsafeMutableBufferPointer { mb in
                try lo.withUnsafeMutableBufferPointer { lb in
                    try hi.withUnsafeMutableBufferPointer { hb in try engine.forecast(ids[k], level: 0.95, mean: mb, lo: lb, hi: hb) }
                }
            }
            fcNanos += Clock.nanos() - f0
            let actual = Array(truth[k][(n - holdout)..<n])
            var scale = 0.0
            for t in 24..<(n - holdout) { scale += Swift.abs(truth[k][t] - truth[k][t - 24]) }
            scale /= Double(n - holdout - 24)
            let mae = zip(m, actual).map { Swift.abs($0 - $1) }.reduce(0, +) / Double(holdout)
            maseSum += mae / scale
            for s in 0..<holdout where actual[s] >= lo[s] && actual[s] <= hi[s] { covered += 1 }
            total += holdout
        }
        progress(0.95)
        let info = try engine.info(ids[2])
        let disk = try engine.breach(ids[3], threshold: 605, above: true, horizon: 48)
        let cpu = try engine.breach(ids[1], threshold: 0.95, above: true, horizon: 48)
        let pts = (n - holdout) * names.count
        lines.append("\(names.count) hourly series x \(n - holdout) points streamed in \(fmt(streamSeconds, 2)) s (\(fmt(Double(pts) / streamSeconds / 1000, 1))K points/s incl. automatic refits)")
        lines.append("48-h forecasts on held-out data: mean MASE \(fmt(maseSum / Double(names.count), 3)), 95% interval coverage \(fmt(100 * Double(covered) / Double(total), 1))%")
        lines.append("forecast latency from the online models: \(fmt(Double(fcNanos) / Double(names.count) / 1000, 1)) us per 48-step forecast")
        lines.append("latency regression detected as drift: \(info.drifts) re-selection(s), \(info.fits) fits in all, period \(info.period)")
        lines.append("disk_used_gb > 605 within 48 h: p=\(fmt(disk.probability, 2)), expected in \(fmt(disk.expectedSteps, 1)) h, risk \(disk.level.name), impact \(fmt(disk.businessImpact, 2))")
        lines.append("checkout cpu > 95% within 48 h: p=\(fmt(cpu.probability, 2)), risk \(cpu.level.name)")
        progress(1)
        return lines
    }

    static func fmt(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "n/a" }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (x * p).rounded() / p
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let dec = s.distance(from: dot, to: s.endIndex) - 1
            if dec < digits { s += String(repeating: "0", count: digits - dec) }
        } else if digits > 0 { s += "." + String(repeating: "0", count: digits) }
        return s
    }
}
