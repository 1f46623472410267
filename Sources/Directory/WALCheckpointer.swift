import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database from a thread and a
/// connection of its own.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its
/// threshold, so one unlucky request would wait for megabytes to be copied
/// and synced. Here a passive checkpoint (it never blocks writers or
/// readers) runs whenever the log has grown past `threshold`, and the
/// writer connections have `wal_autocheckpoint` off. Under steady load the
/// log file would also never start over (there is always a reader in it)
/// and grow without bound; a restart checkpoint past `restartBytes` brings
/// it back to `walSizeLimit`. The thread ends soon after its Directory.
enum WALCheckpointer {
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

    /// A running checkpointer's thread, for stopping it.
    final class Running: Sendable {
        fileprivate let stopping = Atomic<Bool>(false)
        /// Cuts the wait between rounds short when stopping.
        fileprivate let wake = DispatchSemaphore(value: 0)
        fileprivate let exited = DispatchSemaphore(value: 0)
        private let stopped = Mutex(false)

        /// Ends the thread after the round it is in, and waits until it has.
        func stop() {
            guard !stopped.withLock({ done in defer { done = true }; return done }) else { return }
            stopping.store(true, ordering: .releasing)
            wake.signal()
            exited.wait()
        }
    }

    /// Checkpoints the database at `path` until it is stopped or `owner` is
    /// gone, starting its log over once it holds `restartBytes` of pages.
    @discardableResult
    static func start(path: String, restartBytes: Int64 = restartBytes, whileAlive owner: AnyObject & Sendable) -> Running {
        let running = Running()
        let thread = Thread { [weak owner] in
            var connection: DatabaseQueue?
            defer {
                try? connection?.close()
                running.exited.signal()
            }
            var pageSize: Int64 = 4096
            while owner != nil, !running.stopping.load(ordering: .acquiring) {
                _ = running.wake.wait(timeout: .now() + interval)
                guard !running.stopping.load(ordering: .acquiring) else { return }
                var st = stat()
                guard stat(path + "-wal", &st) == 0, Int64(st.st_size) >= threshold else { continue }
                do {
                    if connection == nil {
                        var config = Configuration()
                        config.busyMode = BusyWait.mode(seconds: 1)
                        let opened = try DatabaseQueue(path: path, configuration: config)
                        pageSize = try opened.read { try Int64.fetchOne($0, sql: "PRAGMA page_size") } ?? pageSize
                        connection = opened
                    }
                    try connection?.writeWithoutTransaction { db in
                        var done = try db.checkpoint(.passive)
                        guard done.walFrameCount >= Int(restartBytes / pageSize) else { return }
                        // A fully copied log is only started over when no reader is in it, which
                        // under steady load is never: past `restartBytes`, wait for readers to
                        // leave (milliseconds) so the next commit starts the log from the top.
                        // The restart copies and syncs, holding the write lock, whatever was
                        // committed since the last passive round; passive rounds first bring that
                        // down to `restartSlackBytes`, and what they copied is flushed before the
                        // restart (`syncToDisk`), so writers wait for a small sync only.
                        let slackFrames = Int(restartSlackBytes / pageSize)
                        for _ in 0..<maxCatchUpRounds {
                            let before = done.walFrameCount
                            done = try db.checkpoint(.passive)
                            if done.walFrameCount - before <= slackFrames { break }
                        }
                        if done.checkpointedFrameCount == done.walFrameCount {
                            syncToDisk(path)
                            syncToDisk(path + "-wal")
                            _ = try db.checkpoint(.restart)
                        }
                    }
                } catch {
                    // Busy or closed: the next round tries again; the log only grows meanwhile.
                }
            }
        }
        thread.name = "wal-checkpointer"
        thread.start()
        return running
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
