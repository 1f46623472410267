import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SCIM
import Testing
import TestSupport

/// A live endpoint on a real SQLite file in a temporary data dir, with a
/// token, and helpers that speak JSON to it over real HTTP.
struct EndpointHarness {
    let dataDirectory: String
    let directory: Directory
    let endpoint: Endpoint
    let token: String
    let base: String

    static func make(enableSCIM: Bool = true, namespace: GrafanaNamespace = .org(1)) throws -> EndpointHarness {
        try EndpointHarness(ScratchDataDirectory.make("scim-endpoint", namespace: namespace, enableSCIM: enableSCIM))
    }

    /// The same data dir and token, served with a per-token rate limit.
    func withRateLimit(_ perSecond: Double) throws -> EndpointHarness {
        var configuration = endpoint.configuration
        configuration.rateLimit = perSecond
        return EndpointHarness(dataDirectory: dataDirectory, directory: directory,
                               endpoint: try Endpoint(directory: directory, configuration: configuration), token: token, base: base)
    }

    func run(server: ServerOptions = ServerOptions(), _ body: @Sendable (Client) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = try endpoint.application(host: "127.0.0.1", port: 0, logger: logger, server: server)
        try await app.test(.live) { client in
            try await body(Client(client: client, token: token, base: base))
        }
    }

    var adminPassword: String {
        (try? AdminCredentials.password(at: endpoint.configuration.adminPasswordPath)) ?? ""
    }

    /// Okta's headers and JSON bodies, as Okta's SCIM client sends them.
    struct Client: Sendable {
        let client: any TestClientProtocol
        let token: String
        let base: String

        struct Reply: Sendable {
            var status: Int
            var json: JSONValue?
            var headers: HTTPFields
            var text: String
        }

        @discardableResult
        func send(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil, raw: String? = nil,
                  bytes: [UInt8]? = nil, token: String? = nil, headers extra: [String: String] = [:]) async throws -> Reply {
            var headers: HTTPFields = [
                .userAgent: "Okta SCIM Client 1.0.0", .accept: "application/scim+json",
            ]
            if let t = token ?? Optional(self.token), !t.isEmpty { headers[.authorization] = "Bearer \(t)" }
            var buffer: ByteBuffer?
            if let text = raw ?? body.map({ JSONCoding.serialize($0) }) {
                headers[.contentType] = "application/scim+json; charset=utf-8"
                buffer = ByteBuffer(string: text)
            } else if let bytes {
                headers[.contentType] = "application/scim+json; charset=utf-8"
                buffer = ByteBuffer(bytes: bytes)
            }
            for (k, v) in extra { headers[HTTPField.Name(k)!] = v }
            let uri = path.hasPrefix("/") ? path : "\(base)/\(path)"
            return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
                let text = String(buffer: response.body)
                return Reply(status: Int(response.status.code), json: text.isEmpty ? nil : try? JSONCoding.parse(text),
                             headers: response.headers, text: text)
            }
        }

        func get(_ path: String, token: String? = nil) async throws -> Reply { try await send(.get, path, token: token) }
    }
}

extension JSONValue {
    func at(_ keys: String...) -> JSONValue? {
        var v: JSONValue? = self
        for k in keys {
            if let i = Int(k) { v = v?.arrayValue.flatMap { i < $0.count ? $0[i] : nil } } else { v = v?[attribute: k] }
        }
        return v
    }
}

extension EndpointHarness {
    /// The endpoint over `data`, with an Admin token.
    init(_ data: ScratchDataDirectory) throws {
        self.init(dataDirectory: data.folder, directory: data.directory, endpoint: try data.endpoint(),
                  token: try data.adminToken(), base: data.configuration.scimBasePath)
    }
}
