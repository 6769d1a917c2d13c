import ArgumentParser
import SpotifyMonCore

/// `smon forecast`
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forecast", abstract: "Forecast series from a CSV (issue 4).")
    @Argument(parsing: .captureForPassthrough, help: "Arguments.") var rest: [String] = []
    func run() throws { throw CLIError("smon forecast: this engine has not landed yet") }
}
