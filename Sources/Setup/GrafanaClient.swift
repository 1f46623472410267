import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SCIM

/// Grafana's HTTP API as the guide uses it: health, the live feature
/// toggles, service accounts and tokens, and plain SCIM GETs for the
/// connector test. Every failure is a `GrafanaClientError` sentence.
public final class GrafanaClient: Sendable {
    public let target: GrafanaTarget
    let http: HTTPClient
    let requestTimeout: TimeAmount

    public init(target: GrafanaTarget, connectTimeout: TimeAmount = .seconds(5), requestTimeout: TimeAmount = .seconds(15)) {
        self.target = target
        var configuration = HTTPClient.Configuration(
            certificateVerification: target.verifyTLS ? .fullVerification : .none,
            redirectConfiguration: HTTPClient.Configuration.RedirectConfiguration.disallow,
            timeout: .init(connect: connectTimeout, read: requestTimeout))
        // A refused connection is an answer ("nothing listens there"), said at once rather
        // than retried until the connect timeout runs out.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.requestTimeout = requestTimeout
    }

    /// Must be called before the client is dropped.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// One answer: status and body bytes.
    public struct Answer: Sendable {
        public var status: Int
        public var body: [UInt8]

        public var json: JSONValue? { try? JSONCoding.parse(body) }

        /// Grafana's `message` (or a SCIM error's `detail`), for error sentences.
        public var message: String {
            if case .object(let o)? = json {
                if let m = o["message"]?.stringValue { return m }
                if let d = o["detail"]?.stringValue { return d }
            }
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            return text.isEmpty ? "no message" : text
        }
    }

    /// Sends one request; throws only when no answer came (transport failures).
    public func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil,
                     authorization: String? = nil, absoluteURL: String? = nil) async throws(GrafanaClientError) -> Answer {
        try await send(method, path, rawBody: body.map { JSONCoding.data($0) }, authorization: authorization,
                       absoluteURL: absoluteURL)
    }

    /// Sends one request with its body as bytes (JSON); `userAgent` names
    /// who sends (the console's own requests are logged as such);
    /// `maxBytes` bounds the answer's body. Throws only when no answer came.
    public func send(_ method: HTTPMethod, _ path: String, rawBody: [UInt8]?, authorization: String? = nil,
                     absoluteURL: String? = nil, userAgent: String = "scim-console-setup/0.1",
                     maxBytes: Int = 4 << 20) async throws(GrafanaClientError) -> Answer {
        let url = absoluteURL ?? target.baseURL + path
        guard URL(string: url)?.host != nil else { throw .badURL(url) }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization ?? target.credentials.header)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        if target.orgID != 1 { request.headers.add(name: "X-Grafana-Org-Id", value: String(target.orgID)) }
        if let rawBody {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: rawBody))
        }
        do {
            let response = try await http.execute(request, timeout: requestTimeout)
            let bytes = try await response.body.collect(upTo: maxBytes)
            return Answer(status: Int(response.status.code), body: Array(bytes.readableBytesView))
        } catch {
            throw GrafanaClientError.transport(error, host: GrafanaClientError.host(of: url))
        }
    }

    /// Sends and requires a 2xx answer; other statuses become sentences.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws(GrafanaClientError) -> JSONValue {
        let answer = try await send(method, path, body: body)
        switch answer.status {
        case 200..<300:
            guard let json = answer.json else { throw .badResponse("\(path) did not answer JSON.") }
            return json
        case 401: throw .unauthorized(answer.message)
        case 403: throw .forbidden(answer.message)
        case 404: throw .notFound(path)
        case 409: throw .conflict(answer.message)
        default: throw .status(answer.status, answer.message)
        }
    }

    // MARK: the calls the guide makes

    /// `GET /api/health`: Grafana's version, without credentials.
    public func health() async throws(GrafanaClientError) -> GrafanaHealth {
        let json = try await call(.GET, "/api/health")
        guard case .object(let o) = json else { throw .badResponse("/api/health is not an object.") }
        return GrafanaHealth(version: o["version"]?.stringValue ?? "unknown", database: o["database"]?.stringValue ?? "unknown")
    }

    /// Checks that the credentials work (health does not need any).
    public func checkCredentials() async throws(GrafanaClientError) {
        _ = try await call(.GET, "/api/serviceaccounts/search?perpage=1&page=1")
    }

    /// The toggles Grafana has on now, from `GET /api/frontend/settings`.
    public func liveFeatureToggles() async throws(GrafanaClientError) -> Set<String> {
        let json = try await call(.GET, "/api/frontend/settings")
        guard case .object(let toggles)? = json[attribute: "featureToggles"] else {
            throw .badResponse("/api/frontend/settings has no featureToggles map.")
        }
        return Set(toggles.compactMap { $0.value.boolValue == true ? $0.key : nil })
    }

    public func serviceAccount(named name: String) async throws(GrafanaClientError) -> GrafanaServiceAccount? {
        let query = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        let json = try await call(.GET, "/api/serviceaccounts/search?perpage=100&page=1&query=\(query)")
        guard case .array(let accounts)? = json[attribute: "serviceAccounts"] else {
            throw .badResponse("the service account search has no serviceAccounts list.")
        }
        return accounts.compactMap(GrafanaServiceAccount.init).first { $0.name == name }
    }

    public func createServiceAccount(name: String, role: String) async throws(GrafanaClientError) -> GrafanaServiceAccount {
        let json = try await call(.POST, "/api/serviceaccounts",
                                  body: ["name": .string(name), "role": .string(role), "isDisabled": false])
        guard let account = GrafanaServiceAccount(json) else { throw .badResponse("the new service account has no id.") }
        return account
    }

    public func tokenNames(accountID: Int) async throws(GrafanaClientError) -> [String] {
        let json = try await call(.GET, "/api/serviceaccounts/\(accountID)/tokens")
        guard case .array(let tokens) = json else { throw .badResponse("the token list is not a list.") }
        return tokens.compactMap { $0[attribute: "name"]?.stringValue }
    }

    /// Creates a token that never expires; `.conflict` when the name is taken.
    public func createToken(accountID: Int, name: String) async throws(GrafanaClientError) -> CreatedToken {
        let json = try await call(.POST, "/api/serviceaccounts/\(accountID)/tokens",
                                  body: ["name": .string(name), "secondsToLive": 0])
        guard let key = json[attribute: "key"]?.stringValue, let id = json[attribute: "id"]?.numberValue else {
            throw .badResponse("the new token has no key.")
        }
        return CreatedToken(id: Int(id), name: json[attribute: "name"]?.stringValue ?? name, key: key)
    }

    /// Revokes a token (a token made but not kept where the admin asked).
    public func deleteToken(accountID: Int, tokenID: Int) async throws(GrafanaClientError) {
        _ = try await call(.DELETE, "/api/serviceaccounts/\(accountID)/tokens/\(tokenID)")
    }
}

public struct GrafanaHealth: Sendable, Equatable {
    public var version: String
    public var database: String
}

public struct GrafanaServiceAccount: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var role: String

    init?(_ json: JSONValue) {
        guard let id = json[attribute: "id"]?.numberValue, let name = json[attribute: "name"]?.stringValue else { return nil }
        self.id = Int(id)
        self.name = name
        self.role = json[attribute: "role"]?.stringValue ?? "?"
    }
}

/// A token as Grafana returns it once, at creation. `key` is the secret:
/// never logged, never stored by the console except where the admin asks.
public struct CreatedToken: Sendable, Equatable, CustomStringConvertible {
    public var id: Int
    public var name: String
    public var key: String

    /// Redacted, so a token printed by accident shows no secret.
    public var description: String { "token \(name) (#\(id))" }
}
