import Foundation
import GRDB
import NIOPosix
import Synchronization

/// Every HTTP exchange the endpoint answered, redacted, newest kept: a
/// database of its own beside the Directory's (`RequestLogSchema`), the
/// large response bodies in files beside that (`BodySegments`), a bounded
/// queue (`RequestLogQueue`) and its writer, on the Directory's thread pool.
///
/// The Directory opens it and closes it (`Directory.requestLog`); the
/// endpoint queues exchanges (`logSoon`), the console reads them.
public final class RequestLog: Sendable {
    /// The log's database file (`scim-console.sqlite-requests`).
    let path: String
    /// The log's database.
    let pool: DatabasePool
    /// The log's large response bodies, in files beside it.
    let bodies: BodySegments
    let queue: RequestLogQueue
    /// Where the writer runs: the Directory's thread pool.
    let blockingWork: NIOThreadPool
    /// The Directory's account of the disk's room, which a write refused for lack of it marks full.
    let diskSpace: DiskSpace
    /// How many exchanges are kept: older ones are dropped as new ones come.
    public let capacity: Int
    /// Where each logged exchange is announced (the Directory's stream, which the console follows).
    let events: EventStream<DirectoryEvent>
    private let closed = Atomic<Bool>(false)

    /// How many bytes of exchanges may wait for the writer (`RequestLogQueue`):
    /// about 1,200 logged list pages, six times what a 50 ms batch gathers
    /// at 4,000 pages a second.
    public static let defaultBacklogBytes = 64 << 20

    /// Opens (creating if needed) the log at `path`, its bodies in the folder `bodiesPath`.
    init(path: String, bodiesPath: String, capacity: Int, backlogBytes: Int, segmentBytes: Int,
         configuration: Configuration, events: EventStream<DirectoryEvent>, blockingWork: NIOThreadPool,
         diskSpace: DiskSpace) throws {
        self.path = path
        self.diskSpace = diskSpace
        self.blockingWork = blockingWork
        self.capacity = max(1, capacity)
        self.events = events
        queue = RequestLogQueue(limitBytes: backlogBytes)
        var config = configuration
        // Added to the Directory's own preparations (WAL, NORMAL sync, no automatic checkpoint).
        config.prepareDatabase { db in
            // Only a new file takes it (before WAL mode is set); an existing log keeps its pages.
            try db.execute(sql: "PRAGMA page_size = \(RequestLogSchema.pageSize)")
            try db.execute(sql: "PRAGMA secure_delete = \(RequestLogSchema.secureDelete)")
        }
        pool = try DatabasePool(path: path, configuration: config)
        bodies = BodySegments(folder: bodiesPath, segmentLimit: segmentBytes)
        try RequestLogSchema.migrator.migrate(pool)
    }

    /// Closes the database and the body segment, once the Directory has
    /// written what was queued and stopped its threads. Later calls do nothing.
    func close() throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try pool.close()
        bodies.close()
    }

    /// Records an exchange and drops the oldest beyond `capacity`.
    @discardableResult
    public func log(_ entry: LoggedRequest) throws -> Int64 {
        try log([entry]).last!
    }

    /// Records exchanges in one transaction (one commit for a whole burst),
    /// then publishes one `requestLogged` event each.
    @discardableResult
    public func log(_ entries: [LoggedRequest]) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        let capacity = Int64(capacity)
        let ids = try pool.write { db in
            var writer = try ExchangeWriter(db, bodies: bodies)
            // A new id is never taken: every entry is written.
            let ids = try entries.map { try writer.insert($0) ?? 0 }
            if let last = ids.last, last > capacity {
                try db.execute(cachedSQL: "DELETE FROM request_log WHERE id <= ?", arguments: [last - capacity])
                try db.execute(cachedSQL: "DELETE FROM request_body WHERE id <= ?", arguments: [last - capacity])
            }
            // Segments fill in order, so the ones left behind are looked for when a new one starts.
            if writer.startedSegment, let last = ids.last {
                try bodies.removeUnused(db, oldestKept: last - capacity + 1)
            }
            return ids
        }
        // By index: a `zip` would copy each entry (a dozen strings retained and released).
        for i in entries.indices {
            events.publish(.requestLogged(id: ids[i], status: entries[i].summary.status, byConsole: entries[i].isByConsole))
        }
        return ids
    }

    /// Queues an exchange for the log and returns at once: a background thread
    /// writes whatever has queued up in one transaction, so a burst of
    /// requests costs one commit instead of one each and no request waits for
    /// the log. An entry still queued when the process is killed is lost;
    /// provisioned state never is (it is written before the answer).
    ///
    /// The writer runs on the Directory's thread pool, not as a task: a batch
    /// write blocks for milliseconds, and every request queued behind it on
    /// the same event loop would wait that long.
    ///
    /// Should the writer fall behind by more than `RequestLogQueue.limitBytes`,
    /// an exchange with a long response body is queued without it
    /// (`responseBodiesNotKept` counts them), and past that the exchange is
    /// dropped (`unloggedExchanges`).
    @discardableResult
    public func logSoon(_ entry: LoggedRequest) -> LogOutcome {
        let (outcome, wakeWriter) = queue.enqueue(entry)
        // The queue's own flag says whose turn it is: one writer at a time.
        if wakeWriter { blockingWork.submit { [self] _ in drainQueue() } }
        return outcome
    }

    /// What became of an exchange handed to `logSoon`.
    public enum LogOutcome: Equatable, Sendable {
        /// Queued whole.
        case queued
        /// Queued without its long response body: the writer had fallen behind.
        case queuedWithoutBody
        /// Not queued at all: the writer had fallen further behind.
        case dropped
    }

    /// Exchanges this process did not log because the writer fell behind
    /// (`logSoon`), since it opened the log.
    public var unloggedExchanges: Int { queue.dropped }

    /// Exchanges this process logged without their long response bodies
    /// because the writer fell behind (`logSoon`), since it opened the log.
    public var responseBodiesNotKept: Int { queue.bodiesNotKept }

    /// Waits until everything queued by `logSoon` is written (tests, shutdown).
    public func flush() async {
        while queue.isBusy { try? await Task.sleep(for: .milliseconds(1)) }
    }

    /// How long the writer lets entries gather before each transaction. A
    /// transaction writes every page it touches, whole, and each `pwrite`
    /// costs about the same however few bytes it carries; written as soon as
    /// woken, a burst's entries would each pay for their own pages. Gathered
    /// for `linger`, they share them. The console sees a request at most
    /// this much later, which no one can tell. (The measurements behind the
    /// figure are in `Tests/Benchmarks/HISTORY.md`.)
    static let linger: TimeInterval = 0.05

    func drainQueue() {
        while true {
            Thread.sleep(forTimeInterval: Self.linger)
            guard let batch = queue.takeBatch() else { return }
            do {
                try log(batch)
                diskSpace.noteCommit()
            } catch {
                // The log is best effort; provisioning must not fail because of it. What it
                // could not write is counted as not logged, as when the writer falls behind.
                queue.countNotLogged(batch.count)
                diskSpace.noteFailure(error, writes: batch.count)
            }
        }
    }

    /// A read of the log in one transaction.
    package func read<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try pool.unsafeRead { db in try Directory.transaction(db, body) }
    }
}
