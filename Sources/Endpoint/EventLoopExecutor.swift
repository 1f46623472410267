import NIOCore
import NIOPosix
import Synchronization

extension Endpoint {
    /// Makes the server's event loops Swift Concurrency's global executor, so
    /// a request's handler runs on the thread that read it.
    ///
    /// Hummingbird hands each connection to an async task. On the default
    /// executor that task lives on the cooperative pool, so every request
    /// would cross threads twice (event loop → pool to handle it, pool → event
    /// loop to write the response), each crossing a futex wake and an eventfd
    /// write. With the loops as the executor a request stays on one thread;
    /// `Tests/Benchmarks/HISTORY.md` has what that measured.
    ///
    /// Only for a process whose tasks never block for long: a task that waits
    /// (a `readLine`, a sleep on a thread) stalls every connection on its loop.
    /// `scim-console serve` and the console qualify — handlers do short SQLite
    /// work, and the console's ncurses loop has a thread of its own. `setup`
    /// does not: it asks y/N with `readLine` while its server runs. Call once,
    /// first thing, before any server starts; a second call is a no-op.
    public static func runTasksOnEventLoops() {
        guard !installed.withLock({ done in defer { done = true }; return done }) else { return }
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    private static let installed = Mutex(false)
}
