import ArgumentParser
import Console
import Directory
import Endpoint
import Foundation
import GrafanaConfig
import GrafanaMirror
import Hummingbird
import Logging
import NIOPosix
import Setup
import TerminalUI

/// `scim-console`: the live console over the embedded endpoint.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console (the default): the setup wizard until the guide is done, then the live pane of users, teams and SCIM requests.")

    @OptionGroup var options: EndpointOptions

    @OptionGroup(title: "Relay to a real Grafana") var relay: RelayOptions

    @OptionGroup(title: "Mirror a real Grafana's users and teams") var mirrorOptions: MirrorOptions

    @Option(help: "Theme name (from Themes/) or path to a theme file.")
    var theme: String?

    @Flag(help: "Hide the hand actions (deactivate, reactivate).")
    var readOnly = false

    @Flag(inversion: .prefixedNo,
          help: "Use the mouse: a click selects a row, a tab or a button, the wheel scrolls. --no-mouse leaves it to the terminal (its own text selection; Shift-drag selects with the mouse on, in most terminals).")
    var mouse = true

    @Flag(help: "Forget the setup wizard's saved progress and start the guide over.")
    var resetSetup = false

    @Flag(help: "Open the live pane even if the setup wizard has not finished.")
    var skipSetup = false

    func run() async throws {
        // The embedded endpoint serves Okta here too; ncurses has its own thread (below).
        Endpoint.runTasksOnEventLoops()
        try await reportingFailures {
            guard isatty(0) == 1, isatty(1) == 1 else { throw Failure(TerminalError.notATerminal.description) }
            let named = try mirrorOptions.watched(relaying: relay.relayTo != nil)
            // Without a flag naming a Grafana, the mode the setup wizard chose for one, if it chose.
            let followSaved = named == nil && relay.relayTo == nil && !resetSetup
            let endpoint = try options.prepare(relay: relay, watching: named != nil, followSaved: followSaved)
            let directory = endpoint.directory
            let configuration = endpoint.configuration
            let store = SetupProgressStore(directory: directory)
            let progress = store.load()
            let saved = followSaved ? progress?.followedGrafana : nil
            let watched = named ?? (saved?.mode == .watch ? saved?.target : nil)
            // The Grafana relayed to, or watched, is mirrored: its users and teams in a data set of their own.
            var mirror: Mirror?
            // Held in memory only: the mirror reads with it, and `r` replays with it.
            let token = try MirrorOptions.token(file: mirrorOptions.tokenFile, savedFile: progress?.answers.tokenFile)
            if let target = endpoint.relay?.target ?? watched {
                mirror = try MirrorOptions.mirror(of: target, dataDirectory: configuration.dataDirectory, log: directory.requestLog,
                                                  token: token, verifyTLS: !relay.insecureSkipTLSVerify && saved?.verifyTLS != false,
                                                  interval: mirrorOptions.mirrorInterval)
            }
            if let mirror, let relay = endpoint.relay {
                relay.onAnswer { answer in
                    Task { await mirror.apply(method: answer.method, path: answer.path, status: answer.status, body: answer.body) }
                }
            }
            if resetSetup {
                do { try store.reset() } catch { throw Failure("Cannot reset the setup progress: \(Failure.reason(error)).") }
            }
            let (chosenTheme, warning) = ThemeLibrary.standard().resolve(theme)

            // The endpoint logs to a file: curses owns the screen.
            let sink = FileLogHandler.Sink(path: "\(configuration.dataDirectory)/scim-console.log")
            let logger = Logger(label: "scim-console") { label in FileLogHandler(label: label, sink: sink) }
            let server = try await EmbeddedServer.start(endpoint, options: options, logger: logger,
                                                        more: mirror.map { [DirectoryService($0.store), $0] } ?? [])
            let localBase = server.baseURL(options)
            // A relay's users are Grafana's: without a mirror that can act there, the hand actions are off.
            let readOnly = self.readOnly || (endpoint.relay != nil || mirror != nil) && mirror?.hasToken != true
            let makeLivePane = { () -> LivePane in
                var base = endpoint.served.scimBasePath
                var relayed: LivePane.Relayed?
                if let relay = endpoint.relay {
                    base = "\(ConnectorURL.pathPrefix)/\(relay.target.namespace)"
                    relayed = LivePane.Relayed(host: relay.target.host, namespace: "\(relay.target.namespace)",
                                               isUnreachable: { relay.isUnreachable })
                } else if let watched {
                    base = "\(ConnectorURL.pathPrefix)/\(watched.namespace)"
                }
                // A replay goes to this console's endpoint, which relays it when relaying.
                let replay = watched != nil ? nil : LivePane.Replaying(
                    base: localBase, token: token,
                    destination: endpoint.relay.map { "Grafana at \($0.target.host) through the relay" } ?? "the embedded endpoint")
                let pane = LivePane(directory: mirror?.store ?? directory, log: directory, configuration: .init(
                    endpointURL: localBase + base, scimBasePath: base, readOnly: readOnly, relay: relayed, mirror: mirror,
                    exportFolder: "\(configuration.dataDirectory)/exports", replay: replay))
                if let warning { pane.say(warning, .warn, Date()) }
                return pane
            }
            var wizard: SetupWizard?
            // A relay was set up against its Grafana already: the pane is what it is for.
            if !skipSetup, endpoint.relay == nil, watched == nil, !store.isFinished {
                let embedded = EmbeddedGrafanaInfo(
                    baseURL: localBase, adminPassword: try EmbeddedServer.adminPassword(endpoint),
                    iniPath: configuration.iniPath, serve: { endpoint.served.set($0) })
                wizard = SetupWizard(store: store, embedded: embedded, localBaseURL: localBase)
            }
            let app = ConsoleApp(wizard: wizard, makeLivePane: makeLivePane)
            let runner = TerminalRunner(app: app, options: TerminalOptions(theme: chosenTheme, mouse: mouse))
            app.runWork = { work in
                Task { runner.post(.wizard(await work())) }
            }
            app.runPaneWork = { work in
                Task { runner.post(.pane(await work())) }
            }
            mirror?.onStateChange { _ in runner.post(.mirrorState) }
            let events = directory.events.subscribe()
            let forwarder = Task {
                for await event in events { runner.post(.directory(event)) }
            }
            // The mirror's changes; its own request log stays empty (the console's logs its requests).
            let mirrorEvents = mirror?.store.events.subscribe()
            let mirrorForwarder = Task {
                guard let mirrorEvents else { return }
                for await event in mirrorEvents { runner.post(.directory(event)) }
            }
            let status: Int32
            do {
                status = try await Self.runOnOwnThread(runner)
            } catch let error as TerminalError {
                await server.stop()
                throw Failure(error.description)
            }
            forwarder.cancel()
            mirrorForwarder.cancel()
            await server.stop()  // and, after the server, the Directory's service closes the Directory
            if status != 0 { throw ExitCode(status) }
        }
    }

    /// ncurses gets a thread of its own, from a pool of one that is shut
    /// down when the terminal is given back: its loop blocks in `poll`, which
    /// must not hold one of Swift concurrency's few threads.
    static func runOnOwnThread(_ runner: TerminalRunner<ConsoleApp>) async throws -> Int32 {
        let terminalThread = NIOThreadPool(numberOfThreads: 1)
        terminalThread.start()
        defer { terminalThread.shutdownGracefully { _ in } }
        return try await terminalThread.runIfActive { try runner.run() }
    }
}
