import Directory
import Hummingbird
import Logging

/// An endpoint serving in this process: started, its port known, stopped on
/// request. The console, the headless setup and the tests all start one so.
public struct RunningEndpoint: Sendable {
    public let port: Int
    let task: Task<String?, Never>
    let directory: Directory

    /// Starts serving and returns once the port is bound. When the server
    /// cannot start, throws `StartFailure` with the underlying reason.
    public static func start(_ endpoint: Endpoint, host: String, port: Int, logger: Logger,
                             server: ServerOptions = ServerOptions()) async throws -> RunningEndpoint {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try endpoint.application(host: host, port: port, logger: logger, server: server) { port in
            continuation.yield(port)
            continuation.finish()
        }
        // Either the server reports its port, or it fails and ends the port stream.
        let task = Task { () -> String? in
            do {
                try await app.run()
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
        return RunningEndpoint(port: bound, task: task, directory: endpoint.directory)
    }

    /// Stops serving, then writes what the request log still has queued.
    public func stop() async {
        task.cancel()
        _ = await task.value
        await directory.requestLog.flush()
    }

    public struct StartFailure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
