import ArgumentParser
import Endpoint
import Foundation
import GrafanaConfig
import Setup

/// The options both `serve` and the console take for the embedded endpoint,
/// and the one way they become a ready `Endpoint`.
struct EndpointOptions: ParsableArguments {
    static let defaultPort = 9310

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Option(help: "Port to listen on; 0 picks a free port.")
    var port: Int = EndpointOptions.defaultPort

    @Option(help: "Grafana namespace: default (org 1), org-N, or stacks-N (Grafana Cloud stack N). Default: the one setup chose, else default.")
    var namespace: String?

    @Option(help: "Address to listen on. Loopback by default; Okta reaches it through a tunnel or reverse proxy.")
    var host: String = "127.0.0.1"

    @Flag(help: "Turn on the enableSCIM feature toggle in the data directory's grafana.ini first.")
    var enableSCIM = false

    /// Validates the options, opens the data directory and prepares the
    /// endpoint; every problem is one sentence.
    func prepare() throws -> Endpoint {
        if let namespace, case .failure(let error) = GrafanaNamespace.parse(namespace) {
            throw Failure(error.description)
        }
        guard (0...65535).contains(port) else { throw Failure("--port must be between 0 and 65535.") }
        let directory = try dataDirectory.openDirectory()
        // The flag wins; else the namespace the setup wizard chose; else org 1.
        let chosen = namespace ?? SetupProgressStore(directory: directory).savedNamespace() ?? "default"
        guard case .success(let ns) = GrafanaNamespace.parse(chosen) else {
            throw Failure("The saved namespace \"\(chosen)\" is not valid; pass --namespace, or run scim-console setup again.")
        }
        let configuration = EndpointConfiguration(namespace: ns, dataDirectory: dataDirectory.resolved)
        if enableSCIM { try Self.enableToggle(at: configuration.iniPath) }
        do {
            return try Endpoint(directory: directory, configuration: configuration)
        } catch {
            throw Failure("Cannot prepare the admin password in \(dataDirectory.resolved): \(Failure.reason(error)).")
        }
    }

    /// The sentence for a server that could not start listening.
    func startFailure(_ error: String) -> Failure {
        if error.contains("Address already in use") {
            return Failure("Port \(port) on \(host) is already in use. Stop what uses it, or choose another with --port (0 picks a free one).")
        }
        if error.contains("Cannot assign requested address") || error.contains("not known") {
            return Failure("Cannot listen on \(host): it is not an address of this machine.")
        }
        return Failure("The endpoint could not start: \(error)")
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
}

extension FeatureToggleFile {
    var isSCIMOn: Bool { ((try? read())?.toggleState(Self.scimToggle)) == .on }
}
