import Foundation
import GRDB
import Synchronization

/// Read-only connections to the directory's file, taken in turn, for the
/// reads the endpoint makes on every request.
///
/// A `DatabasePool` read takes a connection from a pool (a lock and a
/// semaphore) and runs `PRAGMA schema_version` before the reader's own
/// statements, to notice schema changes made by other connections: for a
/// filtered GET, whose lookup is one statement, a large share of the work. The schema changes only in migrations, which run
/// before these connections open, so they skip that check; SQLite re-prepares
/// a statement itself should the schema change under it.
///
/// Each connection is a `DatabaseQueue`: one thread uses it at a time. There
/// are more connections than event-loop threads, taken round-robin, so two
/// requests rarely wait for the same one.
///
/// They read with `pread`, not a memory map (`PRAGMA mmap_size`): SQLite
/// unmaps a connection's whole map when another connection has committed,
/// and the next reads fault the pages back in, so under writes a map costs
/// more than it saves.
final class ReadConnections: Sendable {
    private let connections: [DatabaseQueue]
    private let next = Atomic<Int>(0)

    init(path: String, configuration: Configuration) throws {
        var configuration = configuration
        configuration.readonly = true
        let count = min(8, max(2, 2 * ProcessInfo.processInfo.activeProcessorCount))
        connections = try (0..<count).map { _ in try DatabaseQueue(path: path, configuration: configuration) }
    }

    /// Closes every connection (`Directory.close`).
    func close() throws {
        for connection in connections { try connection.close() }
    }

    /// Runs `body` on the next connection, outside any transaction: one
    /// statement is its own snapshot; several need `BEGIN`/`COMMIT` around them.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let index = next.add(1, ordering: .relaxed).oldValue & Int.max
        return try connections[index % connections.count].unsafeRead(body)
    }
}
