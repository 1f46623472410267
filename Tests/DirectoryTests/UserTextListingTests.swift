import Foundation
import GRDB
import SCIM
import Testing
import TestSupport
@testable import Directory

/// `listUserRepresentations` (the endpoint's list pages, copied from each
/// user's stored representation) and `listUsers` (everything else) answer
/// every query with the same page, byte for byte.
@Suite("User pages from stored representations")
struct UserTextListingTests {
    static let base = "http://x/apis/scim.grafana.app/v0alpha1/namespaces/default"

    /// Each item of the stored-representation page against the parsed page's user written whole.
    static func expectSamePage(_ directory: Directory, _ query: ListQuery, _ step: String = "") throws {
        let parsed = try directory.listUsers(query)
        let written = try directory.listUserRepresentations(query, baseURL: base)
        #expect(written.totalResults == parsed.totalResults, "\(step) \(query)")
        #expect(written.items.count == parsed.items.count, "\(step) \(query)")
        for (bytes, user) in zip(written.items, parsed.items) {
            #expect(String(decoding: bytes, as: UTF8.self)
                    == String(decoding: JSONCoding.data(user.representation(baseURL: base)), as: UTF8.self), "\(step) \(query)")
        }
    }

    @Test func everyQueryGivesTheSamePageBothWays() throws {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<30 {
            var user: JSONValue = ["userName": .string("user\(i)@example.com"), "displayName": .string("User \(i % 7)"),
                                   "active": .bool(i % 3 != 0), "emails": [["value": .string("u\(i)@example.com"), "primary": .bool(i % 2 == 0)]]]
            if i % 4 == 0, case .object(var fields) = user {
                fields["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = ["department": "Ops"]
                user = .object(fields)
            }
            ids.append(try directory.createUser(user).id)
        }
        _ = try directory.createGroup(["displayName": "Night Shift", "members": [["value": .string(ids[1])], ["value": .string(ids[2])]]])
        _ = try directory.createGroup(["displayName": "Day \"Shift\"", "members": [["value": .string(ids[2])]]])
        let queries: [ListQuery] = [
            ListQuery(), ListQuery(startIndex: 10, count: 5), ListQuery(startIndex: 29, count: 10),
            ListQuery(count: 0), ListQuery(startIndex: 1000), ListQuery(descending: true),
            ListQuery(filter: try Filter.parse(#"userName eq "USER2@example.com""#)),
            ListQuery(filter: try Filter.parse(#"userName eq "nobody""#)),
            ListQuery(filter: try Filter.parse("active eq true"), startIndex: 3, count: 4),
            ListQuery(filter: try Filter.parse(#"displayName co "3" or emails[value sw "u1"]"#)),
            // No column for these: evaluated in Swift over the table.
            ListQuery(filter: try Filter.parse("emails.primary eq true"), startIndex: 2, count: 5),
            ListQuery(filter: try Filter.parse(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Ops""#)),
            ListQuery(sortBy: AttributePath.parse("displayName"), descending: true),
        ]
        // Pages of a table with no gaps (keys computed) and with one (keys found by offset).
        for query in queries { try Self.expectSamePage(directory, query, "no gaps") }
        try directory.deleteUser(id: ids[5])
        for query in queries { try Self.expectSamePage(directory, query, "a gap") }

        // Teams in creation order, both from the row (a lookup) and read for the page at once.
        func teamNames(_ bytes: [UInt8]?) throws -> [String]? {
            try JSONCoding.parse(String(decoding: try #require(bytes), as: UTF8.self))[attribute: "groups"]?
                .arrayValue?.compactMap { $0[attribute: "display"]?.stringValue }
        }
        let lookedUp = try directory.listUserRepresentations(
            ListQuery(filter: try Filter.parse(#"userName eq "user2@example.com""#)), baseURL: Self.base)
        #expect(try teamNames(lookedUp.items.first) == ["Night Shift", "Day \"Shift\""])
        let paged = try directory.listUserRepresentations(ListQuery(startIndex: 3, count: 1), baseURL: Self.base)
        #expect(try teamNames(paged.items.first) == ["Night Shift", "Day \"Shift\""])
    }

    /// A user's `groups`, written straight to text for a page, are the bytes the parsed
    /// user's `groups` value writes, whatever the names, ids and base URL hold.
    @Test func groupsWrittenDirectlyAreTheBytesOfTheValue() {
        let names = ["Night Shift", "Day \"Shift\"", "back\\slash", "line\nbreak\ttab\u{1}", "sep\u{2028}ara\u{2029}te",
                     "Équipe ☕️ 東京", "", "/Groups/../x"]
        let groups = names.enumerated().map { GroupReference(id: $0.offset == 3 ? "id\"\u{2028}\($0.offset)" : "g-\($0.offset)",
                                                            displayName: $0.element) }
        for base in [Self.base, "", "https://grafana.example.com/ünï\"c\u{2028}de"] {
            for count in [0, 1, groups.count] {
                let some = Array(groups.prefix(count))
                let expected = some.isEmpty ? [] : JSONCoding.data(StoredUser.groupsValue(some, baseURL: base))
                #expect(String(decoding: StoredUser.groupsText(some, baseURL: EscapedText(base)), as: UTF8.self)
                        == String(decoding: expected, as: UTF8.self), "\(base) \(count)")
            }
        }
    }

    /// The representation stored with a user stays true through everything
    /// that changes what is served: PUT, PATCH, the console's deactivation,
    /// joining, renaming and leaving teams. A row written before
    /// representations were stored, or changed by a writer that did not write
    /// its representation, is written from its document.
    @Test func theStoredRepresentationFollowsEveryChange() throws {
        let directory = try makeDirectory()
        let ada = try directory.createUser(["userName": "ada@example.com", "name": ["givenName": "Ada"]]).id
        let bob = try directory.createUser(["userName": "bob@example.com"]).id
        func stored() throws -> Int {
            try directory.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM users WHERE representation IS NOT NULL") } ?? -1
        }
        func expectPagesAgree(_ step: String, stored expected: Int = 2) throws {
            #expect(try stored() == expected, "\(step)")
            try Self.expectSamePage(directory, ListQuery(), step)
            try Self.expectSamePage(directory, ListQuery(filter: try Filter.parse(#"userName eq "ada@example.com""#)), step)
        }
        try expectPagesAgree("created")
        _ = try directory.replaceUser(id: ada, with: ["userName": "ada@example.com", "displayName": "Ada L", "active": true])
        try expectPagesAgree("PUT")
        _ = try directory.patchUser(id: bob, PatchRequest(operations: [
            PatchOperation(op: .add, path: PatchPath(attribute: AttributePath(attribute: "title")), value: "Engineer")]))
        try expectPagesAgree("PATCH")
        _ = try directory.setActive(false, userID: bob, actor: .operator)
        try expectPagesAgree("deactivated")
        let team = try directory.createGroup(["displayName": "Ops", "members": [["value": .string(ada)], ["value": .string(bob)]]])
        try expectPagesAgree("joined a team")
        _ = try directory.replaceGroup(id: team.id, with: ["displayName": "Ops \"night\"", "members": [["value": .string(ada)]]])
        try expectPagesAgree("team renamed, bob left")
        #expect(try directory.user(id: ada)?.meta.version == 2)

        try directory.write { db, _ in
            try db.execute(sql: #"UPDATE users SET document = json_set(document, '$.title', 'Boss') WHERE id = ?"#, arguments: [ada])
        }
        try expectPagesAgree("a document changed behind the representation's back", stored: 1)
        try directory.write { db, _ in
            try db.execute(sql: "UPDATE users SET representation = NULL, representation_base_url_at = NULL")
        }
        try expectPagesAgree("rows without a stored representation", stored: 0)
        _ = try directory.patchUser(id: bob, PatchRequest(operations: [
            PatchOperation(op: .replace, path: PatchPath(attribute: AttributePath(attribute: "title")), value: "Lead")]))
        try expectPagesAgree("written again", stored: 1)
    }
}
