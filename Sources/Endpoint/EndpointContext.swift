import Hummingbird
import NIOCore
import Synchronization

/// The per-request context: Hummingbird's core storage, the client's
/// address, and the `Exchange` being recorded for the request log.
public struct EndpointContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Shared by reference so the recorder middleware sees what handlers set.
    let exchange = Exchange()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are limited by the recorder (413 as a SCIM error), not here.
    public var maxUploadSize: Int { Exchange.maxBodySize }
}

/// What one request/response pair carries for the request log beyond what
/// the middleware sees directly: the body read once, the body written, and
/// the resource the request touched.
final class Exchange: Sendable {
    /// Request bodies above this are refused with 413.
    static let maxBodySize = 1 << 20

    struct State {
        var requestBody: [UInt8] = []
        var responseBody: [UInt8] = []
        var resourceID: String?
        var resourceBefore: String?
        var upstreamDuration: Double?
    }

    private let state = Mutex(State())

    var requestBody: [UInt8] {
        get { state.withLock { $0.requestBody } }
        set { state.withLock { $0.requestBody = newValue } }
    }

    var responseBody: [UInt8] {
        get { state.withLock { $0.responseBody } }
        set { state.withLock { $0.responseBody = newValue } }
    }

    var resourceID: String? {
        get { state.withLock { $0.resourceID } }
        set { state.withLock { $0.resourceID = newValue } }
    }

    /// Seconds the relayed Grafana took to answer, when it did.
    var upstreamDuration: Double? {
        get { state.withLock { $0.upstreamDuration } }
        set { state.withLock { $0.upstreamDuration = newValue } }
    }

    /// The resource before a PUT or PATCH, for the log's before/after view.
    var resourceBefore: String? {
        get { state.withLock { $0.resourceBefore } }
        set { state.withLock { $0.resourceBefore = newValue } }
    }
}
