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
/// within `idlePoll` of its owner going away.
final class DrainThread<Owner: AnyObject & Sendable>: Sendable {
    private let name: String
    private let drain: @Sendable (Owner) -> Void
    private let wakeups = DispatchSemaphore(value: 0)
    private let started = Mutex(false)
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
            let (wakeups, drain) = (self.wakeups, self.drain)
            let thread = Thread { [weak owner] in
                while true {
                    let woken = wakeups.wait(timeout: .now() + Self.idlePoll) == .success
                    guard let owner else { return }
                    if woken { drain(owner) }
                }
            }
            thread.name = name
            thread.start()
        }
        wakeups.signal()
    }
}
