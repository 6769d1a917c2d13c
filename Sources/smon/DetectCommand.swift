import ArgumentParser
import SpotifyMonCore

/// `smon detect`
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "detect", abstract: "Score a metric CSV for anomalies (issue 3).")
    @Argument(parsing: .captureForPassthrough, help: "Arguments.") var rest: [String] = []
    func run() throws { throw CLIError("smon detect: this engine has not landed yet") }
}
