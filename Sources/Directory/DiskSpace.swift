import GRDB
import Synchronization

/// Whether the data directory's disk has room for writes. A write that fails
/// for lack of space (`SQLITE_FULL`, or a file write that found the disk
/// full) marks it full; the next write that commits marks it clear again, so
/// writes resume by themselves once space is freed. While it is full the
/// endpoint answers 503 with `Retry-After`, the console shows `DISK FULL`,
/// and `serve` says so once and then counts. Each change of state is
/// published once on the Directory's events (`.diskSpace`).
public final class DiskSpace: Sendable {
    private struct State {
        var full = false
        var refused = 0
    }
    private let state = Mutex(State())
    /// A copy of `state.full`, read without the lock on every commit.
    private let fullFlag = Atomic<Bool>(false)
    private let events: EventStream<DirectoryEvent>

    init(events: EventStream<DirectoryEvent>) {
        self.events = events
    }

    /// Whether the last write failed for lack of space and none has committed since.
    public var isFull: Bool { fullFlag.load(ordering: .acquiring) }

    /// Writes refused for lack of space since the Directory opened (operations,
    /// and exchanges the request log could not keep).
    public var refusedWrites: Int { state.withLock { $0.refused } }

    /// Whether `error` says the disk is full.
    public static func isOutOfSpace(_ error: any Error) -> Bool {
        if let db = error as? DatabaseError { return db.resultCode == .SQLITE_FULL }
        return false
    }

    /// Notes a write that failed: counted, and the disk marked full, when the
    /// failure was for lack of space. True when it was.
    @discardableResult
    func noteFailure(_ error: any Error, writes: Int = 1) -> Bool {
        guard Self.isOutOfSpace(error) else { return false }
        let flipped = state.withLock { s in
            s.refused += writes
            defer { s.full = true }
            return !s.full
        }
        if flipped {
            fullFlag.store(true, ordering: .releasing)
            events.publish(.diskSpace(full: true))
        }
        return true
    }

    /// Notes a write that committed: the disk has room again if it was full.
    func noteCommit() {
        guard fullFlag.load(ordering: .acquiring) else { return }
        let flipped = state.withLock { s in
            defer { s.full = false }
            return s.full
        }
        if flipped {
            fullFlag.store(false, ordering: .releasing)
            events.publish(.diskSpace(full: false))
        }
    }
}
