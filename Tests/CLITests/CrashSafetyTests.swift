import Foundation
import GRDB
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `serve` killed with SIGKILL at random moments under concurrent creates,
/// updates and member PATCHes: every write answered 2xx must be there after a
/// restart, nothing half-applied may be, and SQLite's integrity check passes.
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    typealias CLI = CommandLineTests
    static let cycles = 20
    static let workers = 6

    /// What the server acknowledged; checked after every restart.
    actor Acknowledged {
        var users: [String: String] = [:]       // id → userName
        var titles: [String: String] = [:]      // id → title last answered 200
        var members: Set<String> = []           // user ids added to the group with a 2xx

        func user(_ id: String, _ name: String) { users[id] = name }
        func title(_ id: String, _ title: String) { titles[id] = title }
        func member(_ id: String) { members.insert(id) }
    }

    struct Client: Sendable {
        let base: String
        let token: String
        let session: URLSession

        func send(_ method: String, _ path: String, _ body: String? = nil) async -> (Int, [String: Any]?) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.timeoutInterval = 5
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let body {
                request.setValue("application/scim+json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body.utf8)
            }
            guard let (data, response) = try? await session.data(for: request) else { return (0, nil) }
            return ((response as? HTTPURLResponse)?.statusCode ?? 0,
                    try? JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    static func worker(_ client: Client, cycle: Int, worker: Int, groupID: String, acked: Acknowledged) async {
        var n = 0
        while true {
            n += 1
            let name = "c\(cycle)-w\(worker)-\(n)@example.com"
            let (created, doc) = await client.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\(name)","externalId":"x\(cycle)-\(worker)-\(n)",
                 "emails":[{"value":"\(name)","type":"work","primary":true}],"active":true}
                """)
            guard created == 201, let id = doc?["id"] as? String else { if created == 0 { return } else { continue } }
            await acked.user(id, name)
            let title = "v\(n)"
            let (replaced, _) = await client.send("PUT", "/Users/\(id)", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\(name)","title":"\(title)",
                 "emails":[{"value":"\(name)","type":"work","primary":true}],"active":true}
                """)
            if replaced == 200 { await acked.title(id, title) } else if replaced == 0 { return }
            let (patched, _) = await client.send("PATCH", "/Groups/\(groupID)", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"\(id)"}]}]}
                """)
            if (200..<300).contains(patched) { await acked.member(id) } else if patched == 0 { return }
        }
    }

    @Test func killedAtRandomMomentsLosesNothingAcknowledged() async throws {
        let dir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = Self.workers
        let session = URLSession(configuration: configuration)
        let acked = Acknowledged()
        var groupID = ""
        var killsDuringLoad = 0
        for cycle in 1...Self.cycles {
            let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
            #expect(!url.isEmpty, "serve did not start in cycle \(cycle)")
            let client = Client(base: url, token: token, session: session)
            if groupID.isEmpty {
                let (status, doc) = await client.send("POST", "/Groups", "{\"displayName\":\"Crash team\"}")
                #expect(status == 201)
                groupID = doc?["id"] as? String ?? ""
            }
            // Everything acknowledged so far is there, after the previous kill.
            try await Self.verify(client, groupID: groupID, acked: acked, cycle: cycle)

            let gid = groupID
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for w in 0..<Self.workers {
                        group.addTask { await Self.worker(client, cycle: cycle, worker: w, groupID: gid, acked: acked) }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...600)))
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            if server.terminationReason == .uncaughtSignal { killsDuringLoad += 1 }
            // No Task cancellation: a cancelled URLSession request can fail to
            // resume on Linux. Every worker stops at its first unanswered request.
            await load.value
        }
        // A last restart, then the same checks and SQLite's own.
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0"])
        try await Self.verify(Client(base: url, token: token, session: session), groupID: groupID, acked: acked,
                              cycle: Self.cycles + 1)
        server.terminate()
        server.waitUntilExit()
        #expect(killsDuringLoad == Self.cycles)
        let users = await acked.users.count
        #expect(users > Self.cycles, "the load wrote too little to mean anything (\(users) users)")

        let db = try DatabaseQueue(path: "\(dir)/scim-console.sqlite")
        let (integrity, foreignKeys, counted, stored, withoutEmail) = try await db.read { db in
            (try String.fetchAll(db, sql: "PRAGMA integrity_check"),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
             try Int.fetchOne(db, sql: "SELECT n FROM counts WHERE name = 'users'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM users"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE seq NOT IN (SELECT user_seq FROM user_emails)"))
        }
        #expect(integrity == ["ok"])
        #expect(foreignKeys == 0)
        // Nothing half-applied: the trigger-kept count matches, and every user has the email it was created with.
        #expect(counted == stored)
        #expect(withoutEmail == 0)
        print("crash safety: \(Self.cycles) SIGKILLs under load, \(users) acknowledged users, \(await acked.members.count) acknowledged member adds, none lost")
    }

    static func verify(_ client: Client, groupID: String, acked: Acknowledged, cycle: Int) async throws {
        let users = await acked.users
        let titles = await acked.titles
        let members = await acked.members
        for (id, name) in users {
            let (status, doc) = await client.send("GET", "/Users/\(id)")
            #expect(status == 200, "cycle \(cycle): acknowledged user \(name) is missing")
            if let title = titles[id] {
                #expect(doc?["title"] as? String == title, "cycle \(cycle): acknowledged PUT of \(name) is missing")
            }
        }
        let (status, group) = await client.send("GET", "/Groups/\(groupID)")
        #expect(status == 200)
        let stored = Set(((group?["members"] as? [[String: Any]]) ?? []).compactMap { $0["value"] as? String })
        #expect(members.isSubset(of: stored), "cycle \(cycle): \(members.subtracting(stored).count) acknowledged members missing")
    }
}
