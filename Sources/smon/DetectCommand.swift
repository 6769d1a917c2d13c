import ArgumentParser
import Foundation
import SpotifyMonCore

/// `smon detect FILE.csv`: streams a metric CSV through the anomaly detector, causally.
///
/// Input `timestamp,value` (NAB layout, one series) or long form `timestamp,series,value`
/// (columns found by header name, else by position). Output on stdout, one row per input
/// row in input order: `timestamp,series,value,score,anomaly,severity`, timestamps and values
/// echoed as written. A row whose value is not a finite number is echoed with score 0.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "detect", abstract: "Score a metric CSV for anomalies (issue 3).")

    @Argument(help: "CSV file: timestamp,value or timestamp,series,value.") var file: String
    @Option(name: .customLong("set"), help: "Config override KEY=VALUE (repeatable), e.g. --set detector.threshold=0.6.")
    var overrides: [String] = []
    @Flag(help: "Append the explanation JSON of each anomaly to stderr.") var explain = false
    @Flag(help: "Append raw ensemble and member scores (raw,robust,forest,gru,prototype,drift) to each row.") var debug = false

    func run() throws {
        var config = Configuration()
        for o in overrides {
            let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw CLIError("--set expects KEY=VALUE, got \(o)") }
            do { try config.set(kv[0], kv[1]) } catch let e as SMONError { throw CLIError(e.message) }
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
        let text = String(decoding: data, as: UTF8.self)
        let detector: AnomalyDetector
        do { detector = try AnomalyDetector(config: config) } catch let e as SMONError { throw CLIError(e.message) }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let defaultSeries = stem.isEmpty ? "value" : String(stem.map { $0 == "{" || $0 == "}" || $0 == "\"" ? "_" : $0 })

        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard !lines.isEmpty else { throw CLIError("\(file) is empty") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var tsCol = header.firstIndex(of: "timestamp") ?? 0
        var valCol = header.firstIndex(of: "value") ?? (header.count >= 3 ? 2 : 1)
        var serCol: Int? = header.firstIndex(of: "series")
        if header.firstIndex(of: "timestamp") == nil, header.count >= 3 { tsCol = 0; serCol = 1; valCol = 2 }
        if serCol == nil, header.count >= 3, header.firstIndex(of: "value") == nil { serCol = 1; valCol = 2 }

        var out = "timestamp,series,value,score,anomaly,severity" + (debug ? ",raw,robust,forest,gru,prototype,drift\n" : "\n")
        out.reserveCapacity(lines.count * 64)
        var ids: [String: UInt32] = [:]
        var lastTs: Int64 = 0
        let stdout = FileHandle.standardOutput
        for (n, line) in lines.enumerated() {
            let cols = Self.fields(line)
            guard cols.count > Swift.max(tsCol, valCol, serCol ?? 0) else {
                throw CLIError("\(file): line \(n + 2) has \(cols.count) columns")
            }
            let tsText = Substring(cols[tsCol])
            let valText = cols[valCol].trimmingCharacters(in: .whitespaces)
            let series = serCol.map { String(cols[$0]).trimmingCharacters(in: .whitespaces) } ?? defaultSeries
            guard let ts = Timestamp.parseMillis(tsText) else {
                throw CLIError("\(file): line \(n + 2): unrecognised timestamp \"\(tsText.prefix(40))\"")
            }
            lastTs = ts
            let id: UInt32
            if let known = ids[series] { id = known } else {
                do { id = try detector.series(series.isEmpty ? "series" : series) }
                catch let e as SMONError { throw CLIError("\(file): line \(n + 2): \(e.message)") }
                ids[series] = id
            }
            var score = 0.0, anomaly = false, severity: Int32 = 0, extra = ""
            if let v = Double(valText), v.isFinite {
                let r = try detector.observe(id: id, tsMs: ts, value: v)
                score = r.score; anomaly = r.isAnomaly; severity = r.severity
                if debug, let st = detector.state(of: id) {
                    extra = ",\(r.rawScore),\(st.lastMembers[0]),\(st.lastMembers[1]),\(st.lastMembers[2]),\(st.lastMembers[3]),\(r.drift)"
                }
                if explain && anomaly {
                    FileHandle.standardError.write(((try? detector.explain(id: id)) ?? "{}").appending("\n").data(using: .utf8)!)
                }
            }
            out += Self.quoted(String(tsText)); out += ","; out += Self.quoted(series); out += ","; out += Self.quoted(valText); out += ","
            out += String(score); out += anomaly ? ",1," : ",0,"; out += String(severity); out += extra; out += "\n"
            if out.utf8.count > 1 << 20 { stdout.write(out.data(using: .utf8)!); out = "" }
        }
        _ = lastTs
        stdout.write(out.data(using: .utf8)!)
    }

    /// Splits one CSV line into fields (RFC 4180 quotes: `"a,b"` and `""` inside quotes).
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], cur = "", inQuotes = false
        var it = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { cur.append("\"") } else { inQuotes = false; pending = n } }
                    else { inQuotes = false }
                } else { cur.append(c) }
            } else if c == "\"" && cur.isEmpty { inQuotes = true }
            else if c == "," { out.append(cur); cur = "" }
            else if c != "\r" && c != "\r\n" { cur.append(c) }
        }
        out.append(cur)
        return out
    }

    /// A field for CSV output: quoted when it holds a comma, a quote or a line break.
    static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
