import ArgumentParser
import Directory
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

    @Flag(help: "Turn on the enableSCIM feature toggle (and the [auth.scim] sync switches) in the data directory's grafana.ini first.")
    var enableSCIM = false

    @Option(help: "PEM certificate (chain) to serve HTTPS with; needs --tls-key.")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "SCIM requests per second allowed per token (429 with Retry-After beyond it); default: no limit.")
    var rateLimit: Double?

    /// The HTTP server's options: HTTPS when a certificate is given.
    func serverOptions() throws -> ServerOptions {
        switch (tlsCert, tlsKey) {
        case (nil, nil): return ServerOptions()
        case (let cert?, let key?):
            do { _ = try ServerOptions.tlsConfiguration(certificate: cert, key: key) } catch { throw Failure("\(error)") }
            return ServerOptions(tls: (cert, key))
        default: throw Failure("--tls-cert and --tls-key go together: give both, or neither for plain HTTP.")
        }
    }

    var scheme: String { tlsCert == nil ? "http" : "https" }

    /// Plain HTTP on an address other machines can reach carries tokens in the clear.
    var plainHTTPWarning: String? {
        guard tlsCert == nil, !["127.0.0.1", "::1", "localhost"].contains(host) else { return nil }
        return "Warning: serving plain HTTP on \(host): tokens and user data cross the network unencrypted. Use --tls-cert/--tls-key, or keep loopback and put a TLS-terminating proxy in front."
    }

    /// Validates the options, opens the data directory and prepares the
    /// endpoint; every problem is one sentence.
    /// `followSaved`: with no flag naming a Grafana, relay to the one the setup wizard chose to relay to.
    func prepare(relay relayOptions: RelayOptions? = nil, watching: Bool = false, followSaved: Bool = false) throws -> Endpoint {
        if let namespace, case .failure(let error) = GrafanaNamespace.parse(namespace) {
            throw Failure(error.description)
        }
        guard (0...65535).contains(port) else { throw Failure("--port must be between 0 and 65535.") }
        if let rateLimit, !(rateLimit > 0 && rateLimit.isFinite) { throw Failure("--rate-limit must be a positive number of requests per second.") }
        let directory = try dataDirectory.openDirectory(serving: true)
        let saved = followSaved ? SetupProgressStore(directory: directory).load()?.followedGrafana : nil
        let relay = try relayOptions?.relay(watching: watching, saved: saved?.mode == .relay ? (saved!.target, saved!.verifyTLS) : nil)
        // Held while this process runs: `restore` will not replace the database under it.
        ServingLock.holdWhileServing(dataDirectory: dataDirectory.resolved)
        // The flag wins; else the namespace the setup wizard chose; else org 1.
        let chosen = namespace ?? SetupProgressStore(directory: directory).savedNamespace() ?? "default"
        guard case .success(let ns) = GrafanaNamespace.parse(chosen) else {
            throw Failure("The saved namespace \"\(chosen)\" is not valid; pass --namespace, or run scim-console setup again.")
        }
        var configuration = EndpointConfiguration(namespace: ns, dataDirectory: dataDirectory.resolved)
        configuration.rateLimit = rateLimit
        if enableSCIM { try Self.enableToggle(at: configuration.iniPath) }
        do {
            return try Endpoint(directory: directory, configuration: configuration, relay: relay)
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

    /// `--enable-scim`: the wizard's toggle step, applied without review.
    static func enableToggle(at path: String) throws {
        do {
            try FeatureToggleStep.apply(FeatureToggleStep.plan(path: path))
        } catch {
            throw Failure(error.description)
        }
    }
}

extension FeatureToggleFile {
    var isSCIMOn: Bool { ((try? read())?.toggleState(Self.scimToggle)) == .on }
}
