import Foundation
import Testing
@testable import Directory

/// The exchanges waiting for the request log's writer are bounded: past the
/// bound they are dropped and counted, never held (`RequestLogQueue`).
@Suite("Request log backlog")
struct RequestLogBacklogTests {
    static func entry(_ path: String, body: Int = 0) -> LoggedRequest {
        LoggedRequest(time: Date(), method: "GET", path: path, query: "", status: 200, duration: 0.001,
                      client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0", requestHeaders: [],
                      requestBody: "", responseBody: String(repeating: "x", count: body), resourceID: nil)
    }

    @Test func entriesPastTheBoundAreDroppedAndCounted() {
        let one = Self.entry("/Users", body: 1_000)
        let queue = RequestLogQueue(limitBytes: 3 * one.approximateBytes)
        #expect(queue.enqueue(one) == .wakeWriter)
        #expect(queue.enqueue(one) == .queued)
        #expect(queue.enqueue(one) == .queued)
        #expect(queue.enqueue(one) == .dropped)
        #expect(queue.enqueue(Self.entry("/Users", body: 10)) == .dropped)  // nothing more fits, small or not
        #expect(queue.dropped == 2)
        #expect(queue.takeBatch()?.count == 3)
        // Taken by the writer, the bytes no longer count: the queue takes entries again.
        #expect(queue.enqueue(one) == .queued)
        #expect(queue.takeBatch()?.count == 1)
        #expect(queue.takeBatch() == nil)
        #expect(queue.enqueue(one) == .wakeWriter)
        #expect(queue.dropped == 2)
    }

    @Test func oneEntryIsTakenWhateverItsSize() {
        let queue = RequestLogQueue(limitBytes: 10)
        #expect(queue.enqueue(Self.entry("/Users", body: 64 * 1024)) == .wakeWriter)
        #expect(queue.enqueue(Self.entry("/Users")) == .dropped)
        #expect(queue.takeBatch()?.count == 1)
        #expect(queue.dropped == 1)
    }

    /// Through the Directory: what was queued is written, what was dropped is counted,
    /// and nothing of a dropped exchange reaches the log. The writer waits `logLinger`
    /// (50 ms) before it takes a batch, so entries logged back to back meet a full queue.
    @Test func theDirectoryWritesWhatItQueuedAndCountsTheRest() async throws {
        let directory = try makeDirectory(requestLogBacklogBytes: 1)
        #expect(directory.logSoon(Self.entry("/first")))
        #expect(!directory.logSoon(Self.entry("/second")))
        #expect(!directory.logSoon(Self.entry("/third")))
        await directory.flushLog()
        #expect(directory.unloggedExchanges == 2)
        #expect(try directory.recentRequests().map(\.path) == ["/first"])
        // Once the writer has caught up, exchanges are logged again.
        #expect(directory.logSoon(Self.entry("/fourth")))
        await directory.flushLog()
        #expect(try directory.recentRequests().map(\.path) == ["/fourth", "/first"])
        #expect(directory.unloggedExchanges == 2)
    }
}
