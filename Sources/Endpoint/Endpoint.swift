import Directory
import Foundation
import GrafanaConfig
import Hummingbird
import Logging
import ServiceLifecycle

/// The embedded Grafana stand-in: SCIM under
/// `/apis/scim.grafana.app/v0alpha1/namespaces/{namespace}` plus the Grafana
/// API subset the wizard uses, over one Directory. Or, with a `Relay`, the
/// same SCIM paths passed on to a real Grafana, every exchange still logged.
public struct Endpoint: Sendable {
    public let directory: Directory
    public let configuration: EndpointConfiguration
    let admin: AdminCredentials
    let toggles: ToggleWatcher
    /// The namespace answered for now; `configuration.namespace` is where it started.
    public let served: ServedNamespace
    let limiter: RateLimiter?
    let authenticator: any TokenAuthenticator
    /// When set, SCIM requests go to that Grafana instead of this Directory.
    public let relay: Relay?

    /// Prepares an endpoint over `directory`; creates the admin password file on first start.
    /// Tokens are checked by the directory unless `authenticator` says otherwise (the benchmark's baseline).
    public init(directory: Directory, configuration: EndpointConfiguration,
                authenticator: (any TokenAuthenticator)? = nil, relay: Relay? = nil) throws {
        self.directory = directory
        self.relay = relay
        self.authenticator = authenticator ?? directory
        self.configuration = configuration
        self.admin = try AdminCredentials.loadOrCreate(path: configuration.adminPasswordPath)
        self.toggles = ToggleWatcher(path: configuration.iniPath)
        self.served = ServedNamespace(configuration.namespace)
        self.limiter = configuration.rateLimit.map(RateLimiter.init(perSecond:))
    }

    public func router(logger: Logger) -> Router<EndpointContext> {
        let router = Router(context: EndpointContext.self)
        // Added first, so it wraps every route and the not-found responder too.
        router.add(middleware: ExchangeRecorder(directory: directory, logger: logger))
        let table = RouteTable(router: router)
        if let relay {
            // Every SCIM path, whatever its namespace: Grafana decides, not this endpoint's gates.
            let forward: RouteTable.Handler = { request, context in
                try await relay.forward(request, body: context.exchange.requestBody, context: context)
            }
            for method in RouteTable.methods {
                router.on("\(EndpointConfiguration.scimPrefix)/**", method: method, use: forward)
            }
            return router
        }
        let gate = SCIMGate(configuration: configuration, toggles: toggles, authenticator: authenticator, served: served,
                            limiter: limiter)
        let scim = SCIMRoutes(directory: directory, configuration: configuration, gate: gate)
        let base = "\(EndpointConfiguration.scimPrefix)/:namespace"
        scim.register(table, base: base)
        DiscoveryRoutes(directory: directory, configuration: configuration, routes: scim, toggles: toggles)
            .register(table, base: base)
        GrafanaAPIRoutes(directory: directory, configuration: configuration, toggles: toggles, admin: admin)
            .register(table)
        return router
    }

    /// A Hummingbird application serving this endpoint on `host:port` (port 0: any free port).
    public func application(
        host: String, port: Int, logger: Logger, server: ServerOptions = ServerOptions(),
        services: [any Service] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: router(logger: logger),
            server: try server.builder(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
