import ArgumentParser
import SpotifyMonCore

/// `smon demo`: streams generated data through every engine and prints a summary.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run every engine on generated data and summarise.")
    func run() throws {
        print("spotifymon \(LibraryVersion.string) demo")
    }
}
