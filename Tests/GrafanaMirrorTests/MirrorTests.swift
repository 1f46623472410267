import Directory
import Endpoint
import Foundation
import GrafanaMirror
import OktaSimulator
import SCIM
import Setup
import Synchronization
import Testing
import TestSupport

/// A mirror of a Grafana (an embedded endpoint serving real HTTP stands in
/// for it): a whole read equals Grafana; changes made on Grafana show after
/// the next read, and only they publish events; answers are applied as they
/// come; a deactivation goes to Grafana, and a refusal is said as Grafana
/// put it; a read that fails removes nothing.
@Suite("Grafana mirror")
struct MirrorTests {
    /// Users as (id, userName, active) and teams as (id, name, member ids), sorted: what must match.
    static func snapshot(_ directory: Directory) throws -> (users: [String], teams: [String]) {
        let users = try directory.listUsers(ListQuery(count: 1000)).items
            .map { "\($0.id) \($0.userName) \($0.active)" }.sorted()
        let teams = try directory.listGroups(ListQuery(count: 1000)).items
            .map { "\($0.id) \($0.displayName) \($0.members.map(\.id).sorted())" }.sorted()
        return (users, teams)
    }

    /// What `stream` holds by now: every event the writes before this published.
    static func published(_ stream: AsyncStream<DirectoryEvent>) async -> [DirectoryEvent] {
        let collected = Mutex<[DirectoryEvent]>([])
        let reader = Task { for await event in stream { collected.withLock { $0.append(event) } } }
        try? await Task.sleep(for: .milliseconds(300))
        reader.cancel()
        return collected.withLock { $0 }
    }

    static func mirror(of served: ServedEndpoint, token: String?, log: RequestLog? = nil) throws -> Mirror {
        let target = try ConnectorURL.parse("\(served.baseURL)\(ConnectorURL.pathPrefix)/default").get()
        let store = try makeDirectory()
        return Mirror(target: target, store: store, log: log, token: token)
    }

    @Test func aWholeReadEqualsGrafanaAndAReReadPublishesOnlyWhatChanged() async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        let token = try grafana.adminToken()
        try await grafana.serving { served in
            let report = try await OktaSimulator(baseURL: served.baseURL + grafana.configuration.scimBasePath, token: token,
                                                 plan: .init(users: 24, groups: 4, rate: 0)) { _ in }.simulate()
            #expect(report.unexpected == [])
            let mirror = try Self.mirror(of: served, token: token)
            let events = mirror.store.events.subscribe()
            await mirror.readWhole()
            guard case .read = mirror.state.phase else { Issue.record("\(mirror.state)"); return }
            #expect(try Self.snapshot(mirror.store) == Self.snapshot(grafana.directory))
            #expect(try mirror.store.userCount() == 24 && mirror.store.groupCount() == 4)

            // Changes made on Grafana directly (its UI, another IdP).
            let ids = report.userIDs
            _ = try grafana.directory.setActive(false, userID: ids[0], actor: .operator)
            try grafana.directory.deleteUser(id: ids[1], actor: .operator)
            let added = try grafana.directory.createUser(["userName": "late@example.com"], actor: .operator)
            await mirror.readWhole()
            #expect(try Self.snapshot(mirror.store) == Self.snapshot(grafana.directory))
            let seen = await Self.published(events)
            // The first read filled an empty mirror: one change. The second: one event per changed row.
            #expect(seen.first == .bulkChange)
            let second = Array(seen.drop { $0 == .bulkChange })
            #expect(second.contains(.user(id: ids[0], change: .deactivated, actor: .scim)))
            #expect(second.contains(.user(id: ids[1], change: .deleted, actor: .scim)))
            #expect(second.contains(.user(id: added.id, change: .created, actor: .scim)))
            #expect(second.filter { if case .user = $0 { true } else { false } }.count <= 4, "\(second)")
            await mirror.shutdown()
        }
    }

    @Test func answersAreAppliedAsTheyCome() async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        let token = try grafana.adminToken()
        try await grafana.serving { served in
            let mirror = try Self.mirror(of: served, token: token)
            await mirror.readWhole()
            let base = grafana.configuration.scimBasePath
            let ada = try grafana.directory.createUser(["userName": "ada@example.com"])
            await mirror.apply(method: "POST", path: "\(base)/Users", status: 201,
                               body: JSONCoding.data(ada.representation(baseURL: base)))
            #expect(try mirror.store.user(id: ada.id)?.userName == "ada@example.com")
            // A team whose membership changed with a 204: read back from Grafana.
            let team = try grafana.directory.createGroup(["displayName": "Ops"])
            _ = try grafana.directory.patchGroup(id: team.id, PatchRequest(operations: [
                PatchOperation(op: .add, path: PatchPath(attribute: AttributePath(attribute: "members")),
                               value: [["value": .string(ada.id)]]),
            ]))
            // Three such answers at once: read back once.
            await grafana.directory.requestLog.flush()
            let before = try grafana.directory.requestLog.recent(limit: 1000).count
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask { await mirror.apply(method: "PATCH", path: "\(base)/Groups/\(team.id)", status: 204, body: []) }
                }
            }
            await grafana.directory.requestLog.flush()
            #expect(try grafana.directory.requestLog.recent(limit: 1000).count == before + 1)
            #expect(try mirror.store.group(id: team.id)?.members.map(\.id) == [ada.id])
            // Answers applied out of order: the older one changes nothing.
            let older = JSONCoding.data(try #require(try grafana.directory.user(id: ada.id)).representation(baseURL: base))
            try await Task.sleep(for: .milliseconds(5))
            let newer = JSONCoding.data(try grafana.directory.setActive(false, userID: ada.id, actor: .operator).representation(baseURL: base))
            await mirror.apply(method: "PATCH", path: "\(base)/Users/\(ada.id)", status: 200, body: newer)
            await mirror.apply(method: "PATCH", path: "\(base)/Users/\(ada.id)", status: 200, body: older)
            #expect(try mirror.store.user(id: ada.id)?.active == false)
            // Gone from Grafana: deleted, or answered 404.
            try grafana.directory.deleteGroup(id: team.id)
            await mirror.apply(method: "DELETE", path: "\(base)/Groups/\(team.id)", status: 204, body: [])
            #expect(try mirror.store.group(id: team.id) == nil)
            try grafana.directory.deleteUser(id: ada.id)
            await mirror.apply(method: "GET", path: "\(base)/Users/\(ada.id)", status: 404, body: [])
            #expect(try mirror.store.user(id: ada.id) == nil)
            // Another Grafana's paths, or the discovery documents, change nothing.
            await mirror.apply(method: "GET", path: "/apis/scim.grafana.app/v0alpha1/namespaces/org-2/Users/x", status: 404, body: [])
            await mirror.apply(method: "GET", path: "\(base)/Schemas", status: 200, body: Array("{}".utf8))
            #expect(try Self.snapshot(mirror.store) == Self.snapshot(grafana.directory))
            await mirror.shutdown()
        }
    }

    @Test func aDeactivationGoesToGrafanaAndARefusalIsSaidAsGrafanaPutIt() async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        let token = try grafana.adminToken()
        let viewer = try grafana.directory.createServiceAccount(name: "viewer", role: "Viewer")
        let viewerToken = try grafana.directory.createToken(serviceAccountID: viewer.id, name: "v").key
        let console = try makeDirectory()
        try await grafana.serving { served in
            let user = try grafana.directory.createUser(["userName": "bob@example.com"])
            let mirror = try Self.mirror(of: served, token: token, log: console.requestLog)
            await mirror.readWhole()
            let done = await mirror.setActive(false, userID: user.id, userName: user.userName)
            #expect(done.succeeded && done.sentence.contains("Deactivated bob@example.com in 127.0.0.1:\(served.port) (default)"),
                    "\(done)")
            #expect(try grafana.directory.user(id: user.id)?.active == false)
            #expect(try mirror.store.user(id: user.id)?.active == false, "the mirror follows Grafana's answer")
            await console.requestLog.flush()
            let logged = try #require(try console.requestLog.recent(limit: 10).first)
            #expect(logged.method == "PATCH" && logged.status == 200 && logged.isByConsole && logged.requestBody.contains("\"active\""))
            #expect(!logged.requestHeaderText.contains(token) && logged.requestHeaderText.contains("[redacted]"))

            // A Viewer's token: Grafana's 403 comes back as Grafana wrote it, and nothing changes.
            let refused = try Self.mirror(of: served, token: viewerToken)
            await refused.readWhole()
            let answer = await refused.setActive(true, userID: user.id, userName: user.userName)
            await refused.shutdown()
            await mirror.shutdown()
            await grafana.directory.requestLog.flush()
            let message = try #require(try grafana.directory.requestLog.recent(limit: 1).first.map(\.responseBody))
            #expect(!answer.succeeded && answer.sentence.contains("403"), "\(answer)")
            let detail = try #require(try JSONCoding.parse(message)[attribute: "detail"]?.stringValue)
            #expect(answer.sentence.contains(detail), "\(answer.sentence) | \(detail)")
            #expect(try grafana.directory.user(id: user.id)?.active == false)
        }
    }

    @Test func withoutATokenNothingIsReadOrSent() async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        try await grafana.serving { served in
            let mirror = try Self.mirror(of: served, token: nil)
            #expect(mirror.state.phase == .noToken && !mirror.hasToken)
            let outcome = await mirror.setActive(false, userID: "x", userName: "x@example.com")
            #expect(!outcome.succeeded && outcome.sentence.contains("--token-file"), "\(outcome)")
            #expect(try grafana.directory.requestLog.recent(limit: 10).isEmpty)
            await mirror.shutdown()
        }
    }

    @Test func aReadThatFailsRemovesNothingAndSaysWhy() async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        let token = try grafana.adminToken()
        let (mirror, port) = try await grafana.serving { served in
            _ = try grafana.directory.createUser(["userName": "kept@example.com"])
            let mirror = try Self.mirror(of: served, token: token)
            await mirror.readWhole()
            return (mirror, served.port)
        }
        // Grafana stopped: the read fails, and the mirror keeps what it had.
        await mirror.readWhole()
        guard case .failed(let reason) = mirror.state.phase else { Issue.record("\(mirror.state)"); return }
        #expect(reason.contains("127.0.0.1:\(port)"), "\(reason)")
        #expect(mirror.state.lastRead != nil)
        #expect(try mirror.store.user(named: "kept@example.com") != nil)
        await mirror.shutdown()
    }
}
