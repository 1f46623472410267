import ArgumentParser
import Endpoint
import Setup

/// `--relay-to` and its companions, for `serve` and the console: SCIM passed
/// on to a real Grafana instead of answered here.
struct RelayOptions: ParsableArguments {
    @Option(help: "Relay SCIM to this Grafana instead of answering it here: its connector URL (https://HOST/apis/scim.grafana.app/v0alpha1/namespaces/NS). Okta's token passes through and is never kept.")
    var relayTo: String?

    @Option(help: "Seconds to wait for the relayed Grafana's answer before answering 504.")
    var relayTimeout: Double = 30

    @Flag(help: "Do not verify the relayed Grafana's TLS certificate (a self-signed test instance).")
    var insecureSkipTLSVerify = false

    /// The relay `--relay-to` asks for, or nil; a bad URL or timeout is one sentence.
    /// `watching`: the console watches a Grafana (`--grafana`), which the TLS flag may also be for.
    /// `saved`: the Grafana the setup wizard chose to relay to, when no flag names one.
    func relay(watching: Bool = false, saved: (target: ConnectorURL, verifyTLS: Bool)? = nil) throws -> Relay? {
        guard relayTimeout > 0, relayTimeout <= 3600 else { throw Failure("--relay-timeout must be between 0 and 3600 seconds.") }
        if relayTo == nil, !watching, let saved {
            return Relay(to: saved.target, timeout: .milliseconds(Int64(relayTimeout * 1000)),
                         verifyTLS: saved.verifyTLS && !insecureSkipTLSVerify)
        }
        guard let relayTo else {
            if insecureSkipTLSVerify, !watching { throw Failure("--insecure-skip-tls-verify goes with --relay-to or --grafana.") }
            return nil
        }
        switch ConnectorURL.parse(relayTo) {
        case .success(let target):
            return Relay(to: target, timeout: .milliseconds(Int64(relayTimeout * 1000)), verifyTLS: !insecureSkipTLSVerify)
        case .failure(let error):
            throw Failure("--relay-to: \(error.description)")
        }
    }
}
