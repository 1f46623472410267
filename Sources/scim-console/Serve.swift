import ArgumentParser
import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Hummingbird
import Logging

/// `scim-console serve`: the embedded endpoint, headless.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the embedded Grafana-compatible SCIM endpoint without the console.")

    static let defaultPort = 9310

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Option(help: "Port to listen on; 0 picks a free port and prints it.")
    var port: Int = Serve.defaultPort

    @Option(help: "Grafana namespace: default (org 1), org-N, or stacks-N (Grafana Cloud stack N).")
    var namespace: String = "default"

    @Option(help: "Address to listen on. Loopback by default; Okta reaches it through a tunnel or reverse proxy.")
    var host: String = "127.0.0.1"

    @Flag(help: "Turn on the enableSCIM feature toggle in the data directory's grafana.ini.")
    var enableSCIM = false

    func run() async throws {
        try await reportingFailures {
            let ns: GrafanaNamespace
            switch GrafanaNamespace.parse(namespace) {
            case .success(let n): ns = n
            case .failure(let error): throw Failure(error.description)
            }
            guard (0...65535).contains(port) else { throw Failure("--port must be between 0 and 65535.") }
            let directory = try dataDirectory.openDirectory()
            let configuration = EndpointConfiguration(namespace: ns, dataDirectory: dataDirectory.resolved)
            if enableSCIM { try Self.enableToggle(at: configuration.iniPath) }
            let endpoint: Endpoint
            do {
                endpoint = try Endpoint(directory: directory, configuration: configuration)
            } catch {
                throw Failure("Cannot prepare the admin password in \(dataDirectory.resolved): \(Failure.reason(error)).")
            }
            var logger = Logger(label: "scim-console")
            logger.logLevel = .warning
            let host = self.host
            let app = endpoint.application(host: host, port: port, logger: logger) { port in
                let base = "http://\(host):\(port)"
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
                let text = String(describing: error)
                if text.contains("Address already in use") {
                    throw Failure("Port \(port) on \(host) is already in use. Stop what uses it, or choose another with --port (0 picks a free one).")
                }
                if text.contains("Cannot assign requested address") || text.contains("not known") {
                    throw Failure("Cannot listen on \(host): it is not an address of this machine.")
                }
                throw Failure("The endpoint stopped: \(text)")
            }
        }
    }

    static func enableToggle(at path: String) throws {
        let file = FeatureToggleFile(path: path)
        do {
            var ini = try file.read()
            guard ini.toggleState(FeatureToggleFile.scimToggle) != .on else { return }
            ini.enableToggle(FeatureToggleFile.scimToggle)
            try file.write(ini)
        } catch {
            throw Failure("Cannot turn on enableSCIM in \(path): \(Failure.reason(error)).")
        }
    }

    /// Prints and flushes at once: scripts wait for these lines on a pipe.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

extension FeatureToggleFile {
    var isSCIMOn: Bool { ((try? read())?.toggleState(Self.scimToggle)) == .on }
}
