import ArgumentParser
import SpotifyMonCore

/// `smon`: the command-line face of spotifymon (as `sqlite3` is to `sqlite3_*`).
@main
struct SMON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smon",
        abstract: "spotifymon: anomaly detection, alert classification, forecasting and clustering for monitoring data.",
        version: LibraryVersion.string,
        subcommands: [VersionCommand.self, DetectCommand.self, ClassifyCommand.self, ForecastCommand.self,
                      ClusterCommand.self, DemoCommand.self, BenchCommand.self])
}

/// `smon version`
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the library version.")
    func run() { print("smon \(LibraryVersion.string)") }
}

/// A CLI failure: printed to stderr by ArgumentParser, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
