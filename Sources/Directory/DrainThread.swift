import Foundation
import Synchronization

/// A thread of its own that empties a queue whenever it is woken and sleeps
/// otherwise: the request log's writer and the group-commit writer.
///
/// Not a thread per burst: under steady load the queues empty and refill
/// hundreds of times a second, and starting a thread each time cost a clone,
/// a fresh stack and an exit per batch. Not a task either: a batch blocks
/// for milliseconds, and on the event loops every connection behind it
/// would wait that long. The thread starts on the first `wake` and ends
/// when `stop` is called (which waits for it), or within `idlePoll` of its
/// owner going away.
final class DrainThread<Owner: AnyObject & Sendable>: Sendable {
    private let name: String
    private let drain: @Sendable (Owner) -> Void
    private let wakeups = DispatchSemaphore(value: 0)
    private let started = Mutex(false)
    private let stopping = Atomic<Bool>(false)
    /// Signalled once when the thread has ended.
    private let exited = DispatchSemaphore(value: 0)
    static var idlePoll: TimeInterval { 0.5 }

    init(name: String, drain: @escaping @Sendable (Owner) -> Void) {
        self.name = name
        self.drain = drain
    }

    /// Runs `drain(owner)` on the thread now, or as soon as it finishes the
    /// drain it is in. The queue's own flag decides who calls this: whoever
    /// finds it idle (`RequestLogQueue.enqueue`, `WriteBatcher.enqueue`).
    func wake(_ owner: Owner) {
        let start = started.withLock { started in
            defer { started = true }
            return !started
        }
        if start {
            // The thread holds this (its queue's signals), never the owner.
            let thread = Thread { [weak owner, self] in
                defer { exited.signal() }
                while true {
                    let woken = wakeups.wait(timeout: .now() + Self.idlePoll) == .success
                    guard let owner, !stopping.load(ordering: .acquiring) else { return }
                    if woken { drain(owner) }
                }
            }
            thread.name = name
            thread.start()
        }
        wakeups.signal()
    }

    /// Ends the thread, after the drain it is in, and waits until it has.
    /// The owner empties its queue first; a `wake` after this does nothing.
    func stop() {
        let running = started.withLock { started in
            defer { started = true }
            return started
        }
        guard running, !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wakeups.signal()
        exited.wait()
    }
}
