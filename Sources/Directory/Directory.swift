import Foundation
import GRDB
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
    let pool: DatabasePool
    /// Where the endpoint's reads run (`ReadConnections`); writes and the console's reads use `pool`.
    let readers: ReadConnections
    /// The request log, in a file of its own beside `path` (see `RequestLogSchema`).
    let logPool: DatabasePool
    /// The request log's large response bodies, in files beside it (`BodySegments`).
    let bodies: BodySegments
    /// Committed changes and logged requests, for the console to follow.
    public let events = EventStream<DirectoryEvent>(overflow: .eventsMissed)
    let tokenCache = TokenCache()
    let credentialsEpoch: CredentialsEpoch
    let logQueue: RequestLogQueue
    let writeBatcher = WriteBatcher()
    let logWriter = DrainThread<Directory>(name: "request-log writer") { $0.drainLogQueue() }
    let batchWriter = DrainThread<Directory>(name: "write batcher") { $0.drainWriteBatches() }
    public let requestLogCapacity: Int
    /// The WAL checkpointers of the directory's file and the request log's.
    private let checkpointers = Mutex<[WALCheckpointer.Running]>([])
    private let closed = Atomic<Bool>(false)

    /// Opens (creating if needed) the database at `path`, in WAL mode. A write
    /// that finds another process holding the lock waits up to `busyTimeout`
    /// seconds, then fails (the endpoint answers 503 with `Retry-After`).
    /// `requestLogBacklogBytes` bounds the exchanges waiting for the request
    /// log's writer (`RequestLogQueue`); `requestBodySegmentBytes`, the size
    /// of the files that hold its large bodies (`BodySegments`).
    public init(path: String, requestLogCapacity: Int = 10_000, busyTimeout: Double = 5,
                requestLogBacklogBytes: Int = defaultRequestLogBacklogBytes,
                requestBodySegmentBytes: Int = BodySegments.defaultSegmentLimit) throws {
        self.path = path
        logQueue = RequestLogQueue(limitBytes: requestLogBacklogBytes)
        self.requestLogCapacity = max(1, requestLogCapacity)
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
        var logConfig = config
        logConfig.prepareDatabase { db in
            // Only a new file takes it (before WAL mode is set); an existing log keeps its pages.
            try db.execute(sql: "PRAGMA page_size = \(RequestLogSchema.pageSize)")
            try db.execute(sql: "PRAGMA secure_delete = \(RequestLogSchema.secureDelete)")
        }
        logPool = try DatabasePool(path: path + Self.requestLogSuffix, configuration: logConfig)
        bodies = BodySegments(folder: path + Self.requestBodiesSuffix, segmentLimit: requestBodySegmentBytes)
        credentialsEpoch = CredentialsEpoch(path: path + Self.credentialsEpochSuffix)
        try RequestLogSchema.migrator.migrate(logPool)
        let migrator = DirectorySchema.migrator
        if try !pool.read({ try migrator.appliedIdentifiers($0) }).contains("v3") {
            try migrator.migrate(pool, upTo: "v2")
            try RequestLogSchema.moveRows(from: pool, to: logPool)
        }
        try migrator.migrate(pool)
        readers = try ReadConnections(path: path, configuration: config)
        let started = [
            WALCheckpointer.start(path: path, whileAlive: self),
            WALCheckpointer.start(path: path + Self.requestLogSuffix, restartBytes: WALCheckpointer.backgroundRestartBytes,
                                  whileAlive: self),
        ]
        checkpointers.withLock { $0 = started }
    }

    /// Finishes what is queued, stops the Directory's threads and closes its
    /// files: the endpoint's queued writes commit, the request log's queued
    /// exchanges are written, then the writer threads and the checkpointers
    /// end, and every connection, the body segment and the credentials stamp
    /// are closed. Call it once nothing uses the Directory any more (the
    /// endpoint has stopped); later calls do nothing, and any other use
    /// throws `SQLITE_MISUSE`.
    public func close() throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        while writeBatcher.isBusy || logQueue.isBusy { Thread.sleep(forTimeInterval: 0.001) }
        batchWriter.stop()
        logWriter.stop()
        for checkpointer in checkpointers.withLock({ $0 }) { checkpointer.stop() }
        try readers.close()
        try pool.close()
        try logPool.close()
        bodies.close()
        credentialsEpoch.close()
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
        let (result, events) = try pool.write { db in
            var events: [DirectoryEvent] = []
            let result = try body(db, &events)
            return (result, events)
        }
        for event in events { self.events.publish(event) }
        return result
    }

    /// Runs `body` in one read transaction (one snapshot for all its statements).
    ///
    /// Not `pool.read`: GRDB prepares its `BEGIN`/`COMMIT` anew on every call,
    /// which with its statement authorizer was a tenth of a filtered GET. The
    /// same transaction here runs on cached statements.
    func read<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try readers.read { db in try Self.transaction(db, body) }
    }

    /// A read of the request log, which lives in a file of its own, in one transaction.
    func readLog<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try logPool.unsafeRead { db in try Self.transaction(db, body) }
    }

    private static func transaction<T>(_ db: Database, _ body: @Sendable (Database) throws -> T) throws -> T {
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

    static func decodeDocument(_ text: String) -> [String: JSONValue] {
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

