import Directory
@testable import Endpoint
import Foundation
import GrafanaConfig
import HTTPTypes
import SCIM
import Testing

/// Authentication, namespace, feature toggle and malformed input, over HTTP.
@Suite("Gatekeeping and bad input")
struct GatekeepingTests {
    @Test func authFailuresAre401WithWWWAuthenticate() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            for token in ["", "garbage", ServiceAccountToken.generate().key] {
                let reply = try await c.get("Users", token: token)
                #expect(reply.status == 401, "\(token)")
                #expect(reply.json?.at("status") == "401")
                #expect(reply.json?.at("detail")?.stringValue?.isEmpty == false)
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            // Revoked: it worked, then it does not.
            #expect(try await c.get("Users").status == 200)
            let account = try #require(try harness.directory.serviceAccount(named: "okta-scim"))
            let tokenID = try #require(try harness.directory.tokens(serviceAccountID: account.id).first?.id)
            try harness.directory.deleteToken(serviceAccountID: account.id, tokenID: tokenID)
            #expect(try await c.get("Users").status == 401)
        }
    }

    @Test func wrongAndMalformedNamespaces() async throws {
        let harness = try EndpointHarness.make(namespace: .stack(12345))
        try await harness.run { c in
            #expect(try await c.get("/apis/scim.grafana.app/v0alpha1/namespaces/stacks-12345/Users").status == 200)
            let wrong = try await c.get("/apis/scim.grafana.app/v0alpha1/namespaces/stacks-999/Users")
            #expect(wrong.status == 403)
            #expect(wrong.json == ["message": "invalid namespace", "messageId": "authn.invalid-namespace"])
            for bad in ["stack-12345", "org-1", "org-x", "Default"] {
                let reply = try await c.get("/apis/scim.grafana.app/v0alpha1/namespaces/\(bad)/Users")
                #expect(reply.status == 404, "\(bad)")
                #expect(reply.json?.at("detail")?.stringValue?.contains("namespace") == true)
            }
        }
    }

    @Test func toggleOffIs404UntilTheIniSaysOn() async throws {
        let harness = try EndpointHarness.make(enableSCIM: false)
        try await harness.run { c in
            let off = try await c.get("Users")
            #expect(off.status == 404)
            #expect(off.json?.at("detail")?.stringValue?.contains("enableSCIM") == true)
            // The embedded endpoint picks up its ini change without a restart.
            let file = FeatureToggleFile(path: "\(harness.dataDirectory)/grafana.ini")
            var ini = try file.read()
            ini.enableToggle(FeatureToggleFile.scimToggle)
            try file.write(ini)
            #expect(try await c.get("Users").status == 200)
        }
    }

    /// While on, the toggle is looked at again at most every `ToggleWatcher.onFor`:
    /// turning it off is a 404 once that has passed, with no restart.
    @Test func toggleTurnedOffIs404WithinATenthOfASecond() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            #expect(try await c.get("Users").status == 200)
            let file = FeatureToggleFile(path: "\(harness.dataDirectory)/grafana.ini")
            var ini = try file.read()
            ini.set(section: IniFile.featureToggleSection, key: FeatureToggleFile.scimToggle, value: "false")
            try file.write(ini)
            #expect(try file.read().toggleState(FeatureToggleFile.scimToggle) == .off)
            try await Task.sleep(for: ToggleWatcher.onFor + .milliseconds(20))
            let off = try await c.get("Users")
            #expect(off.status == 404)
            #expect(off.json?.at("detail")?.stringValue?.contains("enableSCIM") == true)
        }
    }

    @Test func malformedInput() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            let badJSON = try await c.send(.post, "Users", raw: #"{"userName": "x""#)
            #expect(badJSON.status == 400)
            #expect(badJSON.json?.at("scimType") == "invalidSyntax")

            let badFilter = try await c.get("Users?filter=userName%20eq%20bjensen")
            #expect(badFilter.status == 400)
            #expect(badFilter.json?.at("scimType") == "invalidFilter")
            #expect(badFilter.json?.at("detail")?.stringValue?.contains("character 13") == true)

            let big = "{\"userName\":\"" + String(repeating: "a", count: 1_100_000) + "\"}"
            let tooLarge = try await c.send(.post, "Users", raw: big)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.json?.at("schemas", "0") == .string(SchemaURN.error))

            let missing = try await c.send(.post, "Users", ["displayName": "no userName"])
            #expect(missing.json?.at("scimType") == "invalidValue")

            let wrongType = try await c.send(.post, "Users", raw: "userName=x", headers: ["Content-Type": "text/plain"])
            #expect(wrongType.status == 415)

            let badPatch = try await c.send(.patch, "Users/nope", ["Operations": [["op": "remove"]]])
            #expect(badPatch.status == 404)

            // Nothing was half-written by any of these.
            #expect(try harness.directory.userCount() == 0)
        }
    }

    @Test func unknownRoutesAndWrongMethodsAreJSON() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            let unknown = try await c.get("\(UUID().uuidString)")
            #expect(unknown.status == 404)
            #expect(unknown.json?.at("schemas", "0") == .string(SchemaURN.error))
            let outside = try await c.get("/no/such/thing")
            #expect(outside.status == 404)
            #expect(outside.json?.at("message") != nil)
            let wrong = try await c.send(.delete, "Users")
            #expect(wrong.status == 405)
            #expect(wrong.headers[.allow] == "GET, POST")
            #expect(try await c.send(.post, "ServiceProviderConfig", [:]).status == 405)
        }
    }

    @Test func requestLogRedactsSecrets() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            _ = try await c.send(.post, "Users", OktaStoryTests.aliceJSON())
            _ = try await c.send(.patch, "Users/x", ["Operations": [["op": "replace", "path": "password", "value": "Hunter2!"]]])
            await harness.directory.requestLog.flush()
            let log = try harness.directory.requestLog.recent(limit: 10)
            #expect(log.count == 2)
            for entry in log {
                let all = entry.requestHeaders.joined() + entry.requestBody + entry.responseBody
                #expect(!all.contains(c.token))
                #expect(!all.contains("1mz050nq"))
                #expect(!all.contains("Hunter2!"))
                #expect(entry.requestHeaders.contains { $0.lowercased() == "authorization: bearer [redacted]" })
                #expect(entry.userAgent == "Okta SCIM Client 1.0.0")
            }
            #expect(log[1].status == 201)
            #expect(log[1].resourceID != nil)
            #expect(log[1].requestBody.contains("alice@example.com"))
            #expect(log[0].status == 404)
        }
    }
}
