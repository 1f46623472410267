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
final class ReadConnections: Sendable {
    private let connections: [DatabaseQueue]
    private let next = Atomic<Int>(0)

    init(path: String, configuration: Configuration) throws {
        var configuration = configuration
        configuration.readonly = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = \(ReadConnections.mmapSize)")
        }
        let count = min(8, max(2, 2 * ProcessInfo.processInfo.activeProcessorCount))
        connections = try (0..<count).map { _ in try DatabaseQueue(path: path, configuration: configuration) }
    }

    /// Bytes of the file each connection reads through a memory map rather
    /// than `pread`. A connection's own page cache is 2 MB; a filter names
    /// a random user of a 100 MB table, so nearly every lookup read its
    /// index and row pages with `pread` (2.9 a request) and copied them. The
    /// map reads them from the kernel's page cache in place, shared by all
    /// the connections (the one `pread` left per filter is the log writer's).
    /// Alternating runs, filter CPU per request: 143 / 116 / 163 µs against
    /// 114 / 108 / 161 µs; deep page 3,088 / 3,076 / 3,588 against 4,024 /
    /// 3,794 / 3,314 req/s. Mapped pages a read touched count toward the
    /// process's resident memory, but they are the kernel's to drop.
    static let mmapSize = 1 << 30

    /// Runs `body` on the next connection, outside any transaction: one
    /// statement is its own snapshot; several need `BEGIN`/`COMMIT` around them.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let index = next.add(1, ordering: .relaxed).oldValue & Int.max
        return try connections[index % connections.count].unsafeRead(body)
    }
}
