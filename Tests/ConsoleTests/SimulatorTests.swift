import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Hummingbird
import Logging
import OktaSimulator
import SCIM
import Testing
import TestSupport

/// The simulator against a real endpoint over real HTTP: Okta's whole story, both flavours.
@Suite("Okta simulator")
struct SimulatorTests {
    @Test(arguments: OktaSimulator.Flavour.allCases)
    func simulatesOktaWithoutSurprises(flavour: OktaSimulator.Flavour) async throws {
        let data = try ScratchDataDirectory.make("sim", namespace: .stack(42))
        let (directory, configuration) = (data.directory, data.configuration)
        let token = try data.adminToken()
        let report = try await data.serving { served in
            try await OktaSimulator(baseURL: served.baseURL + configuration.scimBasePath, token: token,
                                    plan: .init(users: 9, groups: 3, rate: 0, flavour: flavour)) { _ in }.simulate()
        }
        #expect(report.unexpected == [])
        #expect(report.userIDs.count == 9)
        #expect(report.groupIDs.count == 3)
        #expect(try directory.userCount() == 9)
        #expect(try directory.groupCount() == 3)
        #expect(report.deactivated.count == 1)  // two deactivated, one of them reactivated
        for id in report.deactivated { #expect(try directory.user(id: id)?.active == false) }
        // Okta's own headers reached the log, secrets did not.
        await directory.requestLog.flush()
        let log = try directory.requestLog.recent(limit: 500)
        #expect(log.allSatisfy { $0.userAgent == "Okta SCIM Client 1.0.0" })
        #expect(!log.contains { ($0.requestBody + $0.requestHeaders.joined()).contains(token) })
        #expect(log.filter { $0.method == "POST" }.allSatisfy { !$0.requestBody.contains("\"password\":\"") || $0.requestBody.contains("[redacted]") })
        // Names with non-ASCII characters arrived intact.
        let names = try directory.listUsers(ListQuery(count: 100)).items.compactMap { $0.document["displayName"]?.stringValue }
        #expect(names.contains { $0.contains("Zoë Müller") })
    }
}
