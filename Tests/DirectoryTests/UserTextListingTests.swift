import Foundation
import SCIM
import Testing
@testable import Directory

/// `listUserTexts` (the endpoint's list pages, written from stored text) and
/// `listUsers` (everything else) answer every query with the same page.
@Suite("User pages as stored text")
struct UserTextListingTests {
    @Test func everyQueryGivesTheSamePageBothWays() throws {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<30 {
            var user: JSONValue = ["userName": .string("user\(i)@example.com"), "displayName": .string("User \(i % 7)"),
                                   "active": .bool(i % 3 != 0), "emails": [["value": .string("u\(i)@example.com"), "primary": true]]]
            if i % 4 == 0, case .object(var fields) = user {
                fields["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = ["department": "Ops"]
                user = .object(fields)
            }
            ids.append(try directory.createUser(user).id)
        }
        _ = try directory.createGroup(["displayName": "Night Shift", "members": [["value": .string(ids[1])], ["value": .string(ids[2])]]])
        _ = try directory.createGroup(["displayName": "Day \"Shift\"", "members": [["value": .string(ids[2])]]])
        try directory.deleteUser(id: ids[5])  // a gap in seq: the page is found by offset, not arithmetic

        let queries: [ListQuery] = [
            ListQuery(), ListQuery(startIndex: 10, count: 5), ListQuery(startIndex: 29, count: 10),
            ListQuery(count: 0), ListQuery(startIndex: 1000),
            ListQuery(filter: try Filter.parse(#"userName eq "USER2@example.com""#)),
            ListQuery(filter: try Filter.parse(#"userName eq "nobody""#)),
            ListQuery(filter: try Filter.parse("active eq true"), startIndex: 3, count: 4),
            ListQuery(filter: try Filter.parse(#"displayName co "3" or emails[value sw "u1"]"#)),
            ListQuery(sortBy: AttributePath.parse("displayName"), descending: true),
        ]
        let base = "http://x/apis/scim.grafana.app/v0alpha1/namespaces/default"
        for query in queries {
            let parsed = try directory.listUsers(query)
            let texts = try directory.listUserTexts(query)
            #expect(texts.totalResults == parsed.totalResults, "\(query)")
            #expect(texts.items.map(\.id) == parsed.items.map(\.id), "\(query)")
            let written = try directory.listUserRepresentations(query, baseURL: base)
            #expect(written.totalResults == parsed.totalResults, "\(query)")
            #expect(written.items.count == parsed.items.count, "\(query)")
            for (i, (text, user)) in zip(texts.items, parsed.items).enumerated() {
                #expect(text.user == user)
                var out: [UInt8] = []
                text.writeRepresentation(baseURL: base, into: &out)
                #expect(out == JSONCoding.data(user.representation(baseURL: base)))
                #expect(i < written.items.count && written.items[i] == out)
            }
        }
        let both = try directory.listUserTexts(ListQuery(filter: try Filter.parse(#"userName eq "user2@example.com""#)))
        #expect(both.items.first?.groups.map(\.displayName) == ["Night Shift", "Day \"Shift\""])
    }

    /// The representation stored with a user stays true through everything
    /// that changes what is served: PUT, PATCH, the console's deactivation,
    /// joining, renaming and leaving teams. A row written before
    /// representations were stored is written from its document.
    @Test func theStoredRepresentationFollowsEveryChange() throws {
        let directory = try makeDirectory()
        let base = "http://x/apis/scim.grafana.app/v0alpha1/namespaces/default"
        let ada = try directory.createUser(["userName": "ada@example.com", "name": ["givenName": "Ada"]]).id
        let bob = try directory.createUser(["userName": "bob@example.com"]).id
        func expectPagesAgree(_ step: String, templates: Bool = true) throws {
            let texts = try directory.listUserTexts(ListQuery())
            let written = try directory.listUserRepresentations(ListQuery(), baseURL: base)
            let parsed = try directory.listUsers(ListQuery())
            #expect(texts.items.count == 2 && written.items.count == 2, "\(step)")
            for (i, (text, user)) in zip(texts.items, parsed.items).enumerated() {
                #expect((text.template != nil) == templates, "\(step)")
                let expected = String(decoding: JSONCoding.data(user.representation(baseURL: base)), as: UTF8.self)
                var out: [UInt8] = []
                text.writeRepresentation(baseURL: base, into: &out)
                #expect(String(decoding: out, as: UTF8.self) == expected, "\(step)")
                #expect(String(decoding: written.items[i], as: UTF8.self) == expected, "\(step)")
            }
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
            try db.execute(sql: "UPDATE users SET representation = NULL, representation_base_url_at = NULL")
        }
        try expectPagesAgree("rows without a stored representation", templates: false)
    }
}
