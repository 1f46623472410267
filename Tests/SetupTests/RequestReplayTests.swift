import Directory
import Foundation
import SCIM
import Setup
import Testing
import TestSupport

/// A logged request sent again to the embedded endpoint over real HTTP: it
/// goes as logged with the token given in place of the redacted one, the
/// endpoint logs it as a replay (the console's own), and the token is in
/// no entry.
@Suite("Replay")
struct RequestReplayTests {
    @Test func aLoggedCreateIsSentAgainAndLoggedAsAReplay() async throws {
        try await EmbeddedGrafana.with { grafana in
            let account = try grafana.directory.createServiceAccount(name: "okta-scim")
            let token = try grafana.directory.createToken(serviceAccountID: account.id, name: "okta").key
            let base = grafana.endpoint.configuration.scimBasePath
            let body = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"replayed@example.com","password":"s3cret"}"#
            let original = LoggedRequest(time: Date(), method: "POST", path: "\(base)/Users", query: "", status: 409,
                                         duration: 0.001, client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0",
                                         requestHeaders: ["Content-Type: application/scim+json", "Authorization: Bearer [redacted]",
                                                          "User-Agent: Okta SCIM Client 1.0.0"],
                                         requestBody: body, responseBody: "", resourceID: nil)
            let id = try grafana.directory.requestLog.log(original)
            let logged = try #require(try grafana.directory.requestLog.entry(id: id))
            #expect(!RequestReplay.lostSecrets(logged))

            let sent = await RequestReplay.send(logged, to: grafana.baseURL, token: token)
            #expect(sent == .success(201), "\(sent)")
            #expect(try grafana.directory.user(named: "replayed@example.com") != nil)
            await grafana.directory.requestLog.flush()
            let replay = try #require(try grafana.directory.requestLog.recent(limit: 1).first)
            #expect(replay.userAgent == "scim-console (replay of request \(id))" && replay.isByConsole)
            #expect(replay.method == "POST" && replay.path == "\(base)/Users" && replay.status == 201)
            #expect(replay.requestHeaders.contains { $0.lowercased() == "content-type: application/scim+json" }, "\(replay.requestHeaders)")
            #expect(!replay.requestHeaderText.contains(token) && !replay.requestBody.contains(token))

            // A wrong token is the endpoint's 401, said as a status; no answer at all is a sentence.
            #expect(await RequestReplay.send(logged, to: grafana.baseURL, token: "glsa_wrong") == .success(401))
            guard case .failure(let error) = await RequestReplay.send(logged, to: "http://127.0.0.1:1", token: token) else {
                Issue.record("a refused connection is a failure")
                return
            }
            #expect(error.description.contains("Nothing answers at 127.0.0.1:1"), "\(error)")
        }
    }

    @Test func aRedactedPasswordIsSaidToBeLost() {
        let request = LoggedRequest(time: Date(), method: "POST", path: "/Users", query: "", status: 201, duration: 0,
                                    client: "", userAgent: "", requestHeaders: [],
                                    requestBody: #"{"userName":"a","password":"[redacted]"}"#, responseBody: "", resourceID: nil)
        #expect(RequestReplay.lostSecrets(request))
    }
}
