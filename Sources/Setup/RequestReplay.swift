import AsyncHTTPClient
import Directory
import Foundation
import NIOCore
import NIOHTTP1

/// A logged request sent again as it was logged: method, path, query, body
/// and end-to-end headers, with a token given here in place of the redacted
/// one, and a User-Agent that marks it as a replay (the log counts it as the
/// console's own). It goes to the console's own endpoint, which logs it,
/// and, when relaying, passes it on to Grafana.
public enum RequestReplay {
    /// The User-Agent of a replay of request `id`.
    public static func userAgent(replaying id: Int64) -> String {
        "\(LoggedRequest.consoleUserAgentPrefix) (replay of request \(id))"
    }

    /// One client for every replay, for the life of the process: a refused
    /// connection is an answer at once (not retried until a timeout), and
    /// redirects are not followed, as the relay follows none.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(10), read: .seconds(60)))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Whether the log kept less than was sent: a password redacted in the body.
    public static func lostSecrets(_ request: LoggedRequest) -> Bool {
        request.requestBody.contains("[redacted]")
    }

    /// Sends `request` to `base` (`http://host:port`, no path) and gives
    /// back the status, or why no answer came, as a sentence.
    public static func send(_ request: LoggedRequest, to base: String, token: String) async -> Result<Int, GrafanaClientError> {
        let url = base + request.path + (request.query.isEmpty ? "" : "?" + request.query)
        guard URL(string: url)?.host != nil else { return .failure(.badURL(url)) }
        var out = HTTPClientRequest(url: url)
        out.method = HTTPMethod(rawValue: request.method)
        for field in EndToEndHeaders.of(request.headerFields) {
            switch field.name.lowercased() {
            case "authorization", "user-agent": continue
            default: out.headers.add(name: field.name, value: field.value)
            }
        }
        out.headers.add(name: "Authorization", value: "Bearer \(token)")
        out.headers.add(name: "User-Agent", value: userAgent(replaying: request.id))
        if !request.requestBody.isEmpty { out.body = .bytes(ByteBuffer(string: request.requestBody)) }
        do {
            let response = try await client.execute(out, timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 64 << 20)
            return .success(Int(response.status.code))
        } catch {
            return .failure(.transport(error, host: GrafanaClientError.host(of: url)))
        }
    }
}
