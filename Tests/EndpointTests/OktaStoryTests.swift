import Foundation
import HTTPTypes
import SCIM
import Testing

/// The whole Okta provisioning story over HTTP, in both Okta flavours.
@Suite("Okta story over HTTP")
struct OktaStoryTests {
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    static func aliceJSON(_ name: String = "alice@example.com") -> JSONValue {
        [
            "schemas": [.string(SchemaURN.user)], "userName": .string(name),
            "name": ["givenName": "Alice", "familyName": "Smith"],
            "emails": [["primary": true, "value": .string(name), "type": "work"]],
            "displayName": "Alice Smith", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
            "groups": [], "password": "1mz050nq", "active": true,
        ]
    }

    /// Connector test, lookup, create, duplicate (also a case variant), GET.
    func connectAndCreate(_ c: EndpointHarness.Client) async throws -> String {
        let test = try await c.get("Users?startIndex=1&count=2")
        #expect(test.status == 200)
        #expect(test.json?.at("totalResults") == 0)
        #expect(test.json?.at("Resources") == [])
        #expect(test.headers[.contentType]?.hasPrefix("application/scim+json") == true)
        #expect(try await c.get("Groups?startIndex=1&count=100").status == 200)

        let lookup = try await c.get("Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100")
        #expect(lookup.json?.at("totalResults") == 0)

        let created = try await c.send(.post, "Users", Self.aliceJSON())
        #expect(created.status == 201)
        let id = try #require(created.json?.at("id")?.stringValue)
        #expect(created.json?.at("password") == nil)
        #expect(created.text.contains("1mz050nq") == false)
        #expect(created.headers[.location]?.hasSuffix("/Users/\(id)") == true)
        #expect(created.json?.at("meta", "resourceType") == "User")

        for name in ["alice@example.com", "ALICE@Example.COM"] {
            let dup = try await c.send(.post, "Users", Self.aliceJSON(name))
            #expect(dup.status == 409)
            #expect(dup.json?.at("scimType") == "uniqueness")
            #expect(dup.json?.at("status") == "409")
        }
        // Okta's SPEC test looks the user up with the name upper-cased, with `+` for spaces.
        let found = try await c.get("Users?count=100&filter=userName+eq+%22ALICE%40EXAMPLE.COM%22&startIndex=1")
        #expect(found.json?.at("totalResults") == 1)
        #expect(found.json?.at("Resources", "0", "id")?.stringValue == id)
        let byExternal = try await c.get("Users?filter=externalId%20eq%20%2200ujl29u0le5T6Aj10h7%22")
        #expect(byExternal.json?.at("totalResults") == 1)
        return id
    }

    @Test func patchFlavour() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            let id = try await connectAndCreate(c)

            // Profile update: GET then PUT of what it got, read-only fields echoed.
            var user = try #require(try await c.get("Users/\(id)").json?.objectValue)
            user["displayName"] = "Alice Jones"
            user["name"] = ["givenName": "Alice", "familyName": "Jones", "formatted": "Alice Jones"]
            user["password"] = "echoed"
            let put = try await c.send(.put, "Users/\(id)", .object(user))
            #expect(put.status == 200)
            #expect(put.json?.at("displayName") == "Alice Jones")
            #expect(put.json?.at("id")?.stringValue == id)
            #expect(put.json?.at("meta", "version") == "W/\"2\"")

            // Deactivate the catalog way, then reactivate with a capitalised op and a string boolean.
            let off = try await c.send(.patch, "Users/\(id)", [
                "schemas": [.string(Self.patchOp)], "Operations": [["op": "replace", "value": ["active": false]]]])
            #expect(off.status == 200)
            #expect(off.json?.at("active") == false)
            #expect(try await c.get("Users/\(id)").json?.at("active") == false)
            let on = try await c.send(.patch, "Users/\(id)", [
                "schemas": [.string(Self.patchOp)], "Operations": [["op": "Replace", "path": "active", "value": "True"]]])
            #expect(on.json?.at("active") == true)
            #expect(on.json?.at("id")?.stringValue == id)

            // Group push: lookup, create, membership PATCHes, rename, delete.
            let bob = try #require(try await c.send(.post, "Users", Self.aliceJSON("bob@example.com")).json?.at("id")?.stringValue)
            #expect(try await c.get("Groups?filter=displayName%20eq%20%22Engineering%22&startIndex=1&count=100").json?.at("totalResults") == 0)
            let group = try await c.send(.post, "Groups", ["schemas": [.string(SchemaURN.group)], "displayName": "Engineering", "members": []])
            #expect(group.status == 201)
            let gid = try #require(group.json?.at("id")?.stringValue)
            #expect(try await c.get("Groups?filter=displayName%20eq%20%22engineering%22").json?.at("totalResults") == 1)

            let add = try await c.send(.patch, "Groups/\(gid)", [
                "schemas": [.string(Self.patchOp)],
                "Operations": [["op": "add", "path": "members",
                                "value": [["value": .string(id), "display": "alice@example.com"],
                                          ["value": .string(bob), "display": "bob@example.com"]]]]])
            // Membership only: 204 and no body (RFC 7644 §3.5.2); the change is there on a GET.
            #expect(add.status == 204)
            #expect(add.text.isEmpty)
            #expect(try await c.get("Groups/\(gid)").json?.at("members")?.arrayValue?.count == 2)
            // A client that names the attributes it wants gets 200 with them, and the change made once.
            let again = try await c.send(.patch, "Groups/\(gid)?attributes=members", [
                "schemas": [.string(Self.patchOp)],
                "Operations": [["op": "add", "path": "members", "value": [["value": .string(bob)]]]]])
            #expect(again.status == 200)
            #expect(again.json?.at("members")?.arrayValue?.count == 2)
            #expect(again.json?.at("displayName") == nil)
            let excluded = try await c.send(.patch, "Groups/\(gid)?excludedAttributes=members", [
                "schemas": [.string(Self.patchOp)],
                "Operations": [["op": "remove", "path": "members[value eq \"no-such-member\"]"]]])
            #expect(excluded.status == 200)
            #expect(excluded.json?.at("displayName") == "Engineering")
            #expect(excluded.json?.at("members") == nil)
            // An unknown group is 404 on the short path too, and a bad member 400 with nothing changed.
            let missing = try await c.send(.patch, "Groups/no-such-group", [
                "schemas": [.string(Self.patchOp)],
                "Operations": [["op": "add", "path": "members", "value": [["value": .string(bob)]]]]])
            #expect(missing.status == 404)
            let unknown = try await c.send(.patch, "Groups/\(gid)", [
                "schemas": [.string(Self.patchOp)],
                "Operations": [["op": "remove", "path": .string("members[value eq \"\(bob)\"]")],
                               ["op": "add", "path": "members", "value": [["value": "no-such-user"]]]]])
            #expect(unknown.status == 400)
            #expect(unknown.json?.at("scimType") == "invalidValue")
            #expect(try await c.get("Groups/\(gid)").json?.at("members")?.arrayValue?.count == 2)
            #expect(try await c.get("Users/\(id)").json?.at("groups", "0", "display") == "Engineering")

            let removeAndRename = try await c.send(.patch, "Groups/\(gid)", [
                "schemas": [.string(Self.patchOp)],
                "Operations": [
                    ["op": "remove", "path": .string("members[value eq \"\(bob)\"]")],
                    ["op": "replace", "value": ["id": .string(gid), "displayName": "Platform"]],
                ]])
            #expect(removeAndRename.json?.at("displayName") == "Platform")
            #expect(removeAndRename.json?.at("members")?.arrayValue?.compactMap { $0[attribute: "value"]?.stringValue } == [id])

            let pushNow = try await c.send(.patch, "Groups/\(gid)", [
                "schemas": [.string(Self.patchOp)], "Operations": [["op": "replace", "path": "members", "value": []]]])
            #expect(pushNow.json?.at("members") == nil)

            #expect(try await c.send(.delete, "Groups/\(gid)").status == 204)
            #expect(try await c.get("Groups/\(gid)").status == 404)
            #expect(try await c.get("Groups/\(gid)").json?.at("schemas", "0") == .string(SchemaURN.error))
        }
    }

    @Test func putFlavour() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            let id = try await connectAndCreate(c)
            // Custom apps deactivate with GET + PUT.
            var user = try #require(try await c.get("Users/\(id)").json?.objectValue)
            user["active"] = false
            #expect(try await c.send(.put, "Users/\(id)", .object(user)).json?.at("active") == false)
            user["active"] = true
            let back = try await c.send(.put, "Users/\(id)", .object(user))
            #expect(back.json?.at("active") == true)
            #expect(back.json?.at("id")?.stringValue == id)

            // Groups: GET + PUT with the full member list.
            let gid = try #require(try await c.send(.post, "Groups", ["displayName": "Ops"]).json?.at("id")?.stringValue)
            var group = try #require(try await c.get("Groups/\(gid)").json?.objectValue)
            group["members"] = [["value": .string(id), "display": "alice@example.com"]]
            let put = try await c.send(.put, "Groups/\(gid)", .object(group))
            #expect(put.json?.at("members", "0", "value")?.stringValue == id)
            group["members"] = []
            group["displayName"] = "Operations"
            let emptied = try await c.send(.put, "Groups/\(gid)", .object(group))
            #expect(emptied.json?.at("members") == nil)
            #expect(emptied.json?.at("displayName") == "Operations")
        }
    }
}
