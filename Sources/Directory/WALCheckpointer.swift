import Foundation
import GRDB
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Copies the write-ahead log back into the database from a connection of
/// its own, a round every `interval` while it runs (`run`, in
/// `DirectoryService`), each round's blocking work on the Directory's
/// thread pool.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its
/// threshold, so one unlucky request would wait for megabytes to be copied
/// and synced. Here a passive checkpoint (it never blocks writers or
/// readers) runs whenever the log has grown past `threshold`, and the
/// writer connections have `wal_autocheckpoint` off. Under steady load the
/// log file would also never start over (there is always a reader in it)
/// and grow without bound; a restart checkpoint past `restartBytes` brings
/// it back to `walSizeLimit`.
final class WALCheckpointer: Sendable {
    /// About SQLite's own default of 1,000 pages.
    static let threshold: Int64 = 4 << 20
    /// After a checkpoint lets the log restart, its file is cut back to this:
    /// above `restartBytes`, so a restarted log overwrites blocks the file
    /// already has instead of allocating them again.
    static let walSizeLimit: Int64 = 80 << 20
    static let interval: TimeInterval = 0.2
    /// 64 MiB. A restart holds the write lock through two fsyncs while
    /// writers wait (see `restartSlackBytes` and `syncToDisk`), so it should
    /// be rare under a write burst. The cost is a larger log file on disk
    /// (`walSizeLimit`).
    static let restartBytes: Int64 = 64 << 20
    /// 16 MiB, for a file whose only writer is a background thread (the
    /// request log): no request waits through its restarts, and a smaller
    /// log is less to recover when the process is killed.
    static let backgroundRestartBytes: Int64 = 16 << 20
    /// What a restart may have left to copy under the write lock: 512 KiB.
    static let restartSlackBytes: Int64 = 512 << 10
    /// Passive rounds before a restart; each copies what the previous one's
    /// copy let writers add, so the rest shrinks quickly unless writers
    /// outrun the disk, when the restart goes ahead with what is left.
    static let maxCatchUpRounds = 6

    /// The database file whose log this copies back.
    let path: String
    /// Past this many bytes of log, a round lets the log start over.
    let restartBytes: Int64
    /// The checkpoints' own connection, opened at the first round that needs it, and the file's page size.
    private let connection = Mutex<(queue: DatabaseQueue?, pageSize: Int64)>((nil, 4096))

    init(path: String, restartBytes: Int64 = WALCheckpointer.restartBytes) {
        self.path = path
        self.restartBytes = restartBytes
    }

    private let stopping = Atomic<Bool>(false)
    /// Whether `run`'s loop has begun on its thread (and not yet ended).
    var isRunning: Bool { running.load(ordering: .acquiring) }
    private let running = Atomic<Bool>(false)
    /// Cuts the wait between rounds short when stopping.
    private let wake = DispatchSemaphore(value: 0)

    /// Runs a round every `interval` on a thread of `pool` until the task is
    /// cancelled or its service group shuts down gracefully (after the round
    /// in progress), then closes the connection. The wait between rounds is
    /// on that thread too, not a task's timer: a timer would wait for a free
    /// thread of Swift concurrency's, which busy work can hold for seconds.
    func run(on pool: NIOThreadPool) async {
        await withTaskCancellationOrGracefulShutdownHandler {
            _ = try? await pool.runIfActive { [self] in
                running.store(true, ordering: .releasing)
                defer { running.store(false, ordering: .releasing) }
                while !stopping.load(ordering: .acquiring) {
                    _ = wake.wait(timeout: .now() + Self.interval)
                    guard !stopping.load(ordering: .acquiring) else { break }
                    round()
                }
                connection.withLock { state in
                    try? state.queue?.close()
                    state.queue = nil
                }
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopping.store(true, ordering: .releasing)
            wake.signal()
        }
    }

    /// One round: when the log has grown past `threshold`, a passive
    /// checkpoint, and past `restartBytes` a restart. Busy or failed, the
    /// next round tries again; the log only grows meanwhile.
    func round() {
        var st = stat()
        guard stat(path + "-wal", &st) == 0, Int64(st.st_size) >= Self.threshold else { return }
        connection.withLock { state in
            do {
                if state.queue == nil {
                    var config = Configuration()
                    config.busyMode = BusyWait.mode(seconds: 1)
                    let opened = try DatabaseQueue(path: path, configuration: config)
                    state.pageSize = try opened.read { try Int64.fetchOne($0, sql: "PRAGMA page_size") } ?? state.pageSize
                    state.queue = opened
                }
                let (path, restartBytes, pageSize) = (self.path, self.restartBytes, state.pageSize)
                try state.queue?.writeWithoutTransaction { db in
                    var done = try db.checkpoint(.passive)
                    guard done.walFrameCount >= Int(restartBytes / pageSize) else { return }
                    // A fully copied log is only started over when no reader is in it, which
                    // under steady load is never: past `restartBytes`, wait for readers to
                    // leave (milliseconds) so the next commit starts the log from the top.
                    // The restart copies and syncs, holding the write lock, whatever was
                    // committed since the last passive round; passive rounds first bring that
                    // down to `restartSlackBytes`, and what they copied is flushed before the
                    // restart (`syncToDisk`), so writers wait for a small sync only.
                    let slackFrames = Int(Self.restartSlackBytes / pageSize)
                    for _ in 0..<Self.maxCatchUpRounds {
                        let before = done.walFrameCount
                        done = try db.checkpoint(.passive)
                        if done.walFrameCount - before <= slackFrames { break }
                    }
                    if done.checkpointedFrameCount == done.walFrameCount {
                        Self.syncToDisk(path)
                        Self.syncToDisk(path + "-wal")
                        _ = try db.checkpoint(.restart)
                    }
                }
            } catch {
                // Busy or closed: the next round tries again.
            }
        }
    }

    /// Flushes the file at `path` to the disk from a descriptor of its own,
    /// holding no lock of SQLite's: writers go on meanwhile.
    ///
    /// A passive round that ends before the log's end (under steady writes,
    /// every one) copies its pages into the database without syncing it, so
    /// the restart's own sync, which holds every writer, would flush all of
    /// them. Flushed here first, the restart syncs only what it copies itself.
    static func syncToDisk(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fdatasync(descriptor)
        close(descriptor)
    }
}
