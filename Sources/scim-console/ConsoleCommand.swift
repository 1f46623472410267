import ArgumentParser
import Console
import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Hummingbird
import Logging
import TerminalUI

/// `scim-console`: the live console over the embedded endpoint.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the live console: provisioned users, teams and SCIM requests as they arrive (the default).")

    @OptionGroup var options: EndpointOptions

    @Option(help: "Theme name (from Themes/) or path to a theme file.")
    var theme: String?

    @Flag(help: "Hide the hand actions (deactivate, reactivate).")
    var readOnly = false

    @Flag(help: "Capture the mouse (wheel scrolls, click selects); this stops terminal text selection.")
    var mouse = false

    func run() async throws {
        try await reportingFailures {
            guard isatty(0) == 1, isatty(1) == 1 else { throw Failure(TerminalError.notATerminal.description) }
            let endpoint = try options.prepare()
            let directory = endpoint.directory
            let configuration = endpoint.configuration
            let (chosenTheme, warning) = ThemeLibrary.standard().resolve(theme)

            // The endpoint logs to a file: curses owns the screen.
            let sink = FileLogHandler.Sink(path: "\(configuration.dataDirectory)/scim-console.log")
            let logger = Logger(label: "scim-console") { label in FileLogHandler(label: label, sink: sink) }
            let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
            let app = endpoint.application(host: options.host, port: options.port, logger: logger) { port in
                portContinuation.yield(port)
                portContinuation.finish()
            }
            // Either the server reports its port, or it fails and ends the port stream.
            let server = Task { () -> String? in
                do {
                    try await app.run()
                    return nil
                } catch {
                    portContinuation.finish()
                    return String(describing: error)
                }
            }
            var ports = portStream.makeAsyncIterator()
            guard let actualPort = await ports.next() else {
                throw options.startFailure(await server.value ?? "it stopped")
            }
            let url = "http://\(options.host):\(actualPort)\(configuration.scimBasePath)"
            let pane = LivePane(directory: directory, configuration: .init(
                endpointURL: url, scimBasePath: configuration.scimBasePath, readOnly: readOnly))
            if let warning { pane.say(warning, .warn, Date()) }
            let runner = TerminalRunner(app: pane, options: TerminalOptions(theme: chosenTheme, mouse: mouse))
            let events = directory.events.subscribe()
            let forwarder = Task {
                for await event in events { runner.post(event) }
            }
            let status: Int32
            do {
                status = try await Self.runOnOwnThread(runner)
            } catch let error as TerminalError {
                server.cancel()
                throw Failure(error.description)
            }
            forwarder.cancel()
            server.cancel()
            _ = await server.value
            if status != 0 { throw ExitCode(status) }
        }
    }

    /// ncurses gets a thread of its own: its loop blocks in `poll`, which
    /// must not hold one of Swift concurrency's few threads.
    static func runOnOwnThread(_ runner: TerminalRunner<LivePane>) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try runner.run()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = "terminal"
            thread.start()
        }
    }
}
