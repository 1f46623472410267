import Foundation
import GRDB
import NIOPosix
import SCIM
import Synchronization

/// The single owner of provisioned state and its rules.
///
/// Every writer — an HTTP request, a hand action in the console, a CLI command
/// — goes through one of these operations, each atomic (one SQLite
/// transaction, or one savepoint of a group commit for the endpoint's writes:
/// `batched`), and each committed change is published once on `events`.
public final class Directory: Sendable {
    public let path: String
    package let pool: DatabasePool
    /// Where the endpoint's reads run (`ReadConnections`); writes and the console's reads use `pool`.
    let readers: ReadConnections
    /// Every exchange the endpoint answered, in files of its own beside `path`.
    public let requestLog: RequestLog
    /// Committed changes and logged requests, for the console to follow.
    public let events: EventStream<DirectoryEvent>
    /// Whether the disk has room for writes, and the writes refused for lack of it.
    public let diskSpace: DiskSpace
    /// What the background check found (`checkInBackground`).
    let damage = Atomic<Int>(0)
    let tokenCache = TokenCache()
    let credentialsEpoch: CredentialsEpoch
    let writeBatcher = WriteBatcher()
    /// The threads blocking work runs on: the group commits (`WriteBatcher`),
    /// the request log's writes, the WAL checkpoints, the console's search
    /// reads. Owned here, shut down by `close`.
    package let blockingWork: NIOThreadPool
    /// The WAL checkpointers of the directory's file and the request log's,
    /// which run while a `DirectoryService` runs.
    let checkpointers: [WALCheckpointer]
    private let closed = Atomic<Bool>(false)

    /// Opens (creating if needed) the database at `path`, in WAL mode. A write
    /// that finds another process holding the lock waits up to `busyTimeout`
    /// seconds, then fails (the endpoint answers 503 with `Retry-After`).
    /// The request log keeps `requestLogCapacity` exchanges;
    /// `requestLogBacklogBytes` bounds those waiting for its writer
    /// (`RequestLogQueue`); `requestBodySegmentBytes`, the size of the files
    /// that hold its large bodies (`BodySegments`).
    public init(path: String, requestLogCapacity: Int = 10_000, busyTimeout: Double = 5,
                requestLogBacklogBytes: Int = RequestLog.defaultBacklogBytes,
                requestBodySegmentBytes: Int = BodySegments.defaultSegmentLimit) throws {
        self.path = path
        let events = EventStream<DirectoryEvent>(overflow: .eventsMissed)
        self.events = events
        let diskSpace = DiskSpace(events: events)
        self.diskSpace = diskSpace
        // The two checkpointers hold a thread each while they run; the group commit, the log's
        // writer and a search read may each be at work beside them.
        let blockingWork = NIOThreadPool(numberOfThreads: 5)
        self.blockingWork = blockingWork
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = BusyWait.mode(seconds: busyTimeout)
        config.prepareDatabase { db in
            // WAL with NORMAL sync is durable across application crashes, and fast.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints run on their own connection and thread (`WALCheckpointer`), not at the
            // end of whichever request commit crossed the threshold, which would make that request wait.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "PRAGMA journal_size_limit = \(WALCheckpointer.walSizeLimit)")
            // A group commit runs each operation in a savepoint, whose undo pages SQLite keeps
            // in a temporary file by default: a write to /var/tmp for each page a create touched.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        pool = try DatabasePool(path: path, configuration: config)
        requestLog = try RequestLog(path: path + Self.requestLogSuffix, bodiesPath: path + Self.requestBodiesSuffix,
                                    capacity: requestLogCapacity, backlogBytes: requestLogBacklogBytes,
                                    segmentBytes: requestBodySegmentBytes, configuration: config, events: events,
                                    blockingWork: blockingWork, diskSpace: diskSpace)
        credentialsEpoch = CredentialsEpoch(path: path + Self.credentialsEpochSuffix)
        let migrator = DirectorySchema.migrator
        let applied = try pool.read { try migrator.appliedIdentifiers($0) }
        // A database in use that a migration is about to change is copied first (`MigrationBackups`).
        if !applied.isEmpty, let next = migrator.migrations.first(where: { !applied.contains($0) }) {
            try MigrationBackups.take(of: pool, path: path, before: next)
        }
        if !applied.contains("v3") {
            try migrator.migrate(pool, upTo: "v2")
            try RequestLogSchema.moveRows(from: pool, to: requestLog.pool)
        }
        try migrator.migrate(pool)
        readers = try ReadConnections(path: path, configuration: config)
        checkpointers = [
            WALCheckpointer(path: path),
            WALCheckpointer(path: requestLog.path, restartBytes: WALCheckpointer.backgroundRestartBytes),
        ]
        blockingWork.start()
    }

    /// Finishes what is queued, stops the Directory's threads and closes its
    /// files: the endpoint's queued writes commit, the request log's queued
    /// exchanges are written, then the thread pool is shut down, and every
    /// connection, the body segment and the credentials stamp are closed. Call it once nothing uses the Directory any more (the
    /// endpoint has stopped); later calls do nothing, and any other use
    /// throws `SQLITE_MISUSE`.
    public func close() throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        while writeBatcher.isBusy || requestLog.queue.isBusy { Thread.sleep(forTimeInterval: 0.001) }
        try? blockingWork.syncShutdownGracefully()
        try readers.close()
        try pool.close()
        try requestLog.close()
        credentialsEpoch.close()
    }

    /// Runs `work` on the Directory's thread pool, for blocking work of the
    /// package's own (the console's search reads). `work` is told whether
    /// the pool is still active: once the Directory is closing, it should
    /// only say it is done.
    package func runBlocking(_ work: @escaping @Sendable (_ active: Bool) -> Void) {
        blockingWork.submit { state in work(state == .active) }
    }

    /// The database file name inside a data directory.
    public static let fileName = "scim-console.sqlite"
    /// Beside the database: the stamp processes rewrite when they revoke credentials (`CredentialsEpoch`).
    public static let credentialsEpochSuffix = "-credentials"
    /// Beside the database: the request log's own database (`RequestLogSchema`).
    public static let requestLogSuffix = "-requests"
    /// Beside the database: the folder of the request log's large bodies (`BodySegments`).
    public static let requestBodiesSuffix = "-requests-bodies"

    /// Runs `body` in one write transaction, then publishes its events if it
    /// committed. Inside `batched`, joins the batch's transaction instead: its
    /// events are published when the batch commits.
    func write<T>(_ body: @Sendable (Database, inout [DirectoryEvent]) throws -> T) throws -> T {
        if let ambient = AmbientWrite.current {
            return try body(ambient.db, &ambient.events.pointee)
        }
        let (result, events): (T, [DirectoryEvent])
        do {
            (result, events) = try pool.write { db in
                var events: [DirectoryEvent] = []
                let result = try body(db, &events)
                return (result, events)
            }
        } catch {
            diskSpace.noteFailure(error)
            throw error
        }
        diskSpace.noteCommit()
        for event in events { self.events.publish(event) }
        return result
    }

    /// Runs `body` in one read transaction (one snapshot for all its statements).
    ///
    /// Not `pool.read`: GRDB prepares its `BEGIN`/`COMMIT` anew on every call,
    /// which with its statement authorizer was a tenth of a filtered GET. The
    /// same transaction here runs on cached statements.
    package func read<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try readers.read { db in try Self.transaction(db, body) }
    }

    static func transaction<T>(_ db: Database, _ body: @Sendable (Database) throws -> T) throws -> T {
        try db.execute(cachedSQL: "BEGIN DEFERRED TRANSACTION")
        do {
            let result = try body(db)
            try db.execute(cachedSQL: "COMMIT TRANSACTION")
            return result
        } catch {
            // Never hand the connection back inside a transaction.
            try? db.execute(cachedSQL: "ROLLBACK TRANSACTION")
            throw error
        }
    }

    /// A read of one statement, outside an explicit transaction: SQLite runs a
    /// single statement in its own snapshot anyway, and skipping `BEGIN`/`COMMIT`
    /// matters on the per-request token check. Not for reads of several statements.
    func readOneStatement<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try readers.read(body)
    }

    package static func decodeDocument(_ text: String) -> [String: JSONValue] {
        (try? JSONCoding.parse(text))?.objectValue ?? [:]
    }

    static func encodeDocument(_ doc: [String: JSONValue]) -> String {
        JSONCoding.serialize(.object(doc))
    }

    /// A user or group row's meta, from the columns `userColumns` and `groupColumns` share.
    static func meta(_ type: String, _ row: Row) -> Meta {
        Meta(resourceType: type,
             created: Date(timeIntervalSince1970: row[ResourceColumn.created]),
             lastModified: Date(timeIntervalSince1970: row[ResourceColumn.lastModified]),
             version: row[ResourceColumn.version])
    }

    static func newID() -> String { UUID().uuidString.lowercased() }
}

/// `Sendable` wrapper for a page query's pieces, passed into a read closure.
struct ListPlan: Sendable {
    var condition: String?
    var arguments: StatementArguments
    var orderBy: String
    var needsSwift: Bool
}

