import Directory
import Hummingbird
import Logging
import ServiceLifecycle

/// An endpoint serving in this process: started, its port known, stopped on
/// request. The console, the headless setup and the tests all start one so.
///
/// The application runs in a `ServiceGroup` of its own, with any `services`
/// given (the console gives its `DirectoryService`); `stop` shuts the group
/// down gracefully, so the server stops serving before those services end.
public struct RunningEndpoint: Sendable {
    public let port: Int
    let group: ServiceGroup
    let task: Task<String?, Never>
    let directory: Directory

    /// Starts serving and returns once the port is bound. When the server
    /// cannot start, throws `StartFailure` with the underlying reason.
    public static func start(_ endpoint: Endpoint, host: String, port: Int, logger: Logger,
                             server: ServerOptions = ServerOptions(), services: [any Service] = []) async throws -> RunningEndpoint {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try endpoint.application(host: host, port: port, logger: logger, server: server, services: services) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        // Either the server reports its port, or it fails and ends the port stream.
        let task = Task { () -> String? in
            do {
                try await group.run()
                return nil
            } catch {
                continuation.finish()
                return String(describing: error)
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            throw StartFailure(reason: await task.value ?? "it stopped")
        }
        return RunningEndpoint(port: bound, group: group, task: task, directory: endpoint.directory)
    }

    /// Stops serving (what is in flight is answered), ends the services,
    /// then writes what the request log still has queued.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.value
        await directory.requestLog.flush()
    }

    public struct StartFailure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
