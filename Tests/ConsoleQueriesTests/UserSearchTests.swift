import Foundation
import GRDB
import SCIM
import Testing
import TestSupport
@testable import ConsoleQueries
@testable import Directory

/// The console's Users filter matches a substring of a user's userName,
/// display name, externalId or any email, ignoring case. It reads
/// `user_search`, a narrow table that triggers keep: these hold its answers
/// to a plain reading of every user's document through every kind of write,
/// and a database from before the table to the same answers once it opens.
@Suite("The Users filter")
struct UserSearchTests {
    static let filters = ["", "alice", "ALICE", "example.com", "00u", "0u4", "bob@", "smith", "work.example",
                          "nobody-at-all", "%", "_", "\\", "\n", "ice@ex"]

    /// The ids a filter should match, in creation order, read from each user's document.
    static func expected(_ directory: Directory, _ filter: String) throws -> [String] {
        let all = try directory.browseUsers(Browse(), order: .created, range: 0..<10_000).map(\.id)
        let needle = filter.lowercased()
        return try all.filter { id in
            guard !needle.isEmpty else { return true }
            let doc = try #require(try directory.user(id: id)).document
            let emails = (doc["emails"]?.arrayValue ?? []).compactMap { $0[attribute: "value"]?.stringValue }
            let texts = [doc["userName"]?.stringValue, doc["displayName"]?.stringValue, doc["externalId"]?.stringValue]
                .compactMap { $0 } + emails
            return texts.contains { $0.lowercased().contains(needle) }
        }
    }

    static func check(_ directory: Directory, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for filter in filters {
            let want = try expected(directory, filter)
            let browse = Browse(filter: filter)
            #expect(try directory.countUsers(browse) == want.count, "\(step): count for \(filter.debugDescription)",
                    sourceLocation: sourceLocation)
            #expect(try directory.browseUsers(browse, order: .created, range: 0..<10_000).map(\.id) == want,
                    "\(step): rows for \(filter.debugDescription)", sourceLocation: sourceLocation)
            guard !filter.isEmpty else { continue }
            let seqs = try directory.userSeqs(matching: filter)
            #expect(try directory.userSummaries(seqs: seqs).map(\.id) == want,
                    "\(step): kept matches for \(filter.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    static func user(_ name: String, display: String? = nil, external: String? = nil, emails: [String] = []) -> JSONValue {
        var user: [String: JSONValue] = ["userName": .string(name)]
        if let display { user["displayName"] = .string(display) }
        if let external { user["externalId"] = .string(external) }
        if !emails.isEmpty {
            user["emails"] = .array(emails.enumerated().map { i, email in
                .object(["value": .string(email), "type": .string(i == 0 ? "work" : "home"), "primary": .bool(i == 0)])
            })
        }
        return .object(user)
    }

    static func patch(_ json: String) throws -> PatchRequest {
        try PatchRequest(json: JSONCoding.parse(json))
    }

    @Test func everyWriteKeepsWhatTheFilterMatches() throws {
        let directory = try makeDirectory()
        let alice = try directory.createUser(Self.user("alice@example.com", display: "Alice Smith", external: "00u1",
                                                       emails: ["alice@work.example", "al@home.example"]))
        let bob = try directory.createUser(Self.user("bob", emails: ["BOB@Example.com"]))
        let carol = try directory.createUser(Self.user("carol@example.com", external: "00u4"))
        _ = try directory.createUser(Self.user("dave_100%@example.org", display: "Dave \\ Back"))
        try Self.check(directory, "created")

        _ = try directory.replaceUser(id: bob.id, with: Self.user("robert@example.com", display: "Bob Smith",
                                                                  emails: ["robert@work.example"]))
        try Self.check(directory, "PUT renames and changes the email")

        _ = try directory.patchUser(id: alice.id, Self.patch("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
             {"op":"remove","path":"emails[type eq \\"home\\"]"},
             {"op":"replace","path":"externalId","value":"00u9"}]}
            """))
        try Self.check(directory, "PATCH removes an email, changes externalId")

        _ = try directory.patchUser(id: carol.id, Self.patch("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
             {"op":"add","path":"emails","value":[{"value":"carol@work.example","type":"work"}]},
             {"op":"remove","path":"externalId"},
             {"op":"replace","value":{"displayName":"Carol Smith"}}]}
            """))
        try Self.check(directory, "PATCH adds an email, removes externalId, sets displayName")

        _ = try directory.setActive(false, userID: carol.id, actor: .operator)
        try Self.check(directory, "deactivated")

        try directory.deleteUser(id: alice.id)
        try Self.check(directory, "deleted")
        #expect(try directory.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM user_search") } == 3)
    }

    @Test func aDatabaseFromBeforeTheTableIsSearchedTheSame() throws {
        let directory = try makeDirectory()
        for i in 0..<30 {
            _ = try directory.createUser(Self.user("user\(i)@example.com", display: i % 3 == 0 ? "Alice \(i)" : nil,
                                                   external: i % 2 == 0 ? "00u\(i)" : nil,
                                                   emails: i % 4 == 0 ? ["u\(i)@work.example", "bob\(i)@home.example"] : []))
        }
        // Back to schema v4: no table, no triggers, v5 not applied.
        try directory.pool.write { db in
            for trigger in ["user_search_insert", "user_search_update", "user_search_email_insert", "user_search_email_delete"] {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "DROP TABLE user_search")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v5'")
        }
        let reopened = try Directory(path: directory.path)
        #expect(try reopened.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM user_search") } == 30)
        try Self.check(reopened, "migrated")
        _ = try reopened.createUser(Self.user("alice@example.com", emails: ["x@work.example"]))
        try Self.check(reopened, "written after the migration")
    }
}
