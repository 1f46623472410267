import Directory
import Endpoint
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The embedded endpoint running in this process, for the console and the
/// headless setup: started, its port known, stopped on request.
struct EmbeddedServer {
    let running: RunningEndpoint
    var port: Int { running.port }

    /// Starts serving and waits until the port is bound, or fails with a
    /// sentence. The Directory's service runs beside the server: `stop`
    /// stops serving, then closes the Directory.
    /// `more`: services that run after these and stop before them (a mirror and its data set).
    static func start(_ endpoint: Endpoint, options: EndpointOptions, port: Int? = nil, logger: Logger,
                      more: [any Service] = []) async throws -> EmbeddedServer {
        do {
            return EmbeddedServer(running: try await RunningEndpoint.start(
                endpoint, host: options.host, port: port ?? options.port, logger: logger, server: try options.serverOptions(),
                services: [DirectoryService(endpoint.directory), DiskSpaceWatch(endpoint.directory, logger: logger)]
                    + (endpoint.relay.map { [$0] } ?? []) + more))
        } catch let failure as RunningEndpoint.StartFailure {
            throw options.startFailure(failure.reason)
        }
    }

    /// `http://host:port` (https with a certificate).
    func baseURL(_ options: EndpointOptions) -> String { "\(options.scheme)://\(options.host):\(port)" }

    func stop() async { await running.stop() }

    /// The generated admin password the setup logs in with (basic auth on /api).
    static func adminPassword(_ endpoint: Endpoint) throws -> String {
        do {
            return try AdminCredentials.password(at: endpoint.configuration.adminPasswordPath)
        } catch {
            throw Failure("Cannot read the embedded admin password in \(endpoint.configuration.adminPasswordPath): \(Failure.reason(error)).")
        }
    }
}
