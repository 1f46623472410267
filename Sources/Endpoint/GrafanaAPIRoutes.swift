import Directory
import Foundation
import Hummingbird
import SCIM

/// The part of Grafana's HTTP API the wizard calls: health, frontend settings
/// (feature toggles), service accounts and their tokens. Authenticated as
/// Grafana does: basic auth as the admin, or a bearer token of an Admin
/// service account.
struct GrafanaAPIRoutes: Sendable {
    let directory: Directory
    let configuration: EndpointConfiguration
    let toggles: ToggleWatcher
    let admin: AdminCredentials

    func register(_ table: RouteTable) {
        table.route("/api/health", [.get: { _, context in
            JSONResponse.json(.ok, ["database": "ok", "version": .string(configuration.version),
                                    "commit": "scim-console-embedded"], context: context)
        }])
        table.route("/api/frontend/settings", [.get: api { _, context in
            var toggleMap: [String: JSONValue] = [:]
            for name in toggles.enabledToggles { toggleMap[name] = true }
            return JSONResponse.json(.ok, [
                "featureToggles": .object(toggleMap),
                "buildInfo": ["version": .string(configuration.version), "edition": "scim-console embedded"],
            ], context: context)
        }])
        table.route("/api/serviceaccounts", [.post: api(createAccount)])
        table.route("/api/serviceaccounts/search", [.get: api(searchAccounts)])
        table.route("/api/serviceaccounts/:id", [.get: api(getAccount), .delete: api(deleteAccount)])
        table.route("/api/serviceaccounts/:id/tokens", [.get: api(listTokens), .post: api(createToken)])
        table.route("/api/serviceaccounts/:id/tokens/:tokenId", [.delete: api(deleteToken)])
    }

    func api(_ handler: @escaping @Sendable (Request, EndpointContext) async throws -> Response) -> RouteTable.Handler {
        { request, context in
            try authorize(request)
            return try await handler(request, context)
        }
    }

    func authorize(_ request: Request) throws {
        guard let header = request.headers[.authorization] else {
            throw GrafanaAPIError(status: 401, message: "Unauthorized: log in with basic auth as admin, or send a service account token.")
        }
        if header.lowercased().hasPrefix("basic ") {
            guard admin.accepts(basic: header) else {
                throw GrafanaAPIError(status: 401, message: "Invalid username or password.")
            }
            return
        }
        let account: ServiceAccount
        do {
            account = try directory.authenticate(bearer: SCIMGate.bearer(request))
        } catch let rejection as TokenRejection {
            throw GrafanaAPIError(status: 401, message: rejection.detail)
        }
        guard account.role == "Admin" else {
            throw GrafanaAPIError(status: 403, message: """
                You'll need additional permissions to perform this action. Permissions needed: \
                serviceaccounts:write (service account "\(account.name)" has role \(account.role)).
                """)
        }
    }

    // MARK: handlers

    func body(_ context: EndpointContext) throws -> [String: JSONValue] {
        let bytes = context.exchange.requestBody
        guard !bytes.isEmpty, case .object(let o) = try JSONCoding.parse(bytes) else {
            throw GrafanaAPIError(status: 400, message: "The request needs a JSON object body.")
        }
        return o
    }

    func accountID(_ context: EndpointContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else {
            throw GrafanaAPIError(status: 400, message: "The service account id must be a number.")
        }
        return id
    }

    func createAccount(_ request: Request, _ context: EndpointContext) throws -> Response {
        let b = try body(context)
        guard let name = b.value(forAttribute: "name")?.stringValue else {
            throw GrafanaAPIError(status: 400, message: "A service account needs a \"name\".")
        }
        let account = try directory.createServiceAccount(
            name: name, role: b.value(forAttribute: "role")?.stringValue ?? "Viewer",
            isDisabled: b.value(forAttribute: "isDisabled")?.boolValue ?? false)
        return JSONResponse.json(.created, Self.document(account, teams: true), context: context)
    }

    func searchAccounts(_ request: Request, _ context: EndpointContext) throws -> Response {
        let q = QueryParameters.parse(request.uri.query)
        let page = Int(q["page"] ?? "") ?? 1
        let perPage = Int(q["perpage"] ?? q["perPage"] ?? "") ?? 1000
        let (total, accounts) = try directory.serviceAccounts(query: q["query"] ?? "", page: page, perPage: perPage)
        return JSONResponse.json(.ok, [
            "totalCount": .number(Double(total)),
            "serviceAccounts": .array(accounts.map { Self.document($0, teams: false) }),
            "page": .number(Double(page)), "perPage": .number(Double(perPage)),
        ], context: context)
    }

    func getAccount(_ request: Request, _ context: EndpointContext) throws -> Response {
        let id = try accountID(context)
        guard let account = try directory.serviceAccount(id: id) else {
            throw GrafanaAPIError(status: 404, message: "Service account \(id) not found.")
        }
        return JSONResponse.json(.ok, Self.document(account, teams: true), context: context)
    }

    func deleteAccount(_ request: Request, _ context: EndpointContext) throws -> Response {
        try directory.deleteServiceAccount(id: accountID(context))
        return JSONResponse.json(.ok, ["message": "Service account deleted"], context: context)
    }

    func listTokens(_ request: Request, _ context: EndpointContext) throws -> Response {
        let now = Date()
        let tokens = try directory.tokens(serviceAccountID: accountID(context))
        return JSONResponse.json(.ok, .array(tokens.map { t in
            var doc: [String: JSONValue] = [
                "id": .number(Double(t.id)), "name": .string(t.name), "created": .string(Self.date(t.created)),
                "hasExpired": .bool(t.hasExpired(at: now)), "isRevoked": false,
                "expiration": t.expires.map { .string(Self.date($0)) } ?? .null,
                "lastUsedAt": t.lastUsed.map { .string(Self.date($0)) } ?? .null,
            ]
            if let e = t.expires { doc["secondsUntilExpiration"] = .number(max(0, e.timeIntervalSince(now).rounded())) }
            return .object(doc)
        }), context: context)
    }

    func createToken(_ request: Request, _ context: EndpointContext) throws -> Response {
        let b = try body(context)
        guard let name = b.value(forAttribute: "name")?.stringValue else {
            throw GrafanaAPIError(status: 400, message: "A token needs a \"name\".")
        }
        let ttl = Int(b.value(forAttribute: "secondsToLive")?.numberValue ?? 0)
        let token = try directory.createToken(serviceAccountID: accountID(context), name: name, secondsToLive: ttl)
        return JSONResponse.json(.ok, ["id": .number(Double(token.info.id)), "name": .string(token.info.name),
                                       "key": .string(token.key)], context: context)
    }

    func deleteToken(_ request: Request, _ context: EndpointContext) throws -> Response {
        guard let tokenID = context.parameters.get("tokenId").flatMap(Int64.init) else {
            throw GrafanaAPIError(status: 400, message: "The token id must be a number.")
        }
        try directory.deleteToken(serviceAccountID: accountID(context), tokenID: tokenID)
        return JSONResponse.json(.ok, ["message": "Service account token deleted"], context: context)
    }

    // MARK: documents

    static func document(_ a: ServiceAccount, teams: Bool) -> JSONValue {
        var doc: [String: JSONValue] = [
            "id": .number(Double(a.id)), "uid": .string(a.uid), "name": .string(a.name), "login": .string(a.login),
            "orgId": 1, "isDisabled": .bool(a.isDisabled), "role": .string(a.role),
            "tokens": .number(Double(a.tokenCount)), "avatarUrl": .string("/avatar/\(a.uid)"), "isExternal": false,
        ]
        if teams {
            doc["teams"] = []
            doc["createdAt"] = .string(date(a.created))
            doc["updatedAt"] = .string(date(a.updated))
        }
        return .object(doc)
    }

    static func date(_ d: Date) -> String {
        d.formatted(.iso8601)
    }
}
