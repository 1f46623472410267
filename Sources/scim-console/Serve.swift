import ArgumentParser
import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Hummingbird
import Logging
import Setup

/// `scim-console serve`: the embedded endpoint, headless.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the embedded Grafana-compatible SCIM endpoint without the console.")

    @OptionGroup var options: EndpointOptions

    @OptionGroup(title: "Relay to a real Grafana") var relay: RelayOptions

    func run() async throws {
        // Nothing here blocks for long: handlers may run on the event loops.
        Endpoint.runTasksOnEventLoops()
        try await reportingFailures {
            let endpoint = try options.prepare(relay: relay)
            let configuration = endpoint.configuration
            var logger = Logger(label: "scim-console")
            logger.logLevel = .warning
            let host = options.host
            let scheme = options.scheme
            if let warning = options.plainHTTPWarning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
            // The Directory's service runs beside the server; on SIGTERM or SIGINT the server stops
            // first, then the queued writes and exchanges reach the disk and the Directory closes.
            let app = try endpoint.application(host: host, port: options.port, logger: logger,
                                               server: try options.serverOptions(),
                                               services: [DirectoryService(endpoint.directory),
                                                          DiskSpaceWatch(endpoint.directory, logger: logger)]
                                                   + (endpoint.relay.map { [$0] } ?? [])) { port in
                let base = "\(scheme)://\(host):\(port)"
                if let relay = endpoint.relay {
                    Self.say("""
                        Listening on \(base)
                        Relaying SCIM to \(relay.target) (Grafana decides; Okta's token passes through and is never kept).
                        Connector URL: \(base)\(ConnectorURL.pathPrefix)/\(relay.target.namespace)
                        Give Okta that connector URL, through your tunnel or proxy. Stop with Ctrl-C.
                        """)
                    return
                }
                Self.say("""
                    Listening on \(base)
                    Connector URL: \(base)\(configuration.scimBasePath)
                    SCIM toggle: \(FeatureToggleFile(path: configuration.iniPath).isSCIMOn ? "on" : "off (start with --enable-scim)")
                    Admin login for /api: admin / password in \(configuration.adminPasswordPath)
                    Stop with Ctrl-C.
                    """)
            }
            do {
                try await app.runService()
            } catch {
                throw options.startFailure(String(describing: error))
            }
            // Said once more on the way out: the warnings while serving came at the first and every thousandth.
            let (cut, unlogged) = (endpoint.directory.requestLog.responseBodiesNotKept, endpoint.directory.requestLog.unloggedExchanges)
            if cut > 0 || unlogged > 0 {
                Self.say("The request log's writer fell behind: \(cut) exchanges logged without their response bodies, "
                         + "\(unlogged) not logged.")
            }
        }
    }

    /// Prints and flushes at once: scripts wait for these lines on a pipe.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
