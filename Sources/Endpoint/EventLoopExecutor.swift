import NIOCore
import NIOConcurrencyHelpers
import NIOPosix

extension Endpoint {
    /// Makes the server's event loops Swift Concurrency's global executor, so
    /// a request's handler runs on the thread that read it.
    ///
    /// Hummingbird hands each connection to an async task. On the default
    /// executor that task lives on the cooperative pool, so every request
    /// crossed threads twice (event loop → pool to handle it, pool → event loop
    /// to write the response), each crossing a futex wake and an eventfd write.
    /// Profiling the filter scenario put 81% of the server's samples on pool
    /// threads and the rest on the loops; with the loops as the executor the
    /// filter went from about 2,700 to 4,300–5,200 requests/s and its p99
    /// from 30 to 12–15 ms (`Tests/Benchmarks/bench.sh`).
    ///
    /// Only for a process whose tasks never block for long: a task that waits
    /// on something (a terminal read, a sleep on a thread) would stall every
    /// connection on its loop. `scim-console serve` qualifies — its handlers
    /// do short SQLite work and nothing else; the console, which reads keys,
    /// keeps the default executor. Call once, first thing, before any server
    /// starts; a second call (or another takeover already in place) is a no-op.
    public static func runTasksOnEventLoops() {
        guard !installed.withLockedValue({ done in defer { done = true }; return done }) else { return }
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    private static let installed = NIOLockedValueBox(false)
}
