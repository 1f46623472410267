import Directory
import Foundation
import GrafanaConfig
import Testing
@testable import Setup

/// The Setup client against the embedded endpoint over real HTTP, and against error answers.
@Suite("Grafana client and the guide's steps over HTTP")
struct GrafanaClientTests {
    @Test func healthAndCredentials() async throws {
        try await EmbeddedGrafana.with { grafana in
            try await using(grafana.client()) { client in
                let (report, health) = await GrafanaConnection.check(client)
                #expect(report.ok, "\(report.lines)")
                #expect(health?.version == "0.1.0")
                #expect(report.lines[0].text.contains("version 0.1.0"))
            }
        }
    }

    @Test func wrongPasswordIsA401Sentence() async throws {
        try await EmbeddedGrafana.with { grafana in
            try await using(grafana.client(password: "wrong")) { client in
                let (report, health) = await GrafanaConnection.check(client)
                #expect(health != nil, "health needs no credentials")
                #expect(!report.ok)
                #expect(report.lines.contains { $0.level == .fail && $0.text.contains("401") && $0.text.contains("password") })
            }
        }
    }

    @Test func viewerTokenIsA403NamingThePermission() async throws {
        try await EmbeddedGrafana.with { grafana in
            let viewer = try grafana.directory.createServiceAccount(name: "viewer", role: "Viewer")
            let token = try grafana.directory.createToken(serviceAccountID: viewer.id, name: "t")
            try await using(grafana.client(token: token.key)) { client in
                let error = await failure { () throws(GrafanaClientError) in try await client.checkCredentials() }
                guard case .forbidden(let message)? = error else { Issue.record("\(String(describing: error))"); return }
                #expect(message.contains("serviceaccounts:write"))
                #expect(error!.description.contains("403"))
            }
        }
    }

    @Test func refusedConnectionIsASentence() async throws {
        // A port nothing listens on: bind one, note it, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        close(fd)
        let client = GrafanaClient(target: GrafanaTarget(kind: .selfHosted, baseURL: "http://127.0.0.1:\(port)",
                                                         credentials: .basic(user: "admin", password: "x")))
        try await using(client) { client in
            let error = await failure { () throws(GrafanaClientError) in _ = try await client.health() }
            #expect(error == .refused("127.0.0.1:\(port)"), "\(String(describing: error))")
            #expect(error?.description.contains("connection refused") == true)
        }
    }

    @Test func notGrafanaIsA404Sentence() async throws {
        try await EmbeddedGrafana.with { grafana in
            let client = GrafanaClient(target: GrafanaTarget(kind: .selfHosted, baseURL: grafana.baseURL + "/grafana",
                                                             credentials: .basic(user: "admin", password: grafana.adminPassword)))
            try await using(client) { client in
                let error = await failure { () throws(GrafanaClientError) in _ = try await client.health() }
                #expect(error == .notFound("/api/health"))
            }
        }
    }

    @Test func toggleVerificationFollowsTheIniWithoutARestart() async throws {
        try await EmbeddedGrafana.with(enableSCIM: false) { grafana in
            try await using(grafana.client()) { client in
                #expect(!(await GrafanaConnection.verifyToggle(client)).ok)
                try FeatureToggleStep.apply(try FeatureToggleStep.plan(path: grafana.iniPath))
                let report = await GrafanaConnection.verifyToggle(client)
                #expect(report.ok, "\(report.lines)")
            }
        }
    }

    @Test func serviceAccountIsReusedAndATakenTokenNameGetsAProposal() async throws {
        try await EmbeddedGrafana.with { grafana in
            try await using(grafana.client()) { client in
                let (first, report1) = try await ServiceAccountStep.run(client, name: "okta-scim", role: "Admin", tokenName: "okta-scim")
                guard case .created(let account, let reused, let token) = first else { Issue.record("\(first)"); return }
                #expect(!reused)
                #expect(report1.lines[0].text.contains("Created the service account"))
                #expect(token.key.hasPrefix("glsa_") && token.key.count == 46)
                #expect(!token.description.contains(token.key), "a printed token shows no secret")

                let (second, report2) = try await ServiceAccountStep.run(client, name: "okta-scim", role: "Admin", tokenName: "okta-scim")
                #expect(second == .tokenNameTaken(account: account, proposal: "okta-scim-2"))
                #expect(report2.lines[0].text.contains("Reusing"))
                #expect(try grafana.directory.serviceAccounts().total == 1)

                let (third, _) = try await ServiceAccountStep.run(client, name: "okta-scim", role: "Admin", tokenName: "okta-scim-2")
                guard case .created(_, true, let token2) = third else { Issue.record("\(third)"); return }
                #expect(token2.name == "okta-scim-2")
            }
        }
    }

    @Test func connectorTestPassesWithTheRightTokenAndNamespace() async throws {
        try await EmbeddedGrafana.with(namespace: .stack(12345)) { grafana in
            let account = try grafana.directory.createServiceAccount(name: "okta-scim", role: "Admin")
            let token = try grafana.directory.createToken(serviceAccountID: account.id, name: "okta")
            try await using(grafana.client()) { client in
                let base = ConnectorURL.on(base: grafana.baseURL, namespace: .stack(12345))
                let checks = await ConnectorTest.run(client, scimBase: base, token: token.key)
                #expect(checks.count == 3)
                #expect(checks.allSatisfy { $0.passed }, "\(checks)")
                #expect(checks[0].request == "GET …/Users?startIndex=1&count=2")
                #expect(checks[1].request == "GET …/Groups?startIndex=1&count=100")
                #expect(checks[2].detail == "401")
            }
        }
    }

    @Test func connectorTestNamesTheLikelyCause() async throws {
        try await EmbeddedGrafana.with(namespace: .stack(12345)) { grafana in
            let account = try grafana.directory.createServiceAccount(name: "okta-scim", role: "Admin")
            let token = try grafana.directory.createToken(serviceAccountID: account.id, name: "okta")
            try await using(grafana.client()) { client in
                // Wrong stack id: Grafana's 403 invalid namespace.
                let wrongStack = await ConnectorTest.run(client, scimBase: ConnectorURL.on(base: grafana.baseURL, namespace: .stack(999)),
                                                         token: token.key)
                #expect(!wrongStack[0].passed)
                #expect(wrongStack[0].cause?.contains("stack id") == true)
                // A revoked token: 401.
                try grafana.directory.deleteToken(serviceAccountID: account.id, tokenID: token.info.id)
                let revoked = await ConnectorTest.run(client, scimBase: ConnectorURL.on(base: grafana.baseURL, namespace: .stack(12345)),
                                                      token: token.key)
                #expect(revoked[0].detail.hasPrefix("401"))
                #expect(revoked[0].cause?.contains("token") == true)
                #expect(revoked[2].passed, "a wrong token is still refused")
            }
        }
        try await EmbeddedGrafana.with(enableSCIM: false) { grafana in
            let account = try grafana.directory.createServiceAccount(name: "okta-scim", role: "Admin")
            let token = try grafana.directory.createToken(serviceAccountID: account.id, name: "okta")
            try await using(grafana.client()) { client in
                let off = await ConnectorTest.run(client, scimBase: ConnectorURL.on(base: grafana.baseURL, namespace: .org(1)),
                                                  token: token.key)
                #expect(off[0].detail.hasPrefix("404"))
                #expect(off[0].cause?.contains("enableSCIM") == true)
            }
        }
    }

    @Test func progressIsSavedWithoutSecrets() async throws {
        try await EmbeddedGrafana.with { grafana in
            let store = SetupProgressStore(directory: grafana.directory)
            #expect(store.load() == nil)
            var progress = SetupProgress()
            progress.step = .connectorURL
            progress.answers.stackID = "12345"
            progress.applied = [0, 1, 2]
            try store.save(progress)
            #expect(store.load() == progress)
            #expect(!store.isFinished)
            try store.reset()
            #expect(store.load() == nil)
        }
    }
}

/// The error a call failed with, or nil when it succeeded.
func failure(_ body: () async throws(GrafanaClientError) -> Void) async -> GrafanaClientError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
