import Foundation
import GRDB
import SCIM
import Directory

extension Directory {
    static func userWhere(_ browse: Browse) -> (String, StatementArguments) {
        guard let (condition, args) = userCondition(browse.filter) else { return ("", []) }
        return (" WHERE \(condition)", args)
    }

    /// The users `filter` matches, as a condition on a row of `users`; nil for no filter.
    static func userCondition(_ filter: String) -> (String, StatementArguments)? {
        guard !filter.isEmpty else { return nil }
        let (scan, args) = userScan(filter)
        return ("seq IN (\(scan))", args)
    }

    /// The seqs of the users `filter` matches: one scan of whichever table the match reads.
    static func userScan(_ filter: String) -> (String, StatementArguments) {
        let (match, args) = userMatch(filter)
        return ("SELECT seq FROM \(filter.contains("\n") ? "users u" : "user_search s") WHERE \(match)", args)
    }

    /// Whether `filter` matches one user, as a condition on its `users` row `u` and
    /// its `user_search` row `s`. It reads `s` (kept by triggers): one LIKE over a
    /// narrow row instead of four over every user's whole row. That table parts a
    /// user's fields with line feeds, so a filter holding one is matched field by
    /// field on `u`, as before the table.
    static func userMatch(_ filter: String) -> (String, StatementArguments) {
        let p = Browse(filter: filter).pattern
        guard filter.contains("\n") else { return ("s.text LIKE ? ESCAPE '\\'", [p]) }
        return ("""
            (u.user_name_key LIKE ? ESCAPE '\\' OR u.display_name_key LIKE ? ESCAPE '\\' OR u.external_id LIKE ? ESCAPE '\\'
             OR EXISTS (SELECT 1 FROM user_emails e WHERE e.user_seq = u.seq AND e.value_key LIKE ? ESCAPE '\\'))
            """, [p, p, p, p])
    }

    static func userOrder(_ order: Browse.UserOrder, _ descending: Bool) -> String {
        let dir = descending ? "DESC" : "ASC"
        switch order {
        case .created: return "seq \(dir)"
        case .userName: return "user_name_key \(dir), seq \(dir)"
        case .displayName: return "(display_name_sort IS NULL) \(dir), display_name_sort \(dir), seq \(dir)"
        case .externalId: return "(external_id IS NULL) \(dir), external_id \(dir), seq \(dir)"
        case .lastModified: return "last_modified \(dir), seq \(dir)"
        }
    }

    public func countUsers(_ browse: Browse) throws -> Int {
        if browse.filter.isEmpty { return try userCount() }
        let (clause, args) = Self.userWhere(browse)
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users\(clause)", arguments: args) ?? 0 }
    }

    /// Users `range` of the browse order. The window is found on `seq` alone (an
    /// index walk, no documents read), then only its rows are read, so a window
    /// at the end of 100,000 users reads no row before it.
    public func browseUsers(_ browse: Browse, order: Browse.UserOrder, range: Range<Int>) throws -> [UserSummary] {
        let (clause, args) = Self.userWhere(browse)
        return try read { db in
            // An unfiltered table's size is known at no cost: a window near its bottom is read
            // from the other end (`NearerEnd`). A filtered one is read forwards.
            var page = NearerEnd(limit: range.count, offset: range.lowerBound, reversed: false)
            if browse.filter.isEmpty, let total = try Int.fetchOne(db, cachedSQL: "SELECT n FROM counts WHERE name = 'users'") {
                page = NearerEnd(start: range.lowerBound, count: range.count, total: total)
            }
            let descending = browse.descending != page.reversed
            var rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.userSummaryColumns)
                FROM users WHERE seq IN (
                    SELECT seq FROM users\(clause) ORDER BY \(Self.userOrder(order, descending)) LIMIT ? OFFSET ?)
                ORDER BY \(Self.userOrder(order, descending))
                """, arguments: args + [page.limit, page.offset])
            if page.reversed { rows.reverse() }
            return rows.map(Self.userSummary)
        }
    }

    /// The users of `seqs`, in that order (those since deleted left out): a window of
    /// the console's kept filter matches (`FilteredUserSeqs`).
    public func userSummaries(seqs: [Int64]) throws -> [UserSummary] {
        guard !seqs.isEmpty else { return [] }
        let rows = try read { db in
            try Row.fetchAll(db, cachedSQL: """
                SELECT \(Self.userSummaryColumns) FROM users WHERE seq IN (SELECT value FROM json_each(?))
                """, arguments: [jsonArray(seqs)])
        }
        let bySeq = Dictionary(rows.map { (row: Row) -> (Int64, Row) in (row["seq"], row) }, uniquingKeysWith: { a, _ in a })
        return seqs.compactMap { bySeq[$0].map(Self.userSummary) }
    }

    /// The seqs of every user `filter` (as `Browse.filter`) matches, ascending:
    /// creation order. One scan of `user_search`.
    public func userSeqs(matching filter: String) throws -> [Int64] {
        // Not `users WHERE seq IN (…)`: SQLite walks every user's whole row for that.
        let (scan, args) = Self.userScan(filter)
        return try read { db in try Int64.fetchAll(db, cachedSQL: "\(scan) ORDER BY seq", arguments: args) }
    }

    /// For each of `ids` that still exists: its seq and whether `filter` matches it
    /// now. How the kept matches follow the users that changed. (`IS 1`: a LIKE on
    /// a NULL column is NULL, and so is an OR of it with no match.)
    public func userSeqs(matching filter: String, among ids: [String]) throws -> [(seq: Int64, matches: Bool)] {
        guard !ids.isEmpty else { return [] }
        let (match, args) = filter.isEmpty ? ("1", []) : Self.userMatch(filter)
        return try read { db in
            try Row.fetchAll(db, cachedSQL: """
                SELECT u.seq, (\(match)) IS 1 FROM users u JOIN user_search s ON s.seq = u.seq
                WHERE u.id IN (SELECT value FROM json_each(?))
                """, arguments: args + [jsonArray(ids)])
                .map { (seq: $0[0], matches: $0[1]) }
        }
    }

    /// Calls `body` with each user's filter text (`user_search`: the userName, display
    /// name, externalId and emails as the Users filter matches them, apart by line
    /// feeds), in creation order, or only those of `ids` (in no order). The bytes are
    /// where SQLite holds them, valid only in `body`: the console copies 173,000 users'
    /// texts into its search index (`UserSearchIndex`) in one pass.
    public func forEachUserSearchText(ids: [String]? = nil,
                                      _ body: (Int64, UnsafeBufferPointer<UInt8>) -> Void) throws {
        try pool.read { db in
            let statement = try ids == nil
                ? db.cachedStatement(sql: "SELECT seq, text FROM user_search ORDER BY seq")
                : db.cachedStatement(sql: """
                    SELECT s.seq, s.text FROM users u JOIN user_search s ON s.seq = u.seq
                    WHERE u.id IN (SELECT value FROM json_each(?))
                    """)
            let cursor = try Row.fetchCursor(statement, arguments: ids.map { [jsonArray($0)] } ?? [])
            while let row = try cursor.next() {
                let current = CursorRow(row: row, statement: statement.sqliteStatement)
                current.withBytes(at: 1) { text in body(current.int64(at: 0) ?? 0, text ?? UnsafeBufferPointer(start: nil, count: 0)) }
            }
        }
    }

    /// A user's seq (its place in creation order), or nil when there is no such user.
    public func userSeq(id: String) throws -> Int64? {
        try read { db in try Int64.fetchOne(db, cachedSQL: "SELECT seq FROM users WHERE id = ?", arguments: [id]) }
    }

    static let userSummaryColumns = """
        seq, id, user_name, display_name, active, external_id, document, last_modified,
        (SELECT group_concat(g.display_name, ', ') FROM members m JOIN groups g ON g.seq = m.group_seq
         WHERE m.user_seq = users.seq) AS teams
        """

    static func userSummary(_ row: Row) -> UserSummary {
        let doc = decodeDocument(row["document"])
        let emails = doc["emails"]?.arrayValue ?? []
        let work = emails.first { $0[attribute: "type"]?.stringValue?.lowercased() == "work" } ?? emails.first
        let teams: String? = row["teams"]
        return UserSummary(
            id: row["id"], userName: row["user_name"], displayName: row["display_name"] ?? "",
            workEmail: work?[attribute: "value"]?.stringValue ?? "", active: (row["active"] as Bool?) ?? true,
            externalId: row["external_id"] ?? "", teams: teams.map { $0.components(separatedBy: ", ") } ?? [],
            lastModified: Date(timeIntervalSince1970: row["last_modified"]))
    }

    /// Where a user stands in the browse order, or nil when the filter hides it.
    public func userPosition(id: String, _ browse: Browse, order: Browse.UserOrder) throws -> Int? {
        if order == .created, browse.filter.isEmpty {
            // Creation order is the rowid: count along the primary key, no ranking needed.
            return try read { db in
                guard let seq = try Int64.fetchOne(db, cachedSQL: "SELECT seq FROM users WHERE id = ?", arguments: [id]) else {
                    return nil
                }
                // Count along whichever side of the row is shorter (seqs grow with creation, so
                // the maximum tells which): a user near the end costs as little as one near the start.
                let total = try Int.fetchOne(db, cachedSQL: "SELECT n FROM counts WHERE name = 'users'") ?? 0
                let maxSeq = try Int64.fetchOne(db, cachedSQL: "SELECT max(seq) FROM users") ?? 0
                let before = seq <= maxSeq / 2
                    ? try Int.fetchOne(db, cachedSQL: "SELECT COUNT(*) FROM users WHERE seq < ?", arguments: [seq]) ?? 0
                    : total - 1 - (try Int.fetchOne(db, cachedSQL: "SELECT COUNT(*) FROM users WHERE seq > ?", arguments: [seq]) ?? 0)
                return browse.descending ? total - 1 - before : before
            }
        }
        return try positionQuery(table: "users", id: id, whereClause: Self.userWhere(browse),
                                 order: Self.userOrder(order, browse.descending))
    }

    /// The users a Requests filter's `user:NAME` term names: those whose userName, name or
    /// email contains NAME, at most a thousand; none without the term.
    public func userIDs(namedBy filter: RequestFilter) throws -> [String] {
        guard let name = filter.user else { return [] }
        return try browseUsers(Browse(filter: name), order: .created, range: 0..<1000).map(\.id)
    }

    /// The userNames of those of `ids` that are users, by id.
    public func userNames(ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var names: [String: String] = [:]
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: "SELECT id, user_name FROM users WHERE id IN (\(marks))",
                                           arguments: StatementArguments(ids))
            while let row = try rows.next() { names[row[0]] = row[1] }
            return names
        }
    }
}
