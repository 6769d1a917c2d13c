import ArgumentParser
import Foundation
import SpotifyMonCore

/// `smon cluster FILE.csv --algorithm ...`: clusters the rows of a CSV whose numeric columns
/// are the features; prints `row,cluster,anomaly_score` (DBSCAN noise = -1).
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "Cluster the rows of a CSV (issue 5).")

    @Argument(help: "CSV file (a header row is optional; numeric columns are features).") var file: String
    @Option(help: "kmeans | minibatch | dbscan | gmm | spectral | agglomerative | stream") var algorithm = "kmeans"
    @Option(help: "Number of clusters (0 or absent: automatic).") var k: Int?
    @Option(help: "DBSCAN radius.") var eps: Double?
    @Option(name: .customLong("min-samples"), help: "DBSCAN core threshold.") var minSamples: Int?
    @Flag(help: "Standardise features first.") var standardize = false
    @Option(help: "Column to leave out (name or 0-based index); repeatable.") var ignore: [String] = []
    @Option(help: "Extra config KEY=VALUE (e.g. clusterer.linkage=average); repeatable.") var set: [String] = []

    func run() throws {
        guard ClusterConfigKeys.algorithms.contains(algorithm) else {
            throw CLIError("smon cluster: unknown algorithm \"\(algorithm)\" (\(ClusterConfigKeys.algorithms.joined(separator: "|")))")
        }
        let table = try CSVFeatures.load(path: file, ignore: ignore)
        var settings = ["clusterer.algorithm": algorithm, "clusterer.standardize": standardize ? "true" : "false"]
        if let k { settings["clusterer.k"] = String(k) }
        if let eps { settings["clusterer.eps"] = String(eps) }
        if let minSamples { settings["clusterer.min_samples"] = String(minSamples) }
        for kv in set {
            let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw CLIError("smon cluster: --set expects KEY=VALUE, got \"\(kv)\"") }
            settings[parts[0]] = parts[1]
        }
        let engine: ClusterEngine
        do { engine = try ClusterEngine(settings) } catch { throw CLIError("smon cluster: \(error)") }
        var scores = [Double](repeating: 0, count: table.rows)
        do {
            try table.values.withPoints(n: table.rows, d: table.cols) { x in
                try engine.fit(x)
                try scores.withUnsafeMutableBufferPointer { try engine.predict(x, labels: nil, scores: $0.baseAddress!) }
            }
        } catch { throw CLIError("smon cluster: \(error)") }
        let labels = engine.labels
        var out = "row,cluster,anomaly_score\n"
        out.reserveCapacity(table.rows * 24)
        for i in 0..<table.rows {
            out += "\(i),\(labels[i]),\(String(format: "%.6f", scores[i]))\n"
        }
        FileHandle.standardOutput.write(out.data(using: .utf8)!)
        let m = engine.metrics
        FileHandle.standardError.write(("smon cluster: \(algorithm), \(table.rows) rows x \(table.cols) features (\(table.names.joined(separator: ","))), "
            + "\(m.clusters) clusters, \(m.noise) noise, silhouette \(String(format: "%.3f", m.silhouette))\n").data(using: .utf8)!)
    }
}

/// The numeric columns of a CSV file as a row-major matrix.
struct CSVFeatures {
    var names: [String]
    var values: [Double]
    var rows: Int
    var cols: Int

    static func load(path: String, ignore: [String]) throws -> CSVFeatures {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CLIError("smon cluster: cannot read \(path) as UTF-8 text")
        }
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map { String($0) }
        lines.removeAll { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { throw CLIError("smon cluster: \(path) is empty") }
        func fields(_ l: String) -> [String] { l.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        let first = fields(lines[0])
        let hasHeader = first.contains { Double($0) == nil }
        let header = hasHeader ? first : (0..<first.count).map { "c\($0)" }
        let body = hasHeader ? Array(lines.dropFirst()) : lines
        guard !body.isEmpty else { throw CLIError("smon cluster: \(path) has no data rows") }
        let width = header.count
        var cells: [[String]] = []
        cells.reserveCapacity(body.count)
        for (i, l) in body.enumerated() {
            let f = fields(l)
            guard f.count == width else { throw CLIError("smon cluster: data row \(i) has \(f.count) fields, the header \(width)") }
            cells.append(f)
        }
        var keep: [Int] = []
        for c in 0..<width {
            if ignore.contains(header[c]) || ignore.contains(String(c)) { continue }
            if cells.allSatisfy({ Double($0[c]).map { $0.isFinite } ?? false }) { keep.append(c) }
        }
        guard !keep.isEmpty else { throw CLIError("smon cluster: no numeric feature column in \(path)") }
        var values = [Double](); values.reserveCapacity(cells.count * keep.count)
        for r in cells { for c in keep { values.append(Double(r[c])!) } }
        return CSVFeatures(names: keep.map { header[$0] }, values: values, rows: cells.count, cols: keep.count)
    }
}
