import GrafanaConfig
import Synchronization

/// The namespace the embedded endpoint answers for. It starts as the
/// configured one and the setup wizard may change it while serving (the
/// connector URL step picks the stack or org), so it is shared, not copied.
public final class ServedNamespace: Sendable {
    private let value: Mutex<GrafanaNamespace>

    public init(_ namespace: GrafanaNamespace) { value = Mutex(namespace) }

    public var current: GrafanaNamespace { value.withLock { $0 } }

    public func set(_ namespace: GrafanaNamespace) { value.withLock { $0 = namespace } }

    /// The SCIM base path for the current namespace.
    public var scimBasePath: String { "\(EndpointConfiguration.scimPrefix)/\(current)" }
}
