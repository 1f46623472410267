import ArgumentParser
import Foundation
import OktaSimulator

/// `scim-console simulate`: Okta's traffic, without an Okta org.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the SCIM traffic Okta would to an endpoint, and report any answer Okta would not expect.")

    @Option(help: "The SCIM connector base URL (…/apis/scim.grafana.app/v0alpha1/namespaces/NS).")
    var url: String

    @Option(help: "The service account token (glsa_…).")
    var token: String

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
            let simulator = OktaSimulator(baseURL: url, token: token,
                                          plan: .init(users: users, groups: groups, rate: rate, flavour: f)) { line in
                print(line)
            }
            let report: OktaSimulator.Report
            do {
                report = try await simulator.simulate()
            } catch let error as SimulatorError {
                throw Failure(error.description)
            } catch {
                throw Failure("Could not reach \(url): \(error)")
            }
            if !report.unexpected.isEmpty { throw ExitCode(2) }
        }
    }
}
