import Foundation
import GRDB
import Directory

extension RequestLog {
    /// A logged request's line matches `Browse.pattern`. SQLite's LIKE ignores ASCII
    /// case; `search` is lowercased, as the pattern is.
    static let requestSearchCondition = "search LIKE ? ESCAPE '\\'"

    static func requestWhere(_ browse: Browse, maxID: Int64?) -> (String, StatementArguments) {
        var conditions: [String] = []
        var args: StatementArguments = []
        if let maxID {
            conditions.append("id <= ?")
            args += [maxID]
        }
        if !browse.filter.isEmpty {
            conditions.append(Self.requestSearchCondition)
            args += [browse.pattern]
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), args)
    }

    // The request queries below have a few shapes each (paused or not, filtered or not,
    // either order), a bounded set of texts: their statements are cached.

    /// Logged requests, oldest first (the newest is the last row), up to `maxID` when paused.
    /// `total`, the number of rows the browse has when the caller knows it, lets a window
    /// past the middle be read from the newest end (`NearerEnd`): a filtered tab following
    /// the newest found its window by stepping over every older match, on every frame of a burst.
    public func browseRequests(_ browse: Browse, maxID: Int64?, range: Range<Int>, total: Int? = nil) throws -> [RequestSummary] {
        let (clause, args) = Self.requestWhere(browse, maxID: maxID)
        let page = total.map { NearerEnd(start: range.lowerBound, count: range.count, total: $0) }
            ?? NearerEnd(limit: range.count, offset: range.lowerBound, reversed: false)
        let descending = browse.descending != page.reversed
        let summaries = try read { db in
            try Row.fetchAll(db, cachedSQL: """
                SELECT \(RequestSummary.columns) FROM request_log\(clause)
                ORDER BY id \(descending ? "DESC" : "ASC") LIMIT ? OFFSET ?
                """, arguments: args + [page.limit, page.offset]).map(RequestSummary.init(row:))
        }
        return page.reversed ? summaries.reversed() : summaries
    }

    public func countRequests(_ browse: Browse, maxID: Int64?) throws -> Int {
        let (clause, args) = Self.requestWhere(browse, maxID: maxID)
        return try read { db in try Int.fetchOne(db, cachedSQL: "SELECT COUNT(*) FROM request_log\(clause)", arguments: args) ?? 0 }
    }

    /// Where a logged request stands in the browse, or nil when the filter hides it.
    /// With `total` (as in `browseRequests`), the rows on the side of the newer or the
    /// older end, whichever is nearer, are counted, and the other side follows.
    public func requestPosition(id: Int64, _ browse: Browse, maxID: Int64?, total: Int? = nil) throws -> Int? {
        let (clause, args) = Self.requestWhere(browse, maxID: maxID)
        let and = clause.isEmpty ? " WHERE" : clause + " AND"
        return try read { db in
            guard try Bool.fetchOne(db, cachedSQL: "SELECT 1 FROM request_log\(and) id = ?", arguments: args + [id]) == true
            else { return nil }
            func count(_ comparison: String) throws -> Int {
                try Int.fetchOne(db, cachedSQL: "SELECT COUNT(*) FROM request_log\(and) id \(comparison) ?", arguments: args + [id]) ?? 0
            }
            // Rows before it in the browse order are the older ones, or the newer when descending.
            if let total, let ends = try Row.fetchOne(db, cachedSQL: "SELECT MIN(id), MAX(id) FROM request_log"),
               let first = ends[0] as Int64?, let last = ends[1] as Int64?, last - id < id - first {
                let newer = try count(">")
                return browse.descending ? newer : total - 1 - newer
            }
            let older = try count("<")
            guard browse.descending else { return older }
            return if let total { total - 1 - older } else { try count(">") }
        }
    }

    /// The ids of the logged requests `filter` matches (as `Browse.filter`) logged after
    /// `after`, up to `maxID` when given, oldest first; with the id the next call may
    /// continue after, and the oldest id the log still holds. In one snapshot, so no
    /// exchange logged meanwhile is skipped. For a view that keeps its matches and
    /// reads only what is new (the console's filtered Requests tab).
    /// `userIDs` are the users the filter's `user:` term names (`userIDs(named:)`), read once
    /// by the caller rather than on every call: the directory is a file of its own.
    public func requestIDs(matching parsed: RequestFilter, userIDs: [String], after: Int64, maxID: Int64?) throws
        -> (ids: [Int64], scannedThrough: Int64, oldest: Int64?) {
        let (condition, arguments) = parsed.condition(userIDs: userIDs)
        return try read { db in
            guard let ends = try Row.fetchOne(db, cachedSQL: "SELECT MIN(id), MAX(id) FROM request_log"),
                  let oldest = ends[0] as Int64?, let newest = ends[1] as Int64?
            else { return ([], after, nil) }
            let upper = min(newest, maxID ?? newest)
            guard upper > after else { return ([], after, oldest) }
            let ids = try Int64.fetchAll(db, cachedSQL: """
                SELECT id FROM request_log WHERE id > ? AND id <= ? AND \(condition) ORDER BY id
                """, arguments: [after, upper] + arguments)
            return (ids, upper, oldest)
        }
    }
}
