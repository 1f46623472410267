import Endpoint
import Foundation
import Hummingbird
import Logging

/// The embedded endpoint running in this process, for the console and the
/// headless setup: started, its port known, stopped on request.
struct EmbeddedServer {
    let port: Int
    let task: Task<String?, Never>

    /// Starts serving and waits until the port is bound, or fails with a sentence.
    static func start(_ endpoint: Endpoint, options: EndpointOptions, port: Int? = nil, logger: Logger) async throws -> EmbeddedServer {
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = try endpoint.application(host: options.host, port: port ?? options.port, logger: logger,
                                           server: try options.serverOptions()) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        // Either the server reports its port, or it fails and ends the port stream.
        let task = Task { () -> String? in
            do {
                try await app.run()
                return nil
            } catch {
                portContinuation.finish()
                return String(describing: error)
            }
        }
        var ports = portStream.makeAsyncIterator()
        guard let actual = await ports.next() else {
            throw options.startFailure(await task.value ?? "it stopped")
        }
        return EmbeddedServer(port: actual, task: task)
    }

    /// `http://host:port` (https with a certificate).
    func baseURL(_ options: EndpointOptions) -> String { "\(options.scheme)://\(options.host):\(port)" }

    func stop() async {
        task.cancel()
        _ = await task.value
    }

    /// The generated admin password the setup logs in with (basic auth on /api).
    static func adminPassword(_ endpoint: Endpoint) throws -> String {
        do {
            return try String(contentsOfFile: endpoint.configuration.adminPasswordPath, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw Failure("Cannot read the embedded admin password in \(endpoint.configuration.adminPasswordPath): \(Failure.reason(error)).")
        }
    }
}
