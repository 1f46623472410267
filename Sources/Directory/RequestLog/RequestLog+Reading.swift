import Foundation
import GRDB

extension RequestLog {
    /// The newest requests first, up to `limit`; `beforeID` pages back in time.
    public func recent(limit: Int = 100, beforeID: Int64? = nil) throws -> [LoggedRequest] {
        try read { db in
            try Row.fetchAll(db, cachedSQL: "\(Self.wholeExchange) WHERE l.id < ? ORDER BY l.id DESC LIMIT ?",
                             arguments: [beforeID ?? Int64.max, max(0, limit)]).map { self.loggedRequest(from: $0) }
        }
    }

    public func entry(id: Int64) throws -> LoggedRequest? {
        try read { db in
            try Row.fetchOne(db, cachedSQL: "\(Self.wholeExchange) WHERE l.id = ?", arguments: [id]).map { self.loggedRequest(from: $0) }
        }
    }

    /// Recent requests that touched a user or group, newest first.
    public func summaries(touching resourceID: String, limit: Int = 20) throws -> [RequestSummary] {
        try read { db in
            try Row.fetchAll(db, cachedSQL: """
                SELECT \(RequestSummary.columns) FROM request_log WHERE resource_id = ? ORDER BY id DESC LIMIT ?
                """, arguments: [resourceID, limit]).map(RequestSummary.init(row:))
        }
    }

    /// The summaries of these logged requests, in the order given; ids no longer
    /// logged are left out.
    public func summaries(ids: [Int64]) throws -> [RequestSummary] {
        guard !ids.isEmpty else { return [] }
        let keys = keysCondition("id", in: ids)
        let byID = try read { db in
            try Row.fetchAll(db, cachedSQL: "SELECT \(RequestSummary.columns) FROM request_log WHERE \(keys.sql)",
                             arguments: keys.arguments).map(RequestSummary.init(row:))
        }.reduce(into: [Int64: RequestSummary]()) { $0[$1.id] = $1 }
        return ids.compactMap { byID[$0] }
    }

    /// The newest logged exchange's id, or nil when the log is empty.
    public func latestID() throws -> Int64? {
        try read { db in try Int64.fetchOne(db, cachedSQL: "SELECT MAX(id) FROM request_log") }
    }

    /// The time and status of each exchange logged at or after `since`, but
    /// the console's own, oldest first: read from the exchanges' lines alone,
    /// not their bodies.
    public func statuses(since: Date) throws -> [(time: Date, status: Int)] {
        try read { db in
            try Row.fetchAll(db, cachedSQL: """
                SELECT time, status FROM request_log WHERE time >= ? AND user_agent NOT LIKE 'scim-console%' ORDER BY id
                """, arguments: [since.timeIntervalSince1970])
                .map { (Date(timeIntervalSince1970: $0[0]), $0[1]) }
        }
    }

    public func count() throws -> Int {
        try read { db in try Int.fetchOne(db, cachedSQL: "SELECT COUNT(*) FROM request_log") ?? 0 }
    }

    /// An exchange's line and its headers and bodies (`RequestLogSchema.splitTables`),
    /// as `loggedRequest(from:)` reads them; a missing body reads as empty.
    static let wholeExchange = """
        SELECT l.*, b.request_headers, b.request_body, b.response_body, b.resource_before,
               b.response_segment, b.response_offset, b.response_headers, b.upstream_duration
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
            resourceBefore: row["resource_before"], responseHeaderText: row["response_headers"] ?? "",
            upstreamDuration: row["upstream_duration"])
    }
}

