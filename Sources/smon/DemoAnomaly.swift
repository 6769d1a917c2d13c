import SpotifyMonCore

/// The anomaly detector's part of `smon demo`: 2,000 generated series (daily-shaped traffic,
/// latency, CPU) with injected incidents, streamed round-robin through one detector.
enum AnomalyDemo {
    static func run(progress: (Double) -> Void) throws -> [String] {
        let seriesCount = 2000, steps = 600, incidentAt = 500
        let d = try AnomalyDetector(["detector.warmup": "150"])
        var rng = Xoshiro256(seed: 2024)
        var ids: [UInt32] = [], base: [Double] = [], hit: [Bool] = []
        let kinds = ["http_latency_ms", "cpu_usage", "stream_starts", "payment_errors"]
        for k in 0..<seriesCount {
            let service = ["api", "playback", "checkout", "search"][k % 4]
            ids.append(try d.series("\(kinds[k % 4]){service=\"\(service)\",host=\"h\(k)\"}"))
            base.append(50 + 50 * rng.nextUnit())
        }
        // Every 10th series gets an incident: a sustained jump at `incidentAt`.
        let incident = (0..<seriesCount).map { $0 % 10 == 0 }
        hit = Array(repeating: false, count: seriesCount)
        var falseAlarms = 0, flagged = 0
        var idBuf = [UInt32](repeating: 0, count: seriesCount), tsBuf = [Int64](repeating: 0, count: seriesCount)
        var vBuf = [Double](repeating: 0, count: seriesCount)
        var out = [AnomalyResult](repeating: AnomalyResult(), count: seriesCount)
        let t0 = Clock.nanos()
        for t in 0..<steps {
            for k in 0..<seriesCount {
                let season = 1 + 0.3 * _sin(Double(t) * 2 * .pi / 288)
                var v = base[k] * season + rng.nextGaussian() * base[k] * 0.03
                if incident[k], t >= incidentAt, t < incidentAt + 20 { v += base[k] * 0.8 }
                idBuf[k] = ids[k]; tsBuf[k] = 1_700_000_000_000 + Int64(t) * 300_000; vBuf[k] = v
            }
            try idBuf.withUnsafeBufferPointer { i in try tsBuf.withUnsafeBufferPointer { ts in
                try vBuf.withUnsafeBufferPointer { v in try out.withUnsafeMutableBufferPointer { o in
                    try d.observeBatch(ids: i, tsMs: ts, values: v, out: o) } } } }
            for k in 0..<seriesCount where out[k].isAnomaly {
                flagged += 1
                if incident[k] && t >= incidentAt && t < incidentAt + 30 { hit[k] = true } else { falseAlarms += 1 }
            }
            if t % 20 == 0 { progress(Double(t) / Double(steps)) }
        }
        let secs = Double(Clock.nanos() - t0) / 1e9
        let caught = (0..<seriesCount).filter { incident[$0] && hit[$0] }.count
        let total = incident.filter { $0 }.count
        let ex = try d.explain(id: ids[0])
        let groups = d.correlation.recentGroups(limit: 1000).count
        return [
            "\(seriesCount) series × \(steps) points = \(seriesCount * steps) observations in \(Int(secs * 1000)) ms (\(Int(Double(seriesCount * steps) / secs)) events/s, incl. data generation)",
            "incidents caught: \(caught)/\(total) series; false alarm points: \(falseAlarms) of \(seriesCount * steps) (\(flagged) flagged in all)",
            "correlation groups formed: \(groups)",
            "explanation of \(d.registry.key(ids[0])!.canonical): " + String(ex.prefix(160)) + "…",
        ]
    }
}
