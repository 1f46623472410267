import Foundation
import GRDB
import SCIM
import Testing
import TestSupport
@testable import Directory

/// A user's update sets only the columns whose values change
/// (`Directory.update`): every filterable column must still follow the
/// document, and a one-attribute change must write few pages to the log.
@Suite("User updates")
struct UserUpdateTests {
    static func user(_ name: String, display: String, external: String?, emails: [String], active: Bool = true) -> JSONValue {
        var doc: [String: JSONValue] = ["userName": .string(name), "displayName": .string(display), "active": .bool(active),
                                        "emails": .array(emails.map { ["value": .string($0), "type": "work"] })]
        if let external { doc["externalId"] = .string(external) }
        return .object(doc)
    }

    func ids(_ directory: Directory, _ filter: String) throws -> [String] {
        try directory.listUsers(ListQuery(parameters: ["filter": filter])).items.map(\.id)
    }

    /// The stored columns and emails, read back raw.
    func stored(_ directory: Directory, _ id: String) throws -> [String] {
        try directory.pool.read { db in
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT user_name, user_name_key, external_id, display_name, display_name_key, active FROM users WHERE id = ?
                """, arguments: [id]))
            let emails = try String.fetchAll(db, sql: """
                SELECT value_key FROM user_emails WHERE user_seq = (SELECT seq FROM users WHERE id = ?) ORDER BY value_key
                """, arguments: [id])
            return (0..<6).map { (row[$0] as DatabaseValue).description } + emails
        }
    }

    @Test func everyColumnFollowsTheDocument() throws {
        let directory = try makeDirectory()
        let other = try directory.createUser(Self.user("other@example.com", display: "Other", external: "00u9", emails: ["o@example.com"]))
        let u = try directory.createUser(Self.user("ann@example.com", display: "Ann", external: "00u1", emails: ["ann@example.com"]))
        // Each step changes some columns and keeps others; after each, the stored columns are
        // those a freshly created user with the same document has, and filters find it by the new values only.
        let steps: [JSONValue] = [
            Self.user("ann@example.com", display: "Ann B", external: "00u1", emails: ["ann@example.com"]),
            Self.user("Ann@Example.com", display: "Ann B", external: "00u1", emails: ["ann@example.com"]),
            Self.user("ann2@example.com", display: "Ann B", external: nil, emails: ["ann@example.com", "a2@example.com"]),
            Self.user("ann2@example.com", display: "Ann B", external: "00u2", emails: ["A2@example.com"], active: false),
            Self.user("ann2@example.com", display: "ann b", external: "00u2", emails: [], active: false),
        ]
        for (i, step) in steps.enumerated() {
            _ = try directory.replaceUser(id: u.id, with: step)
            let twin = try directory.createUser(.object(step.objectValue!.merging(
                ["userName": .string("twin\(i)-" + step[attribute: "userName"]!.stringValue!)]) { $1 }))
            var expected = try stored(directory, twin.id)
            expected[0] = step[attribute: "userName"]!.stringValue!
            expected[1] = expected[0].lowercased()
            #expect(try stored(directory, u.id).map { $0.replacingOccurrences(of: "\"", with: "") }
                        == expected.map { $0.replacingOccurrences(of: "\"", with: "") }, "after step \(i)")
            try directory.deleteUser(id: twin.id)
        }
        #expect(try ids(directory, #"userName eq "ann@example.com""#).isEmpty)
        #expect(try ids(directory, #"userName eq "ANN2@example.com""#) == [u.id])
        #expect(try ids(directory, #"externalId eq "00u1""#).isEmpty)
        #expect(try ids(directory, #"externalId eq "00u2""#) == [u.id])
        #expect(try ids(directory, #"displayName eq "Ann B""#) == [u.id])
        #expect(try ids(directory, #"emails.value eq "ann@example.com""#).isEmpty)
        #expect(try ids(directory, #"emails.value eq "o@example.com""#) == [other.id])
        // The name it gave up is free again; the one it holds is not.
        _ = try directory.createUser(Self.user("ANN@example.com", display: "New Ann", external: nil, emails: []))
        #expect(throws: SCIMError.self) {
            try directory.createUser(Self.user("ann2@EXAMPLE.com", display: "x", external: nil, emails: []))
        }
    }

    /// Okta's usual change — one attribute — writes the row's page and the
    /// pages of the indexes on that attribute, not every index the table has.
    @Test func aOneAttributeChangeWritesFewPages() throws {
        let directory = try makeDirectory()
        // Enough users that each index spans many pages, in one transaction for speed.
        try directory.pool.write { db in
            for i in 0..<4_000 {
                let name = "user\(i)@example.com"
                let doc = JSONCoding.serialize(Self.user(name, display: "User \(i)", external: "00u\(i)", emails: [name]))
                let id = UUID().uuidString.lowercased()
                // With its stored representation, as every user is written: a row without one
                // grows by it at its first update, which may split its page.
                let template = Directory.templateValues(id: id, documentText: doc, meta: Meta(
                    resourceType: "User", created: Date(timeIntervalSince1970: 0), lastModified: Date(timeIntervalSince1970: 0), version: 1))
                try db.execute(sql: """
                    INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, active,
                                       display_name_sort, document, created, last_modified, version,
                                       representation, representation_base_url_at, representation_groups_at)
                    VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, 0, 0, 1, ?, ?, ?)
                    """, arguments: StatementArguments([id, name, name, "00u\(i)", "User \(i)", "user \(i)", "user \(i)", doc]
                                                       + template.map { $0 as any DatabaseValueConvertible })!)
                try db.execute(sql: "INSERT INTO user_emails VALUES (?, ?)", arguments: [db.lastInsertedRowID, name])
            }
        }
        let target = try #require(try directory.listUsers(ListQuery(parameters: ["filter": #"userName eq "user2000@example.com""#])).items.first)
        let walPath = directory.path
        let before = try WALCheckpointerTests.logFrames(walPath).log
        var doc = target.document
        doc["title"] = "Engineer"
        _ = try directory.replaceUser(id: target.id, with: .object(doc))
        let written = try WALCheckpointerTests.logFrames(walPath).log - before
        // The row's page, and nothing for unchanged indexes: naming every column wrote 6, rewriting the emails 3.
        #expect(written <= 2, "a one-attribute PUT wrote \(written) pages")
        #expect(try ids(directory, #"userName eq "user2000@example.com""#) == [target.id])
        #expect(try ids(directory, #"emails.value eq "user2000@example.com""#) == [target.id])
    }
}
