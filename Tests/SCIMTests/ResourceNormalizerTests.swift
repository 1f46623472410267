import Testing
@testable import SCIM

@Suite("Resource decoding")
struct ResourceNormalizerTests {
    @Test func attributeNamesAreCanonicalisedCaseInsensitively() throws {
        let doc = try ResourceNormalizer(type: .user).document(from: JSONCoding.parse("""
            {"USERNAME":"a@b.c","Name":{"GIVENNAME":"A"},"Emails":[{"VALUE":"a@b.c","Primary":"true"}],"ACTIVE":"False"}
            """))
        #expect(doc["userName"] == "a@b.c")
        #expect(doc["name"] == ["givenName": "A"])
        #expect(doc["emails"] == [["value": "a@b.c", "primary": true]])
        #expect(doc["active"] == false)
    }

    @Test func unknownAttributesAreKeptAndPasswordAndReadOnlyDropped() throws {
        let doc = try ResourceNormalizer(type: .user).document(from: JSONCoding.parse("""
            {"userName":"a@b.c","password":"x","id":"client-id","meta":{"version":"1"},"groups":[{"value":"g"}],
             "favouriteColour":"teal","schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}
            """))
        #expect(doc == ["userName": "a@b.c", "favouriteColour": "teal"])
    }

    @Test func enterpriseExtensionLivesUnderItsURN() throws {
        let doc = try ResourceNormalizer(type: .user).document(from: JSONCoding.parse("""
            {"userName":"a@b.c","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"Department":"R&D","manager":{"value":"m1"}}}
            """))
        #expect(doc[SchemaURN.enterpriseUser] == ["department": "R&D", "manager": ["value": "m1"]])
        let rep = ResourceType.user.representation(
            id: "1", document: doc, meta: Meta(resourceType: "User", created: .init(timeIntervalSince1970: 0),
                                               lastModified: .init(timeIntervalSince1970: 0), version: 1),
            baseURL: "http://h/b")
        #expect(rep[attribute: "schemas"] == [.string(SchemaURN.user), .string(SchemaURN.enterpriseUser)])
        #expect(rep[attribute: "meta"]?[attribute: "location"] == "http://h/b/Users/1")
        #expect(rep[attribute: "meta"]?[attribute: "created"] == "1970-01-01T00:00:00.000Z")
    }

    @Test func requiredAttributesAndTypes() {
        #expect(throws: SCIMError.invalidValue("\"userName\" is required and must be a non-empty string.")) {
            try ResourceNormalizer(type: .user).document(from: ["displayName": "x"])
        }
        #expect(throws: SCIMError.self) { try ResourceNormalizer(type: .user).document(from: ["userName": 7]) }
        #expect(throws: SCIMError.self) { try ResourceNormalizer(type: .group).document(from: ["displayName": "  "]) }
        #expect(throws: SCIMError.self) { try ResourceNormalizer(type: .user).document(from: ["userName": "a", "active": "yes"]) }
    }

    @Test func projection() throws {
        let resource: JSONValue = ["schemas": [], "id": "1", "userName": "a", "name": ["givenName": "A", "familyName": "B"],
                                   "emails": [["value": "a@b", "type": "work"]]]
        let only = AttributeProjection(attributes: [AttributePath(attribute: "name", subAttribute: "givenName"),
                                                    AttributePath(attribute: "emails", subAttribute: "value")])
        #expect(only.apply(to: resource, type: .user)
            == ["schemas": [], "id": "1", "name": ["givenName": "A"], "emails": [["value": "a@b"]]])
        let without = AttributeProjection(excluded: [AttributePath(attribute: "emails"), AttributePath(attribute: "id")])
        #expect(without.apply(to: resource, type: .user)
            == ["schemas": [], "id": "1", "userName": "a", "name": ["givenName": "A", "familyName": "B"]])
    }

    @Test func listQueryParameters() throws {
        let q = try ListQuery(parameters: ["startIndex": "0", "COUNT": "5000", "sortBy": "userName", "sortOrder": "descending"])
        #expect(q.startIndex == 1)
        #expect(q.count == ListQuery.maxCount)
        #expect(q.descending)
        #expect(throws: SCIMError.self) { try ListQuery(parameters: ["count": "ten"]) }
        #expect(throws: SCIMError.self) { try ListQuery(parameters: ["sortOrder": "sideways"]) }
    }

    @Test func jsonRoundTrip() throws {
        let text = #"{"a":[1,2.5,true,null,"x\"y\n"],"b":{"c":"é😀"}}"#
        let value = try JSONCoding.parse(text)
        #expect(try JSONCoding.parse(JSONCoding.serialize(value)) == value)
        #expect(throws: SCIMError.self) { try JSONCoding.parse("{\"a\":") }
    }
}
