import Foundation
import GRDB
import Synchronization

/// Read-only connections to the directory's file, taken in turn, for the
/// reads the endpoint makes on every request.
///
/// A `DatabasePool` read takes a connection from a pool (a lock and a
/// semaphore) and runs `PRAGMA schema_version` before the reader's own
/// statements, to notice schema changes made by other connections. For a
/// filtered GET that was a seventh of the event loop's time: the lookup
/// itself is one statement. The schema changes only in migrations, which run
/// before these connections open, so they skip that check; SQLite re-prepares
/// a statement itself should the schema change under it.
///
/// Each connection is a `DatabaseQueue`: one thread uses it at a time. There
/// are more connections than event-loop threads, taken round-robin, so two
/// requests rarely wait for the same one.
///
/// They read with `pread`, not a memory map (`PRAGMA mmap_size`). A map made
/// a burst of filters cheaper (CPU per request 143 / 116 / 163 µs against
/// 114 / 108 / 161, alternating), but SQLite unmaps a connection's whole map
/// when another connection has committed, and the next reads fault the
/// pages back in: a PUT burst took 74,000 page faults in 5 s instead of
/// 2,500, the event loops' system time doubled, and PUT cost 20% more CPU.
final class ReadConnections: Sendable {
    private let connections: [DatabaseQueue]
    private let next = Atomic<Int>(0)

    init(path: String, configuration: Configuration) throws {
        var configuration = configuration
        configuration.readonly = true
        let count = min(8, max(2, 2 * ProcessInfo.processInfo.activeProcessorCount))
        connections = try (0..<count).map { _ in try DatabaseQueue(path: path, configuration: configuration) }
    }

    /// Runs `body` on the next connection, outside any transaction: one
    /// statement is its own snapshot; several need `BEGIN`/`COMMIT` around them.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let index = next.add(1, ordering: .relaxed).oldValue & Int.max
        return try connections[index % connections.count].unsafeRead(body)
    }
}
