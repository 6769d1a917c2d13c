import ArgumentParser
import SpotifyMonCore

/// `smon classify`
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "Classify alerts from JSONL (issue 6).")
    @Argument(parsing: .captureForPassthrough, help: "Arguments.") var rest: [String] = []
    func run() throws { throw CLIError("smon classify: this engine has not landed yet") }
}
