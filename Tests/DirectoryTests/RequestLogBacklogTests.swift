import Foundation
import Testing
import TestSupport
@testable import Directory

/// The exchanges waiting for the request log's writer are bounded: past the
/// bound an exchange with a long response body is kept without it for a while
/// longer, and the rest are dropped; both are counted, never held (`RequestLogQueue`).
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
        #expect(queue.enqueue(one) == (.queued, true))
        #expect(queue.enqueue(one) == (.queued, false))
        #expect(queue.enqueue(one) == (.queued, false))
        #expect(queue.enqueue(one) == (.dropped, false))
        #expect(queue.enqueue(Self.entry("/Users", body: 10)) == (.dropped, false))  // nothing more fits, small or not
        #expect(queue.dropped == 2)
        #expect(queue.takeBatch()?.count == 3)
        // Taken by the writer, the bytes no longer count: the queue takes entries again.
        #expect(queue.enqueue(one) == (.queued, false))
        #expect(queue.takeBatch()?.count == 1)
        #expect(queue.takeBatch() == nil)
        #expect(queue.enqueue(one) == (.queued, true))
        #expect(queue.dropped == 2)
    }

    @Test func oneEntryIsTakenWhateverItsSize() {
        let queue = RequestLogQueue(limitBytes: 10)
        #expect(queue.enqueue(Self.entry("/Users", body: 64 * 1024)) == (.queued, true))
        #expect(queue.enqueue(Self.entry("/Users")) == (.dropped, false))
        #expect(queue.takeBatch()?.count == 1)
        #expect(queue.dropped == 1)
    }

    /// Through the Directory: what was queued is written, what was dropped is counted,
    /// and nothing of a dropped exchange reaches the log. The writer waits `RequestLog.linger`
    /// (50 ms) before it takes a batch, so entries logged back to back meet a full queue.
    @Test func theDirectoryWritesWhatItQueuedAndCountsTheRest() async throws {
        let directory = try makeDirectory(requestLogBacklogBytes: 1)
        #expect(directory.requestLog.logSoon(Self.entry("/first")) == .queued)
        #expect(directory.requestLog.logSoon(Self.entry("/second")) == .dropped)
        #expect(directory.requestLog.logSoon(Self.entry("/third")) == .dropped)
        await directory.requestLog.flush()
        #expect(directory.requestLog.unloggedExchanges == 2)
        #expect(try directory.requestLog.recent().map(\.path) == ["/first"])
        // Once the writer has caught up, exchanges are logged again.
        #expect(directory.requestLog.logSoon(Self.entry("/fourth")) == .queued)
        await directory.requestLog.flush()
        #expect(try directory.requestLog.recent().map(\.path) == ["/fourth", "/first"])
        #expect(directory.requestLog.unloggedExchanges == 2)
    }

    /// Past the bound, a long response body (a list page's) is what gives way first:
    /// the exchange is queued with a notice in its place, its line and request kept,
    /// until the queue is an eighth over the bound; then exchanges are dropped.
    @Test func pastTheBoundALongBodyGivesWayBeforeTheExchange() {
        let page = Self.entry("/Users", body: BodySegments.threshold + 1_000)
        let queue = RequestLogQueue(limitBytes: 3 * page.approximateBytes)
        for _ in 0..<3 { #expect(queue.enqueue(page).outcome == .queued) }
        var cut = 0
        while queue.enqueue(page) == (.queuedWithoutBody, false) { cut += 1 }
        let slim = page.withoutResponseBody().approximateBytes
        #expect(cut == (3 * page.approximateBytes / 8) / slim)
        #expect(queue.bodiesNotKept == cut)
        #expect(queue.dropped == 1)
        // A short body is not worth cutting: past the bound, such an exchange is dropped.
        #expect(queue.enqueue(Self.entry("/Users/1", body: 100)) == (.dropped, false))
        let batch = queue.takeBatch() ?? []
        #expect(batch.count == 3 + cut)
        #expect(batch.last?.path == "/Users")
        #expect(batch.last?.responseBody == LoggedRequest.bodyNotKeptNotice(bytes: BodySegments.threshold + 1_000))
    }

    /// Through the Directory: the exchange whose body was not kept is in the log, with its
    /// request, and reads with the notice where the body was.
    @Test func theDirectoryLogsAnExchangeWhoseBodyWasNotKept() async throws {
        let page = Self.entry("/Users", body: BodySegments.threshold + 1_000)
        let directory = try makeDirectory(requestLogBacklogBytes: page.approximateBytes + 1_000)
        #expect(directory.requestLog.logSoon(page) == .queued)
        var second = page
        second.query = "startIndex=101&count=100"
        #expect(directory.requestLog.logSoon(second) == .queuedWithoutBody)
        await directory.requestLog.flush()
        #expect(directory.requestLog.responseBodiesNotKept == 1)
        #expect(directory.requestLog.unloggedExchanges == 0)
        let logged = try directory.requestLog.recent()
        #expect(logged.map(\.query) == ["startIndex=101&count=100", ""])
        #expect(logged[0].responseBody == LoggedRequest.bodyNotKeptNotice(bytes: BodySegments.threshold + 1_000))
        #expect(logged[1].responseBytes == page.responseBytes)
    }
}
