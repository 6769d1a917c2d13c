import ArgumentParser
import SpotifyMonCore

/// `smon cluster`
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "Cluster the rows of a CSV (issue 5).")
    @Argument(parsing: .captureForPassthrough, help: "Arguments.") var rest: [String] = []
    func run() throws { throw CLIError("smon cluster: this engine has not landed yet") }
}
