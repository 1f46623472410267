import Foundation
import GRDB
import Synchronization

/// One HTTP exchange as recorded: secrets are redacted by the Endpoint
/// before a `LoggedRequest` is built, so nothing secret reaches the database.
public struct LoggedRequest: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    public var method: String
    public var path: String
    public var query: String
    public var status: Int
    /// Seconds.
    public var duration: Double
    public var client: String
    public var userAgent: String
    /// Header lines (`Name: value`), `Authorization` already redacted, one to
    /// a line: the text the log stores. Kept whole rather than as an array of
    /// lines, which was a string allocated for each header on the event loop,
    /// joined on the log's writer, then each freed.
    public var requestHeaderText: String
    /// `requestHeaderText`'s lines.
    public var requestHeaders: [String] {
        get { requestHeaderText.isEmpty ? [] : requestHeaderText.components(separatedBy: "\n") }
        set { requestHeaderText = newValue.joined(separator: "\n") }
    }
    public var requestBody: String
    /// The response body's UTF-8 bytes as sent (cut to the log's size). Kept as
    /// bytes, not a `String`: the endpoint hands over the very array it answered
    /// from, where making a `String` would copy and validate every 54 KB list
    /// page; only the console, showing one entry, decodes it.
    public var responseBytes: [UInt8]
    public var responseBody: String {
        get { String(decoding: responseBytes, as: UTF8.self) }
        set { responseBytes = Array(newValue.utf8) }
    }
    /// The response's header lines, as `requestHeaderText` (empty for
    /// exchanges logged before they were kept).
    public var responseHeaderText: String
    /// The user or group the request touched, when there was one.
    public var resourceID: String?

    /// The User-Agent of the console's own requests: the setup wizard's
    /// probes and its hand actions. Their entries are labelled as the
    /// console's and left out of the error rate.
    public static let consoleUserAgentPrefix = "scim-console"

    /// Whether the console itself made this exchange.
    public var isByConsole: Bool { userAgent.hasPrefix(Self.consoleUserAgentPrefix) }
    /// For PUT and PATCH: the resource as it was before, to show what changed.
    public var resourceBefore: String?

    /// An exchange as the log stores it: its headers as one text, its response as bytes.
    public init(id: Int64 = 0, time: Date, method: String, path: String, query: String, status: Int,
                duration: Double, client: String, userAgent: String, requestHeaderText: String,
                requestBody: String, responseBytes: [UInt8], resourceID: String?, resourceBefore: String? = nil,
                responseHeaderText: String = "") {
        self.id = id
        self.responseHeaderText = responseHeaderText
        self.time = time
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.duration = duration
        self.client = client
        self.userAgent = userAgent
        self.requestHeaderText = requestHeaderText
        self.requestBody = requestBody
        self.responseBytes = responseBytes
        self.resourceID = resourceID
        self.resourceBefore = resourceBefore
    }

    /// An exchange from its header lines and its response body as text.
    public init(id: Int64 = 0, time: Date, method: String, path: String, query: String, status: Int,
                duration: Double, client: String, userAgent: String, requestHeaders: [String],
                requestBody: String, responseBody: String, resourceID: String?, resourceBefore: String? = nil) {
        self.init(id: id, time: time, method: method, path: path, query: query, status: status, duration: duration,
                  client: client, userAgent: userAgent, requestHeaderText: requestHeaders.joined(separator: "\n"),
                  requestBody: requestBody, responseBytes: Array(responseBody.utf8), resourceID: resourceID,
                  resourceBefore: resourceBefore)
    }
}

extension Directory {
    /// Records an exchange and drops the oldest beyond `requestLogCapacity`.
    @discardableResult
    public func log(_ entry: LoggedRequest) throws -> Int64 {
        try log([entry]).last!
    }

    /// Records exchanges in one transaction (one commit for a whole burst),
    /// then publishes one `requestLogged` event each.
    @discardableResult
    public func log(_ entries: [LoggedRequest]) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        let capacity = Int64(requestLogCapacity)
        let ids = try logPool.write { db in
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
        // By index: a `zip` of the entries copied each one (a dozen strings retained and released).
        for i in entries.indices {
            events.publish(.requestLogged(id: ids[i], status: entries[i].status, byConsole: entries[i].isByConsole))
        }
        return ids
    }

    /// Queues an exchange for the log and returns at once: a background thread
    /// writes whatever has queued up in one transaction, so a burst of
    /// requests costs one commit instead of one each and no request waits for
    /// the log. An entry still queued when the process is killed is lost;
    /// provisioned state never is (it is written before the answer).
    ///
    /// The writer is a `DrainThread`, not a task: a batch write blocks for
    /// milliseconds, and every request queued behind it on the same thread
    /// would wait that long — it showed as the filter scenario's p99.
    ///
    /// Should the writer fall behind by more than `RequestLogQueue.limitBytes`,
    /// an exchange with a long response body is queued without it
    /// (`responseBodiesNotKept` counts them), and past that the exchange is
    /// dropped (`unloggedExchanges`).
    @discardableResult
    public func logSoon(_ entry: LoggedRequest) -> LogOutcome {
        let (outcome, wakeWriter) = logQueue.enqueue(entry)
        if wakeWriter { logWriter.wake(self) }
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

    /// How many bytes of exchanges may wait for the request log's writer
    /// (`RequestLogQueue`): about 1,200 logged list pages, six times what a
    /// 50 ms batch gathers at 4,000 pages a second.
    public static let defaultRequestLogBacklogBytes = 64 << 20

    /// Exchanges this process did not log because the log's writer fell
    /// behind (`logSoon`), since it opened the directory.
    public var unloggedExchanges: Int { logQueue.dropped }

    /// Exchanges this process logged without their long response bodies
    /// because the log's writer fell behind (`logSoon`), since it opened the directory.
    public var responseBodiesNotKept: Int { logQueue.bodiesNotKept }

    /// Waits until everything queued by `logSoon` is written (tests, shutdown).
    public func flushLog() async {
        while logQueue.isBusy { try? await Task.sleep(for: .milliseconds(1)) }
    }

    /// How long the writer lets entries gather before each transaction. A
    /// transaction writes every page it touches, whole, and each `pwrite`
    /// costs about the same however few bytes it carries; written as soon as
    /// woken, a burst's entries would each pay for their own pages. Gathered
    /// for `logLinger`, they share them. The console sees a request at most
    /// this much later, which no one can tell. (The measurements behind the
    /// figure are in `Tests/Benchmarks/HISTORY.md`.)
    static let logLinger: TimeInterval = 0.05

    func drainLogQueue() {
        while true {
            Thread.sleep(forTimeInterval: Self.logLinger)
            guard let batch = logQueue.takeBatch() else { return }
            do { try log(batch) } catch {
                // The log is best effort; provisioning must not fail because of it.
            }
        }
    }

    /// The newest requests first, up to `limit`; `beforeID` pages back in time.
    public func recentRequests(limit: Int = 100, beforeID: Int64? = nil) throws -> [LoggedRequest] {
        try readLog { db in
            try Row.fetchAll(db, cachedSQL: "\(Self.wholeExchange) WHERE l.id < ? ORDER BY l.id DESC LIMIT ?",
                             arguments: [beforeID ?? Int64.max, max(0, limit)]).map { self.loggedRequest(from: $0) }
        }
    }

    public func request(id: Int64) throws -> LoggedRequest? {
        try readLog { db in
            try Row.fetchOne(db, cachedSQL: "\(Self.wholeExchange) WHERE l.id = ?", arguments: [id]).map { self.loggedRequest(from: $0) }
        }
    }

    /// Recent requests that touched a user or group, newest first.
    public func requests(touching resourceID: String, limit: Int = 20) throws -> [RequestSummary] {
        try readLog { db in
            try Row.fetchAll(db, cachedSQL: """
                SELECT \(RequestSummary.columns) FROM request_log WHERE resource_id = ? ORDER BY id DESC LIMIT ?
                """, arguments: [resourceID, limit]).map(RequestSummary.init(row:))
        }
    }

    /// The time and status of every exchange logged at or after `since`,
    /// oldest first: read from the exchanges' lines alone, not their bodies.
    /// The time and status of each exchange logged since `since`, but the console's own.
    public func requestStatuses(since: Date) throws -> [(time: Date, status: Int)] {
        try readLog { db in
            try Row.fetchAll(db, cachedSQL: """
                SELECT time, status FROM request_log WHERE time >= ? AND user_agent NOT LIKE 'scim-console%' ORDER BY id
                """, arguments: [since.timeIntervalSince1970])
                .map { (Date(timeIntervalSince1970: $0[0]), $0[1]) }
        }
    }

    public func requestCount() throws -> Int {
        try readLog { db in try Int.fetchOne(db, cachedSQL: "SELECT COUNT(*) FROM request_log") ?? 0 }
    }

    /// An exchange's line and its headers and bodies (`RequestLogSchema.splitTables`),
    /// as `loggedRequest(from:)` reads them; a missing body reads as empty.
    static let wholeExchange = """
        SELECT l.*, b.request_headers, b.request_body, b.response_body, b.resource_before,
               b.response_segment, b.response_offset, b.response_headers
        FROM request_log l LEFT JOIN request_body b ON b.id = l.id
        """

    /// What a response body reads as when the log's row points into a body
    /// segment that is gone (removed by hand, or not on disk after a power loss).
    public static let bodyGoneNotice = "(this response body is no longer on disk)"

    func loggedRequest(from row: Row) -> LoggedRequest {
        Self.loggedRequest(from: row, bodies: bodies)
    }

    /// An exchange from `wholeExchange`'s row (or a v1 row, which has its
    /// bodies inline), its response body read from `bodies` when it was written there.
    static func loggedRequest(from row: Row, bodies: BodySegments?) -> LoggedRequest {
        let responseBytes: [UInt8]
        if let segment: Int64 = row["response_segment"], let offset: Int64 = row["response_offset"], let bodies {
            let location = BodySegments.Location(segment: segment, offset: offset)
            responseBytes = bodies.read(location, id: row["id"]) ?? Array(bodyGoneNotice.utf8)
        } else {
            responseBytes = Array(((row["response_body"] as String?) ?? "").utf8)
        }
        return LoggedRequest(
            id: row["id"], time: Date(timeIntervalSince1970: row["time"]), method: row["method"], path: row["path"],
            query: row["query"], status: row["status"], duration: row["duration"], client: row["client"],
            userAgent: row["user_agent"], requestHeaderText: row["request_headers"] ?? "",
            requestBody: row["request_body"] ?? "", responseBytes: responseBytes, resourceID: row["resource_id"],
            resourceBefore: row["resource_before"], responseHeaderText: row["response_headers"] ?? "")
    }
}

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
    /// How many bytes of entries may wait (`Directory.defaultRequestLogBacklogBytes`).
    let limitBytes: Int

    init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// Adds an entry unless `limitBytes` are waiting (one entry alone is
    /// always taken, whatever its size; bodies are cut at 64 KiB anyway);
    /// past them, adds it without its long response body while that fits.
    /// `wakeWriter`: the entry was queued and the writer was idle, so the
    /// caller must wake it.
    func enqueue(_ entry: LoggedRequest) -> (outcome: Directory.LogOutcome, wakeWriter: Bool) {
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

    /// Entries dropped since the queue was made.
    var dropped: Int { state.withLock { $0.dropped } }

    /// Entries queued without their response bodies since the queue was made.
    var bodiesNotKept: Int { state.withLock { $0.bodiesNotKept } }
}

extension LoggedRequest {
    /// The entry with its response body replaced by a notice that says how
    /// long it was and why it was not kept (`RequestLogQueue`).
    func withoutResponseBody() -> LoggedRequest {
        var slim = self
        slim.responseBytes = Array(Self.bodyNotKeptNotice(bytes: responseBytes.count).utf8)
        return slim
    }

    /// What a response body reads as when the log's writer had fallen behind and did not keep it.
    public static func bodyNotKeptNotice(bytes: Int) -> String {
        "(this response body, \(bytes) bytes, was not kept: the request log's writer had fallen behind)"
    }

    /// The bytes an entry holds, near enough to bound a queue of them.
    var approximateBytes: Int {
        256 + method.utf8.count + path.utf8.count + query.utf8.count + client.utf8.count + userAgent.utf8.count
            + requestHeaderText.utf8.count + requestBody.utf8.count + responseBytes.count
            + (resourceID?.utf8.count ?? 0) + (resourceBefore?.utf8.count ?? 0)
    }
}
