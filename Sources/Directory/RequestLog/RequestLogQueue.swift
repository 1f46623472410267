import Foundation
import Synchronization

/// Request-log entries waiting to be written, and whether a writer is at work.
///
/// Bounded: should the writer fall behind (a slow disk, or a burst larger
/// than it can write), an entry past `limitBytes` whose response body is
/// long (`BodySegments.threshold` or more: a list page) is kept without that
/// body while the queue stays under `limitBytes + limitBytes / 8`, and
/// entries past that are dropped; both are counted, not held. Its line,
/// headers and request body (what Okta sent) are what a person reading a
/// burst needs most, and without a 54 KB page's body it costs the writer
/// about a fifth as much, so the writer catches up instead of dropping
/// whole exchanges. The bound is what keeps a writer that falls behind (a
/// slow disk, a burst of list pages on a busy machine) from holding
/// gigabytes; `Tests/Benchmarks/HISTORY.md` has the measurements.
final class RequestLogQueue: Sendable {
    private struct State {
        var entries: [LoggedRequest] = []
        var bytes = 0
        var draining = false
        var dropped = 0
        var bodiesNotKept = 0
    }
    private let state = Mutex(State())
    /// How many bytes of entries may wait (`RequestLog.defaultBacklogBytes`).
    let limitBytes: Int

    init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// Adds an entry unless `limitBytes` are waiting (one entry alone is
    /// always taken, whatever its size; bodies are cut at 64 KiB anyway);
    /// past them, adds it without its long response body while that fits.
    /// `wakeWriter`: the entry was queued and the writer was idle, so the
    /// caller must wake it.
    func enqueue(_ entry: LoggedRequest) -> (outcome: RequestLog.LogOutcome, wakeWriter: Bool) {
        let size = entry.approximateBytes
        return state.withLock { s in
            if !s.entries.isEmpty, s.bytes + size > limitBytes {
                if entry.responseBytes.count >= BodySegments.threshold {
                    let slim = entry.withoutResponseBody()
                    let slimSize = slim.approximateBytes
                    if s.bytes + slimSize <= limitBytes + limitBytes / 8 {
                        s.entries.append(slim)
                        s.bytes += slimSize
                        s.bodiesNotKept += 1
                        return (.queuedWithoutBody, false)  // entries are waiting: the writer is at work
                    }
                }
                s.dropped += 1
                return (.dropped, false)
            }
            s.entries.append(entry)
            s.bytes += size
            if s.draining { return (.queued, false) }
            s.draining = true
            return (.queued, true)
        }
    }

    /// Everything queued, or nil (and the writer stops) when nothing is.
    func takeBatch() -> [LoggedRequest]? {
        state.withLock { s in
            if s.entries.isEmpty {
                s.draining = false
                return nil
            }
            defer {
                s.entries = []
                s.bytes = 0
            }
            return s.entries
        }
    }

    var isBusy: Bool { state.withLock { $0.draining || !$0.entries.isEmpty } }

    /// Notes entries taken from the queue that could not be written (the disk
    /// was full): counted with the dropped ones.
    func countNotLogged(_ n: Int) {
        state.withLock { $0.dropped += n }
    }

    /// Entries dropped since the queue was made.
    var dropped: Int { state.withLock { $0.dropped } }

    /// Entries queued without their response bodies since the queue was made.
    var bodiesNotKept: Int { state.withLock { $0.bodiesNotKept } }
}
