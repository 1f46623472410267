import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SCIM
import ServiceLifecycle
import Setup
import Synchronization

/// Okta's SCIM requests passed on to a real Grafana, and its answers passed
/// back: method, path, query and body as sent; end-to-end headers both ways
/// (`Authorization` among them, never kept); status and body byte for byte.
/// It holds no token of its own, and Grafana's gates decide, not this
/// endpoint's. When no answer comes, the client gets a SCIM error naming the
/// Grafana and the cause: 502 when it cannot be reached, 504 after `timeout`.
///
/// A service: its connection pool (keep-alive, TLS verified unless told
/// otherwise) closes when the service group shuts down.
public final class Relay: Service, Sendable {
    /// The Grafana relayed to, as its connector URL.
    public let target: ConnectorURL
    public let timeout: Duration
    /// `timeout`, as NIO counts it.
    private let limit: TimeAmount
    let client: HTTPClient
    private let unreachable = Atomic<Bool>(false)
    private let observers = Mutex<[@Sendable (RelayedAnswer) -> Void]>([])

    public init(to target: ConnectorURL, timeout: Duration = .seconds(30), verifyTLS: Bool = true) {
        self.target = target
        self.timeout = timeout
        limit = .nanoseconds(Int64(timeout.seconds * 1e9))
        var configuration = HTTPClient.Configuration(
            certificateVerification: verifyTLS ? .fullVerification : .none,
            redirectConfiguration: .disallow,
            timeout: .init(connect: min(limit, .seconds(10)), read: limit))
        // A refused connection is an answer (502 at once), not something to retry until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Whether the last attempt to reach Grafana failed, until one succeeds.
    public var isUnreachable: Bool { unreachable.load(ordering: .relaxed) }

    /// Calls `observer` with each answer Grafana gives, after it is passed
    /// back (the console's mirror applies them).
    public func onAnswer(_ observer: @escaping @Sendable (RelayedAnswer) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }

    /// Where a request to `path` (and `query`) goes at the Grafana: its base, then the path as sent.
    func upstreamURL(path: String, query: String?) -> String {
        let base = "\(target.base.scheme)://\(target.base.host)\(target.base.path)"
        guard let query, !query.isEmpty else { return base + path }
        return "\(base)\(path)?\(query)"
    }

    /// Passes one request on and gives back Grafana's answer.
    func forward(_ request: Request, body: [UInt8], context: EndpointContext) async throws -> Response {
        var upstream = HTTPClientRequest(url: upstreamURL(path: request.uri.path, query: request.uri.query))
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in EndToEndHeaders.of(request.headers.map { ($0.name.canonicalName, $0.value) }) {
            upstream.headers.add(name: field.name, value: field.value)
        }
        if !body.isEmpty || [.post, .put, .patch].contains(request.method) {
            upstream.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = NIODeadline.now() + limit
        let answer: HTTPClientResponse
        let bytes: ByteBuffer
        let start = ContinuousClock.now
        do {
            answer = try await client.execute(upstream, deadline: deadline)
            bytes = try await answer.body.collect(upTo: 64 << 20)
            context.exchange.upstreamDuration = (ContinuousClock.now - start).seconds
        } catch {
            unreachable.store(true, ordering: .relaxed)
            throw failure(error)
        }
        unreachable.store(false, ordering: .relaxed)
        var headers = HTTPFields()
        for field in EndToEndHeaders.of(answer.headers.map { ($0.name, $0.value) }) {
            if let name = HTTPField.Name(field.name) { headers.append(HTTPField(name: name, value: field.value)) }
        }
        context.exchange.responseBody = Array(bytes.readableBytesView)
        let answered = RelayedAnswer(method: request.method.rawValue, path: request.uri.path, status: Int(answer.status.code),
                                     body: context.exchange.responseBody)
        for observer in observers.withLock({ $0 }) { observer(answered) }
        return Response(status: .init(code: Int(answer.status.code), reasonPhrase: answer.status.reasonPhrase),
                        headers: headers, body: ResponseBody(byteBuffer: bytes))
    }

    /// The SCIM error for a request that got no answer from Grafana.
    func failure(_ error: any Error) -> SCIMError {
        let host = target.base.host
        if let e = error as? HTTPClientError, [.deadlineExceeded, .readTimeout].contains(e) {
            let seconds = timeout.seconds
            let shown = seconds == seconds.rounded() ? "\(Int(seconds))" : "\(seconds)"
            return SCIMError(status: 504, detail: "Grafana at \(host) did not answer within \(shown) s "
                + "(the relay's --relay-timeout); it is slow or stuck. Okta retries later.")
        }
        let cause = GrafanaClientError.transport(error, host: host).description
        return SCIMError(status: 502, detail: "The relay could not reach Grafana at \(host): \(cause)")
    }

}

/// An answer Grafana gave through the relay.
public struct RelayedAnswer: Sendable {
    public var method: String
    public var path: String
    public var status: Int
    public var body: [UInt8]
}
