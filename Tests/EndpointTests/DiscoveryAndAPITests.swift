import Foundation
import HTTPTypes
import SCIM
import Testing

@Suite("Discovery and Grafana API")
struct DiscoveryAndAPITests {
    @Test func discoveryDocuments() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            let spc = try await c.get("ServiceProviderConfig")
            #expect(spc.json?.at("patch", "supported") == true)
            #expect(spc.json?.at("bulk", "supported") == false)
            #expect(spc.json?.at("filter", "maxResults") == .number(Double(ListQuery.maxCount)))
            let schemas = try await c.get("Schemas")
            #expect(schemas.json?.at("totalResults") == 3)
            let user = try await c.get("Schemas/\(SchemaURN.user)")
            #expect(user.json?.at("attributes", "0", "name") == "userName")
            let types = try await c.get("ResourceTypes")
            #expect(types.json?.at("Resources", "0", "endpoint") == "/Users")
            #expect(try await c.get("ResourceTypes/Group").json?.at("schema") == .string(SchemaURN.group))
            #expect(try await c.get("ResourceTypes/Widget").status == 404)
        }
    }

    @Test func scimConfigObject() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            let initial = try await c.get("config/default")
            #expect(initial.json?.at("kind") == "SCIMConfig")
            #expect(initial.json?.at("spec", "enableUserSync") == false)
            let put = try await c.send(.put, "config/default", [
                "apiVersion": "scim.grafana.app/v0alpha1", "kind": "SCIMConfig",
                "metadata": ["name": "default", "namespace": "default"],
                "spec": ["enableUserSync": true, "enableGroupSync": true, "rejectNonProvisionedUsers": false]])
            #expect(put.json?.at("spec", "enableGroupSync") == true)
            #expect(try await c.send(.delete, "config/default").status == 200)
            #expect(try await c.get("config/default").json?.at("spec", "enableUserSync") == false)
        }
    }

    @Test func paginationSortingAndProjection() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { c in
            for i in 0..<5 { try await c.send(.post, "Users", ["userName": .string("u\(i)@example.com"), "title": .string("T\(4 - i)")]) }
            let page = try await c.get("Users?startIndex=2&count=2")
            #expect(page.json?.at("totalResults") == 5)
            #expect(page.json?.at("itemsPerPage") == 2)
            #expect(page.json?.at("startIndex") == 2)
            #expect(page.json?.at("Resources", "0", "userName") == "u1@example.com")
            let sorted = try await c.get("Users?sortBy=title&count=1")
            #expect(sorted.json?.at("Resources", "0", "userName") == "u4@example.com")
            let only = try await c.get("Users?attributes=userName&count=1")
            #expect(only.json?.at("Resources", "0")?.objectValue?.keys.sorted() == ["id", "schemas", "userName"])
            let search = try await c.send(.post, "Users/.search", ["schemas": [.string(SchemaURN.searchRequest)],
                                                                  "filter": "title eq \"T0\"", "excludedAttributes": ["meta"]])
            #expect(search.json?.at("totalResults") == 1)
            #expect(search.json?.at("Resources", "0", "meta") == nil)
        }
    }

    @Test func grafanaAPISubset() async throws {
        let harness = try EndpointHarness.make()
        let basic = "Basic " + Data("admin:\(harness.adminPassword)".utf8).base64EncodedString()
        try await harness.run { c in
            let health = try await c.send(.get, "/api/health", token: "")
            #expect(health.json?.at("database") == "ok")
            func api(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil, auth: String) async throws -> EndpointHarness.Client.Reply {
                try await c.send(method, path, body, token: "", headers: ["Authorization": auth])
            }
            #expect(try await api(.get, "/api/serviceaccounts/search", auth: "Basic YWRtaW46bm9wZQ==").status == 401)
            let settings = try await api(.get, "/api/frontend/settings", auth: basic)
            #expect(settings.json?.at("featureToggles", "enableSCIM") == true)
            let created = try await api(.post, "/api/serviceaccounts", ["name": "grafana-scim", "role": "Admin"], auth: basic)
            #expect(created.status == 201)
            #expect(created.json?.at("login") == "sa-1-grafana-scim")
            let id = try #require(created.json?.at("id")?.numberValue).formatted(.number.grouping(.never))
            #expect(try await api(.post, "/api/serviceaccounts", ["name": "grafana-scim"], auth: basic).status == 409)
            let search = try await api(.get, "/api/serviceaccounts/search?perpage=10&page=1&query=grafana", auth: basic)
            #expect(search.json?.at("totalCount") == 1)
            let token = try await api(.post, "/api/serviceaccounts/\(id)/tokens", ["name": "okta", "secondsToLive": 0], auth: basic)
            let key = try #require(token.json?.at("key")?.stringValue)
            #expect(key.hasPrefix("glsa_"))
            #expect(try await api(.post, "/api/serviceaccounts/\(id)/tokens", ["name": "okta"], auth: basic).status == 409)
            // The new token works for SCIM, and its key never reached the request log.
            #expect(try await c.get("Users", token: key).status == 200)
            await harness.directory.requestLog.flush()
            let logged = try harness.directory.requestLog.recent(limit: 50).map { $0.responseBody + $0.requestBody }.joined()
            #expect(!logged.contains(key))
            #expect(!logged.contains(harness.adminPassword))
            let tokens = try await api(.get, "/api/serviceaccounts/\(id)/tokens", auth: basic)
            let tokenID = try #require(tokens.json?.at("0", "id")?.numberValue).formatted(.number.grouping(.never))
            #expect(tokens.json?.at("0", "hasExpired") == false)
            #expect(try await api(.delete, "/api/serviceaccounts/\(id)/tokens/\(tokenID)", auth: basic).status == 200)
            #expect(try await c.get("Users", token: key).status == 401)
        }
    }
}
