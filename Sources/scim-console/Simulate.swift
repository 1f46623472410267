import ArgumentParser
import Foundation
import AsyncHTTPClient
import OktaSimulator
import Setup

/// `scim-console simulate`: Okta's traffic, without an Okta org.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the SCIM traffic Okta would to an endpoint, and report any answer Okta would not expect.")

    @Option(help: "The SCIM connector base URL (…/apis/scim.grafana.app/v0alpha1/namespaces/NS).")
    var url: String

    @Option(help: "The service account token (glsa_…). Shown by ps to every user of this machine: prefer --token-file or SCIM_CONSOLE_TOKEN.")
    var token: String?

    @Option(help: "A file holding the token (as setup's --token-file or the wizard's s saves it).")
    var tokenFile: String?

    @Option(help: "Users to assign.") var users: Int = 10
    @Option(help: "Groups to push.") var groups: Int = 3
    @Option(help: "Requests per second at most; 0 for as fast as possible.") var rate: Double = 5
    @Option(help: "patch (catalog apps) or put (custom apps).") var flavour: String = "patch"

    func run() async throws {
        try await reportingFailures {
            guard let f = OktaSimulator.Flavour(rawValue: flavour.lowercased()) else {
                throw Failure("--flavour must be patch or put.")
            }
            guard users >= 0, groups >= 0, rate >= 0 else { throw Failure("--users, --groups and --rate must not be negative.") }
            guard URL(string: url)?.scheme?.hasPrefix("http") == true else {
                throw Failure("--url must be an http(s) URL, such as the connector URL scim-console serve prints.")
            }
            let token = try resolvedToken()
            // Refused connections are reported at once, not retried for a minute.
            var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5)))
            configuration.connectionPool.retryConnectionEstablishment = false
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let simulator = OktaSimulator(baseURL: url, token: token,
                                          plan: .init(users: users, groups: groups, rate: rate, flavour: f), client: client) { line in
                print(line)
            }
            let outcome: Result<OktaSimulator.Report, any Error>
            do { outcome = .success(try await simulator.simulate()) } catch { outcome = .failure(error) }
            try? await client.shutdown()
            let report: OktaSimulator.Report
            switch outcome {
            case .success(let r): report = r
            case .failure(let error as SimulatorError): throw Failure(error.description)
            case .failure(let error): throw Failure(Self.unreachable(error, url: url))
            }
            if !report.unexpected.isEmpty { throw ExitCode(2) }
        }
    }

    /// The token from --token, --token-file or SCIM_CONSOLE_TOKEN, exactly one of them.
    func resolvedToken() throws -> String {
        let environment = ProcessInfo.processInfo.environment["SCIM_CONSOLE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let given = [token != nil, tokenFile != nil].filter { $0 }.count
        guard given <= 1 else { throw Failure("Give the token one way: --token or --token-file.") }
        if let token { return token }
        if let tokenFile {
            let path = (tokenFile as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "Permission denied" : "No such file or directory"
                throw Failure("Cannot read the token file \(path): \(reason).")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw Failure("The token file \(path) is empty.") }
            return text
        }
        if let environment { return environment }
        throw Failure("Give the token: --token-file FILE, or SCIM_CONSOLE_TOKEN in the environment (--token also works, but ps shows it).")
    }

    /// Why the simulator reached no endpoint, in one sentence.
    static func unreachable(_ error: any Error, url: String) -> String {
        let host = GrafanaClientError.host(of: url)
        switch GrafanaClientError.transport(error, host: host) {
        case .refused: return "Connection refused at \(host): is the endpoint running on that port?"
        case .unknownHost: return "The host \(host) could not be found (DNS): check the URL."
        case .timedOut: return "\(host) did not answer in time: check the URL, and a firewall or proxy on the way."
        case .tls: return "The TLS connection to \(host) failed: check the certificate, or use the endpoint's http:// URL."
        default: return "Could not reach \(host): the connection failed before an answer came."
        }
    }
}
