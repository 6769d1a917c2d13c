import ArgumentParser
import SpotifyMonCore
import Foundation

/// `smon forecast FILE.csv --horizon H [--season M] [--level 95]`: reads `series,timestamp,value`
/// (timestamp: integer step or a date), fits each series automatically and prints
/// `series,step,forecast,lo,hi` (steps 1...H, series in order of first appearance).
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast every series of a CSV (series,timestamp,value) with intervals (issue 4).")

    @Argument(help: "CSV file with a header series,timestamp,value ('-' reads stdin).") var file: String
    @Option(help: "Steps to forecast.") var horizon: Int
    @Option(help: "Seasonal period in steps (0 or absent: detect).") var season: Int = 0
    @Option(help: "Interval level in percent (e.g. 95).") var level: Double = 95
    @Option(name: .customLong("set"), help: "Config KEY=VALUE (repeatable), e.g. forecaster.ensemble_size=3.")
    var settings: [String] = []

    func run() throws {
        guard horizon >= 1 else { throw CLIError("smon forecast: --horizon must be at least 1") }
        guard horizon <= OneShotForecast.maxHorizon else { throw CLIError("smon forecast: --horizon above \(OneShotForecast.maxHorizon)") }
        guard season >= 0 else { throw CLIError("smon forecast: --season must be 0 or more") }
        guard level > 0, level < 100 else { throw CLIError("smon forecast: --level must be in (0, 100)") }
        var config = Configuration()
        for s in settings {
            let kv = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw CLIError("smon forecast: --set needs KEY=VALUE, got \(s)") }
            do { try config.set(kv[0], kv[1]) } catch { throw CLIError("smon forecast: \(error)") }
        }
        let options = AutoOptions(config: config)
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let d = FileManager.default.contents(atPath: file) else { throw CLIError("smon forecast: cannot read \(file)") }
            text = String(decoding: d, as: UTF8.self)
        }
        let table = try ForecastCSV.parse(text)
        var out = "series,step,forecast,lo,hi\n"
        out.reserveCapacity(table.order.count * horizon * 40)
        var mean = [Double](repeating: 0, count: horizon), lo = mean, hi = mean
        for name in table.order {
            guard let values = table.series[name] else { continue }
            do {
                try values.withUnsafeBufferPointer { y in
                    try mean.withUnsafeMutableBufferPointer { m in
                        try lo.withUnsafeMutableBufferPointer { l in
                            try hi.withUnsafeMutableBufferPointer { h in
                                _ = try OneShotForecast.run(y, season: season, level: level / 100, options: options,
                                                            mean: m, lo: l, hi: h)
                            }
                        }
                    }
                }
            } catch {
                throw CLIError("smon forecast: series \(name): \(error)")
            }
            for s in 0..<horizon {
                out += ForecastCSV.field(name)
                out += ",\(s + 1),\(ForecastCSV.num(mean[s])),\(ForecastCSV.num(lo[s])),\(ForecastCSV.num(hi[s]))\n"
            }
            if out.utf8.count > 1 << 20 { FileHandle.standardOutput.write(out.data(using: .utf8)!); out = "" }
        }
        FileHandle.standardOutput.write(out.data(using: .utf8)!)
    }
}

/// The long-format CSV of `smon forecast`.
enum ForecastCSV {
    /// Parsed series, in order of first appearance; rows of a series are sorted by timestamp,
    /// and integer steps that skip values leave NaN gaps (filled by interpolation later).
    struct Table {
        var order: [String] = []
        var series: [String: [Double]] = [:]
    }

    static func parse(_ text: String) throws -> Table {
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard !lines.isEmpty else { throw CLIError("smon forecast: the file is empty") }
        let header = splitCSV(String(lines.removeFirst())).map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        guard let si = header.firstIndex(of: "series"), let ti = header.firstIndex(of: "timestamp"),
              let vi = header.firstIndex(of: "value") else {
            throw CLIError("smon forecast: the header must name series,timestamp,value (got \(header.joined(separator: ",")))")
        }
        var rows: [String: [(Double, Double)]] = [:]
        var table = Table()
        for (ln, raw) in lines.enumerated() {
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let f = splitCSV(line)
            guard f.count > Swift.max(si, ti, vi) else { throw CLIError("smon forecast: line \(ln + 2) has \(f.count) fields") }
            let name = f[si]
            let tsText = f[ti].trimmingCharacters(in: .whitespaces)
            let ts: Double
            if let v = Double(tsText), v.isFinite, Swift.abs(v) < 1e18 { ts = v } else if let ms = Timestamp.parseMillis(tsText) { ts = Double(ms) } else {
                throw CLIError("smon forecast: line \(ln + 2): bad timestamp \"\(tsText.prefix(40))\"")
            }
            let vText = f[vi].trimmingCharacters(in: .whitespaces)
            let v = Double(vText) ?? .nan // empty / NA = missing
            if rows[name] == nil { table.order.append(name); rows[name] = [] }
            rows[name]!.append((ts, v))
        }
        for name in table.order {
            var r = rows[name]!
            r.sort { $0.0 < $1.0 }
            // the sampling step: the smallest positive difference; gaps become NaN
            var step = Double.infinity
            for i in 1..<Swift.max(r.count, 1) where i < r.count {
                let d = r[i].0 - r[i - 1].0
                if d > 0 && d < step { step = d }
            }
            var vals: [Double] = []
            vals.reserveCapacity(r.count)
            for i in 0..<r.count {
                if i > 0 && step.isFinite {
                    let d = r[i].0 - r[i - 1].0
                    if d <= 0 { vals[vals.count - 1] = r[i].1; continue } // duplicate: last wins
                    let missing = Int(Swift.min((d / step).rounded() - 1, 100_000))
                    if missing > 0 { vals += [Double](repeating: .nan, count: missing) }
                }
                vals.append(r[i].1)
            }
            table.series[name] = vals
        }
        return table
    }

    static func splitCSV(_ line: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        var it = line.makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" {
                    if let n = it.next() {
                        if n == "\"" { cur.append("\"") } else { quoted = false; if n == "," { out.append(cur); cur = "" } else { cur.append(n) } }
                    } else { quoted = false }
                } else { cur.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(cur); cur = "" } else if c != "\r" { cur.append(c) }
        }
        out.append(cur)
        return out
    }

    static func field(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func num(_ x: Double) -> String {
        x.isFinite ? String(x) : "0"
    }
}
