import Foundation
import GrafanaConfig

/// What an endpoint serves: one namespace, from one data directory.
public struct EndpointConfiguration: Sendable {
    public var namespace: GrafanaNamespace
    public var dataDirectory: String
    /// The Grafana-style ini whose `[feature_toggles] enableSCIM` gates the SCIM routes.
    public var iniPath: String
    /// The generated admin password for basic auth on the Grafana API.
    public var adminPasswordPath: String
    public var version: String
    /// SCIM requests per second per token; nil (the default) for no limit.
    public var rateLimit: Double?

    public init(namespace: GrafanaNamespace, dataDirectory: String) {
        self.namespace = namespace
        self.dataDirectory = dataDirectory
        self.iniPath = (dataDirectory as NSString).appendingPathComponent(Self.iniFileName)
        self.adminPasswordPath = (dataDirectory as NSString).appendingPathComponent(Self.adminPasswordFileName)
        self.version = Self.productVersion
    }

    public static let iniFileName = "grafana.ini"
    public static let adminPasswordFileName = "admin-password"
    public static let productVersion = "0.1.0"
    /// The path every SCIM route lives under, before the namespace.
    public static let scimPrefix = "/apis/scim.grafana.app/v0alpha1/namespaces"

    public var scimBasePath: String { "\(Self.scimPrefix)/\(namespace)" }
}
