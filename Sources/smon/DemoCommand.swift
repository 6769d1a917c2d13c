import ArgumentParser
import SpotifyMonCore
#if canImport(Glibc)
import Glibc
#endif

/// `smon demo`: streams generated data through every engine, with a progress bar per engine
/// and a readable summary at the end.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run every engine on generated data and print a summary.")

    /// One engine's part of the demo: runs it, reporting progress, and returns summary lines.
    typealias Stage = (title: String, run: (_ progress: (Double) -> Void) throws -> [String])

    /// The stages, in the order the product description presents the engines.
    static let stages: [Stage] = [
        // ==== demo stages (one line per engine) ====
        ("Real-time anomaly detector", { try AnomalyDemo.run(progress: $0) }),
        ("Intelligent alert classifier", { try AlertsDemo.run(progress: $0) }),
        ("Predictive analytics", { try ForecastDemo.run(progress: $0) }),
        ("Adaptive clustering", { try ClusterDemo.run(progress: $0) }),
    ]

    func run() throws {
        print("spotifymon \(LibraryVersion.string) — demo on generated data, all engines in-process\n")
        var summaries: [(String, [String], Double)] = []
        for stage in Self.stages {
            var bar = ProgressBar(stage.title)
            let start = Clock.nanos()
            let lines = try stage.run { bar.update($0) }
            bar.update(1)
            summaries.append((stage.title, lines, Double(Clock.nanos() - start) / 1e9))
        }
        print("")
        for (title, lines, seconds) in summaries {
            print("== \(title) (\(formatSeconds(seconds)))")
            for line in lines { print("   \(line)") }
            print("")
        }
        if summaries.isEmpty { print("no engine has landed yet") }
    }

    private func formatSeconds(_ s: Double) -> String {
        s < 1 ? "\(Int(s * 1000)) ms" : "\(Double(Int(s * 100)) / 100) s"
    }
}
