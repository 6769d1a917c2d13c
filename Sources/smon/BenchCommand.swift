import ArgumentParser
import SpotifyMonCore

/// `smon bench`
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Run the throughput benchmarks.")
    @Argument(parsing: .captureForPassthrough, help: "Arguments.") var rest: [String] = []
    func run() throws { throw CLIError("smon bench: this engine has not landed yet") }
}
