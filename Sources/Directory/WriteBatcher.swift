import Foundation
import GRDB
import Synchronization

/// Group commit for the endpoint's writes: operations that arrive while a
/// transaction is running are queued, then run together in the next one,
/// each in a savepoint of its own, on one thread.
///
/// SQLite commits one transaction at a time, and a commit writes every page
/// its transaction touched to the write-ahead log. Okta's creates land on the
/// same few pages (the table's tail, the counters, neighbouring names), so a
/// commit per request wrote those pages once per request; a commit per batch
/// writes them once per batch. And a request waiting for the write lock used
/// to block its event loop, and every connection on it, where it now
/// suspends and the loop serves others.
///
/// An operation's answer is released only after its batch commits, so an
/// acknowledged write is as durable as before. One that fails rolls back its
/// own savepoint and fails alone; the others in its batch still commit.
final class WriteBatcher: Sendable {
    /// One queued operation, type-erased.
    protocol Job: Sendable {
        /// Runs the operation inside the batch's transaction, adding its events when it succeeds.
        func run(on directory: Directory, _ db: Database, events: inout [DirectoryEvent])
        /// Answers the waiting request: its result, or `error` when the batch did not commit.
        func finish(failing error: (any Error)?)
    }

    private struct State {
        var queue: [any Job] = []
        var running = false
    }
    private let state = Mutex(State())
    /// The most operations one transaction takes; the rest wait for the next.
    static let maxBatch = 64

    /// Queues `job`; true when the caller must wake the writer (it was idle).
    func enqueue(_ job: any Job) -> Bool {
        state.withLock { s in
            s.queue.append(job)
            if s.running { return false }
            s.running = true
            return true
        }
    }

    /// Operations waiting for the next batch.
    var queuedCount: Int { state.withLock { $0.queue.count } }

    /// Whether operations are queued or a batch is running.
    var isBusy: Bool { state.withLock { $0.running || !$0.queue.isEmpty } }

    /// The next batch, or nil (and the writer stops) when nothing is queued.
    func takeBatch() -> [any Job]? {
        state.withLock { s in
            if s.queue.isEmpty {
                s.running = false
                return nil
            }
            let batch = Array(s.queue.prefix(Self.maxBatch))
            s.queue.removeFirst(batch.count)
            return batch
        }
    }
}

/// The transaction an operation runs in when a `WriteBatcher` runs it:
/// `Directory.write` joins it instead of beginning its own.
struct AmbientWrite: @unchecked Sendable {
    // Only ever read on the batch's own thread, inside the batch.
    let db: Database
    let events: UnsafeMutablePointer<[DirectoryEvent]>

    @TaskLocal static var current: AmbientWrite?
}

extension Directory {
    /// Runs a write operation in the next group commit and returns its result
    /// once that commit is done. `operation` calls the Directory's ordinary
    /// write operations (`createUser`, `replaceUser`, …); they join the batch's
    /// transaction. Reads outside those operations belong before this call.
    public func batched<T: Sendable>(_ operation: @escaping @Sendable (Directory) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = BatchedOperation(operation: operation, continuation: continuation)
            if writeBatcher.enqueue(job) {
                // The queue's own flag says whose turn it is: one drain at a time.
                blockingWork.submit { [self] _ in drainWriteBatches() }
            }
        }
    }

    func drainWriteBatches() {
        while let batch = writeBatcher.takeBatch() {
            var events: [DirectoryEvent] = []
            do {
                try pool.write { db in
                    // Once SQLite has ended the transaction itself (a full disk, say), nothing
                    // more runs in this batch, and the error below answers all of it.
                    for job in batch where db.isInsideTransaction {
                        job.run(on: self, db, events: &events)
                    }
                    if !db.isInsideTransaction {
                        throw DatabaseError(resultCode: .SQLITE_ABORT, message: "The write transaction was rolled back.")
                    }
                }
            } catch {
                // Nothing of this batch committed (or it never began: the lock stayed busy). Every
                // operation in it is answered: with this error, unless it had failed on its own.
                diskSpace.noteFailure(error, writes: batch.count)
                for job in batch { job.finish(failing: error) }
                continue
            }
            diskSpace.noteCommit()
            for event in events { self.events.publish(event) }
            for job in batch { job.finish(failing: nil) }
        }
    }
}

/// A queued operation with its waiting request.
final class BatchedOperation<T: Sendable>: WriteBatcher.Job, @unchecked Sendable {
    // `result` is written on the batch's thread before `finish` reads it there.
    let operation: @Sendable (Directory) throws -> T
    let continuation: CheckedContinuation<T, any Error>
    var result: Result<T, any Error>?

    init(operation: @escaping @Sendable (Directory) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.operation = operation
        self.continuation = continuation
    }

    func run(on directory: Directory, _ db: Database, events: inout [DirectoryEvent]) {
        var own: [DirectoryEvent] = []
        do {
            var value: T?
            try db.inSavepoint {
                value = try withUnsafeMutablePointer(to: &own) { pointer in
                    try AmbientWrite.$current.withValue(AmbientWrite(db: db, events: pointer)) {
                        try operation(directory)
                    }
                }
                return .commit
            }
            result = .success(value!)
            events += own
        } catch {
            result = .failure(error)
        }
    }

    func finish(failing error: (any Error)?) {
        if let error, case .success = result { result = .failure(error) }
        continuation.resume(with: result ?? .failure(error ?? CancellationError()))
    }
}
