import Testing
@testable import SCIM

@Suite("PATCH")
struct PatchTests {
    let user: [String: JSONValue] = [
        "userName": "alice@example.com", "active": true, "displayName": "Alice Smith",
        "name": ["givenName": "Alice", "familyName": "Smith"],
        "emails": [
            ["value": "alice@example.com", "type": "work", "primary": true],
            ["value": "alice@home.example", "type": "home"],
        ],
    ]
    let group: [String: JSONValue] = [
        "displayName": "Engineering",
        "members": [["value": "u1", "display": "a@x"], ["value": "u2", "display": "b@x"]],
    ]

    func patch(_ doc: [String: JSONValue], _ type: ResourceType, _ body: String) throws -> [String: JSONValue] {
        var doc = doc
        try PatchApplier(type: type).apply(PatchRequest(json: JSONCoding.parse(body)), to: &doc)
        return doc
    }

    func patchError(_ doc: [String: JSONValue], _ type: ResourceType, _ body: String) -> SCIMError? {
        do {
            _ = try patch(doc, type, body)
            return nil
        } catch let error as SCIMError {
            return error
        } catch {
            return nil
        }
    }

    static let op = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":"#

    // MARK: Okta's user shapes

    @Test func oktaDeactivatePathlessObjectValue() throws {
        let doc = try patch(user, .user, Self.op + #"[{"op":"replace","value":{"active":false}}]}"#)
        #expect(doc["active"] == false)
        #expect(doc["userName"] == "alice@example.com")
    }

    @Test func capitalisedOpAndStringBoolean() throws {
        let doc = try patch(user, .user, Self.op + #"[{"op":"Replace","path":"active","value":"False"}]}"#)
        #expect(doc["active"] == false)
        let back = try patch(doc, .user, Self.op + #"[{"op":"REPLACE","value":{"ACTIVE":"true"}}]}"#)
        #expect(back["active"] == true)
    }

    @Test func passwordIsAcceptedAndDropped() throws {
        let doc = try patch(user, .user, Self.op + #"[{"op":"replace","value":{"password":"s3cret"}}]}"#)
        #expect(doc == user)
        let doc2 = try patch(user, .user, Self.op + #"[{"op":"replace","path":"password","value":"s3cret"}]}"#)
        #expect(doc2 == user)
    }

    @Test func subAttributePaths() throws {
        let doc = try patch(user, .user, Self.op + #"[{"op":"replace","path":"name.familyName","value":"Jones"}]}"#)
        #expect(doc["name"] == ["givenName": "Alice", "familyName": "Jones"])
        let removed = try patch(doc, .user, Self.op + #"[{"op":"remove","path":"name.givenName"}]}"#)
        #expect(removed["name"] == ["familyName": "Jones"])
    }

    @Test func filteredPaths() throws {
        let doc = try patch(user, .user, Self.op
            + #"[{"op":"replace","path":"emails[type eq \"work\"].value","value":"alice@new.example"}]}"#)
        #expect(doc["emails"]?.arrayValue?[0][attribute: "value"] == "alice@new.example")
        #expect(doc["emails"]?.arrayValue?[1][attribute: "value"] == "alice@home.example")
        let removed = try patch(user, .user, Self.op + #"[{"op":"remove","path":"emails[type eq \"home\"]"}]}"#)
        #expect(removed["emails"]?.arrayValue?.count == 1)
    }

    @Test func urnPrefixedPaths() throws {
        let doc = try patch(user, .user, Self.op + """
            [{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"R&D"},
             {"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:displayName","value":"A. Smith"}]}
            """)
        #expect(doc[SchemaURN.enterpriseUser] == ["department": "R&D"])
        #expect(doc["displayName"] == "A. Smith")
        let pathless = try patch(user, .user, Self.op + """
            [{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"42"}}}]}
            """)
        #expect(pathless[SchemaURN.enterpriseUser] == ["costCenter": "42"])
    }

    @Test func addAppendsToMultiValued() throws {
        let doc = try patch(user, .user, Self.op + #"[{"op":"add","path":"emails","value":[{"value":"a@b.c","type":"other"}]}]}"#)
        #expect(doc["emails"]?.arrayValue?.count == 3)
    }

    // MARK: Okta's group shapes

    @Test func membersRemoveByFilterAndAdd() throws {
        let doc = try patch(group, .group, Self.op + """
            [{"op":"remove","path":"members[value eq \\"u1\\"]"},
             {"op":"add","path":"members","value":[{"value":"u3","display":"c@x"}]}]}
            """)
        #expect(doc["members"]?.arrayValue?.compactMap { $0[attribute: "value"]?.stringValue } == ["u2", "u3"])
    }

    @Test func membersAddSkipsDuplicates() throws {
        let doc = try patch(group, .group, Self.op + #"[{"op":"add","path":"members","value":[{"value":"u2"},{"value":"u4"}]}]}"#)
        #expect(doc["members"]?.arrayValue?.compactMap { $0[attribute: "value"]?.stringValue } == ["u1", "u2", "u4"])
    }

    @Test func membersReplaceIncludingEmpty() throws {
        let doc = try patch(group, .group, Self.op + #"[{"op":"replace","path":"members","value":[{"value":"u9"}]}]}"#)
        #expect(doc["members"] == [["value": "u9"]])
        let empty = try patch(group, .group, Self.op + #"[{"op":"replace","path":"members","value":[]}]}"#)
        #expect(empty["members"] == nil)
    }

    @Test func renameRidesAlongWithIdInValue() throws {
        let doc = try patch(group, .group, Self.op
            + #"[{"op":"replace","value":{"id":"ignored","displayName":"Platform"}}]}"#)
        #expect(doc["displayName"] == "Platform")
        #expect(doc["id"] == nil)
    }

    @Test func removingAnAbsentMemberIsNotAnError() throws {
        let doc = try patch(group, .group, Self.op + #"[{"op":"remove","path":"members[value eq \"nobody\"]"}]}"#)
        #expect(doc == group)
    }

    // MARK: errors

    @Test func errors() {
        #expect(patchError(user, .user, Self.op + #"[{"op":"remove"}]}"#)?.scimType == .noTarget)
        #expect(patchError(user, .user, Self.op + #"[{"op":"replace","path":"emails[type eq \"fax\"].value","value":"x"}]}"#)?.scimType == .noTarget)
        #expect(patchError(user, .user, Self.op + #"[{"op":"replace","path":"emails[type eq","value":"x"}]}"#)?.scimType == .invalidPath)
        #expect(patchError(user, .user, Self.op + #"[{"op":"replace","path":"active.sub","value":"x"}]}"#)?.scimType == .invalidPath)
        #expect(patchError(user, .user, Self.op + #"[{"op":"replace","path":"active","value":"maybe"}]}"#)?.scimType == .invalidValue)
        #expect(patchError(user, .user, Self.op + #"[{"op":"replace","value":"not an object"}]}"#)?.scimType == .invalidValue)
        #expect(patchError(user, .user, Self.op + #"[{"op":"replace","path":"id","value":"x"}]}"#)?.scimType == .mutability)
        #expect(patchError(user, .user, Self.op + #"[{"op":"remove","path":"userName"}]}"#)?.scimType == .mutability)
        #expect(patchError(user, .user, Self.op + #"[{"op":"jump","path":"title","value":"x"}]}"#)?.scimType == .invalidSyntax)
        #expect(patchError(user, .user, #"{"Operations":"nope"}"#)?.scimType == .invalidSyntax)
    }
}
