import Directory
import Hummingbird
import SCIM

/// `/Users`, `/Groups`, their `/{id}`s and `/.search`: HTTP in, Directory
/// call, SCIM JSON out. No rules live here; they are the Directory's.
struct SCIMRoutes: Sendable {
    let directory: Directory
    let configuration: EndpointConfiguration
    let gate: SCIMGate

    func register(_ table: RouteTable, base: String) {
        table.route(RouterPath("\(base)/Users"), [.get: scim(listUsers), .post: scim(createUser)])
        table.route(RouterPath("\(base)/Users/.search"), [.post: scim(searchUsers)])
        table.route(RouterPath("\(base)/Users/:id"),
                    [.get: scim(getUser), .put: scim(replaceUser), .patch: scim(patchUser), .delete: scim(deleteUser)])
        table.route(RouterPath("\(base)/Groups"), [.get: scim(listGroups), .post: scim(createGroup)])
        table.route(RouterPath("\(base)/Groups/.search"), [.post: scim(searchGroups)])
        table.route(RouterPath("\(base)/Groups/:id"),
                    [.get: scim(getGroup), .put: scim(replaceGroup), .patch: scim(patchGroup), .delete: scim(deleteGroup)])
        table.route(RouterPath("\(base)/.search"), [.post: scim(searchAll)])
    }

    /// Wraps a handler behind the gate (toggle, namespace, token).
    func scim(_ handler: @escaping @Sendable (SCIMRequest) async throws -> Response) -> RouteTable.Handler {
        { [gate, configuration] request, context in
            try gate.check(request, context: context)
            return try await handler(SCIMRequest(request: request, context: context, configuration: configuration))
        }
    }

    // MARK: users

    func listUsers(_ r: SCIMRequest) throws -> Response {
        try listUsers(r, parameters: r.parameters)
    }

    func searchUsers(_ r: SCIMRequest) throws -> Response {
        try listUsers(r, parameters: ListQuery.searchParameters(r.body()))
    }

    func listUsers(_ r: SCIMRequest, parameters: [String: String]) throws -> Response {
        let query = try ListQuery(parameters: parameters)
        let projection = try AttributeProjection(parameters: parameters)
        let base = r.baseURL
        if projection.isIdentity {
            // Every user's stored representation, copied into the page (`listUserRepresentations`).
            let page = try directory.listUserRepresentations(query, baseURL: base)
            let text = ListResponse.data(count: page.items.count, totalResults: page.totalResults, startIndex: query.startIndex,
                                         capacity: 256 + page.items.reduce(0) { $0 + $1.count + 1 }) { i, out in
                out.append(contentsOf: page.items[i])
            }
            return JSONResponse.make(.ok, text: text, context: r.context)
        }
        let page = try directory.listUsers(query)
        let resources = page.items.map { projection.apply(to: $0.representation(baseURL: base), type: .user) }
        return JSONResponse.scim(.ok, ListResponse(resources: resources, totalResults: page.totalResults,
                                                   startIndex: query.startIndex).document, context: r.context)
    }

    func createUser(_ r: SCIMRequest) async throws -> Response {
        let body = try r.body()
        let user = try await directory.batched { try $0.createUser(body) }
        r.context.exchange.resourceID = user.id
        return try respond(.created, user.representation(baseURL: r.baseURL), type: .user, r, location: true)
    }

    func getUser(_ r: SCIMRequest) throws -> Response {
        r.context.exchange.resourceID = r.id()
        guard let user = try directory.user(id: r.id()) else { throw Directory.userNotFound(r.id()) }
        return try respond(.ok, user.representation(baseURL: r.baseURL), type: .user, r)
    }

    func replaceUser(_ r: SCIMRequest) async throws -> Response {
        r.context.exchange.resourceID = r.id()
        let (id, body) = (r.id(), try r.body())
        try noteUserBefore(r)
        let user = try await directory.batched { try $0.replaceUser(id: id, with: body) }
        return try respond(.ok, user.representation(baseURL: r.baseURL), type: .user, r)
    }

    func patchUser(_ r: SCIMRequest) async throws -> Response {
        r.context.exchange.resourceID = r.id()
        let (id, patch) = (r.id(), try PatchRequest(json: r.body()))
        try noteUserBefore(r)
        let user = try await directory.batched { try $0.patchUser(id: id, patch) }
        return try respond(.ok, user.representation(baseURL: r.baseURL), type: .user, r)
    }

    func deleteUser(_ r: SCIMRequest) async throws -> Response {
        r.context.exchange.resourceID = r.id()
        let id = r.id()
        try await directory.batched { try $0.deleteUser(id: id) }
        return JSONResponse.scim(.noContent, nil, context: r.context)
    }

    // MARK: groups

    func listGroups(_ r: SCIMRequest) throws -> Response {
        try listGroups(r, parameters: r.parameters)
    }

    func searchGroups(_ r: SCIMRequest) throws -> Response {
        try listGroups(r, parameters: ListQuery.searchParameters(r.body()))
    }

    func listGroups(_ r: SCIMRequest, parameters: [String: String]) throws -> Response {
        let query = try ListQuery(parameters: parameters)
        let projection = try AttributeProjection(parameters: parameters)
        let page = try directory.listGroups(query)
        let base = r.baseURL
        let resources = page.items.map { projection.apply(to: $0.representation(baseURL: base), type: .group) }
        return JSONResponse.scim(.ok, ListResponse(resources: resources, totalResults: page.totalResults,
                                                   startIndex: query.startIndex).document, context: r.context)
    }

    func createGroup(_ r: SCIMRequest) async throws -> Response {
        let body = try r.body()
        let group = try await directory.batched { try $0.createGroup(body) }
        r.context.exchange.resourceID = group.id
        return try respond(.created, group.representation(baseURL: r.baseURL), type: .group, r, location: true)
    }

    func getGroup(_ r: SCIMRequest) throws -> Response {
        r.context.exchange.resourceID = r.id()
        guard let group = try directory.group(id: r.id()) else { throw Directory.groupNotFound(r.id()) }
        return try respond(.ok, group.representation(baseURL: r.baseURL), type: .group, r)
    }

    func replaceGroup(_ r: SCIMRequest) async throws -> Response {
        r.context.exchange.resourceID = r.id()
        let (id, body) = (r.id(), try r.body())
        try noteGroupBefore(r)
        let group = try await directory.batched { try $0.replaceGroup(id: id, with: body) }
        return try respond(.ok, group.representation(baseURL: r.baseURL), type: .group, r)
    }

    /// RFC 7644 §3.5.2 lets a PATCH answer 200 with the resource or 204. A
    /// PATCH that only adds or removes members answers 204: Okta reads no body
    /// from it, and a 5,000-member team's body is about 750 KB of JSON,
    /// serialized for each one-member change of a push burst. A client that
    /// names `attributes` or `excludedAttributes` asked for a representation
    /// and gets 200 with one; every other PATCH answers 200 with the group.
    func patchGroup(_ r: SCIMRequest) async throws -> Response {
        r.context.exchange.resourceID = r.id()
        let (id, patch) = (r.id(), try PatchRequest(json: r.body()))
        if try r.projection().isIdentity, try await directory.batched({ try $0.patchGroupMembership(id: id, patch) }) {
            return JSONResponse.scim(.noContent, nil, context: r.context)
        }
        try noteGroupBefore(r)
        let group = try await directory.batched { try $0.patchGroup(id: id, patch) }
        return try respond(.ok, group.representation(baseURL: r.baseURL), type: .group, r)
    }

    func deleteGroup(_ r: SCIMRequest) async throws -> Response {
        r.context.exchange.resourceID = r.id()
        let id = r.id()
        try await directory.batched { try $0.deleteGroup(id: id) }
        return JSONResponse.scim(.noContent, nil, context: r.context)
    }

    // MARK: search across types

    /// `POST /.search`: users, then groups, paged as one list.
    func searchAll(_ r: SCIMRequest) throws -> Response {
        let parameters = try ListQuery.searchParameters(r.body())
        let query = try ListQuery(parameters: parameters)
        let projection = try AttributeProjection(parameters: parameters)
        let base = r.baseURL
        var userQuery = query
        let users = try directory.listUsers(userQuery)
        var resources = users.items.map { projection.apply(to: $0.representation(baseURL: base), type: .user) }
        // Groups continue where users end: startIndex is relative to the combined list.
        userQuery.startIndex = max(1, query.startIndex - users.totalResults)
        userQuery.count = query.count - resources.count
        let groups = try directory.listGroups(userQuery)
        if query.startIndex + resources.count > users.totalResults {
            resources += groups.items.map { projection.apply(to: $0.representation(baseURL: base), type: .group) }
        }
        return JSONResponse.scim(.ok, ListResponse(resources: resources,
                                                   totalResults: users.totalResults + groups.totalResults,
                                                   startIndex: query.startIndex).document, context: r.context)
    }

    /// The resource as it was before a change, for the request log's diff: only the
    /// head the log keeps is read and written (a team's first members, 64 KiB of text).
    func noteUserBefore(_ r: SCIMRequest) throws {
        r.context.exchange.resourceBefore = try directory.user(id: r.id())
            .map { Redaction.head(of: $0.representation(baseURL: r.baseURL)) }
    }

    func noteGroupBefore(_ r: SCIMRequest) throws {
        r.context.exchange.resourceBefore = try directory.group(id: r.id(), memberLimit: Redaction.headMembers)
            .map { Redaction.head(of: $0.representation(baseURL: r.baseURL)) }
    }

    func respond(_ status: HTTPResponse.Status, _ resource: JSONValue, type: ResourceType, _ r: SCIMRequest,
                 location: Bool = false) throws -> Response {
        var headers: [(String, String)] = []
        if location, let loc = resource[attribute: "meta"]?[attribute: "location"]?.stringValue {
            headers.append(("Location", loc))
        }
        return JSONResponse.scim(status, try r.projection().apply(to: resource, type: type), headers: headers,
                                 context: r.context)
    }
}
