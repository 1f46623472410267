import GRDB
import SCIM

extension Directory {
    /// One page of a table. Filters and sorts with columns run in SQL and
    /// cost one page; anything else is evaluated in Swift over the table,
    /// correct but proportional to its size.
    ///
    /// `pageColumns`, when given, are read instead of `columns` for a page
    /// found by key (users only): the same columns with no teams, which are
    /// read for the whole page in one statement (`teams(ofUsers:)`).
    static func list<T>(
        _ query: ListQuery, db: Database, table: String, countName: String, columns: String, pageColumns: String? = nil,
        type: ResourceType, mapColumn: (AttributePath) -> FilterColumn?,
        decode: RowDecoder<T>, represent: (T) -> JSONValue
    ) throws -> Page<T> {
        if let one = oneRowCondition(query, mapColumn: mapColumn) {
            return try lookup(query, one, db: db, table: table, columns: columns, decode: decode)
        }
        let condition = query.filter.flatMap { FilterSQL.translate($0, columns: mapColumn) }
        var sortColumn: String? = nil
        if let sortBy = query.sortBy { sortColumn = FilterSQL.sortColumn(sortBy, columns: mapColumn) }
        let sqlCanFilter = query.filter == nil || condition != nil
        let sqlCanSort = query.sortBy == nil || sortColumn != nil

        /// The page: these rows, in this order.
        func rows(_ seqs: [Int64], total: Int) throws -> Page<T> {
            let teams = pageColumns == nil ? nil : try teams(ofUsers: seqs, db)
            let columns = pageColumns ?? columns
            let keys = keysCondition("seq", in: seqs)
            let found = try decode.items(db.cachedStatement(sql: "SELECT \(columns) FROM \(table) WHERE \(keys.sql)"),
                                         arguments: keys.arguments, teams: teams, db)
            // SQLite yields the rows in key order: an ascending page with none missing is in order already.
            if found.count == seqs.count, zip(found, seqs).allSatisfy({ $0.seq == $1 }) {
                return Page(items: found.map(\.item), totalResults: total, startIndex: query.startIndex)
            }
            let bySeq = Dictionary(uniqueKeysWithValues: found.map { ($0.seq, $0.item) })
            return Page(items: seqs.compactMap { bySeq[$0] }, totalResults: total, startIndex: query.startIndex)
        }

        if sqlCanFilter && sqlCanSort {
            let whereClause = condition.map { " WHERE \($0.sql)" } ?? ""
            let arguments = condition?.arguments ?? []
            // Okta's filters are one comparison (`userName eq "…"`), a bounded set of SQL
            // texts that may be cached; a compound filter's SQL is prepared for its request.
            let cacheable: Bool
            switch query.filter {
            case nil, .compare?, .present?: cacheable = true
            default: cacheable = false
            }
            func prepare(_ sql: String) throws -> Statement {
                cacheable ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
            }
            func orderBy(descending: Bool) -> String {
                let dir = descending ? "DESC" : "ASC"
                guard let sortColumn else { return "seq \(dir)" }
                // Unassigned values last when ascending, first when descending.
                return "(\(sortColumn) IS NULL) \(dir), \(sortColumn) \(dir), seq \(dir)"
            }
            let order = orderBy(descending: query.descending)
            // Skip to the page on `seq` alone (the rowid, no document read), then read just that page's rows.
            let total: Int
            let seqs: [Int64]
            if condition == nil {
                let extent = try extent(table, countName: countName, db: db)
                total = extent.total
                if sortColumn == nil, let dense = extent.dense {
                    // No gaps in `seq` (nothing deleted, as with Okta, which deactivates): the
                    // page's keys are known without stepping over the rows before it.
                    return try rows(dense.page(start: query.startIndex - 1, count: query.count, descending: query.descending),
                                    total: total)
                }
                let page = NearerEnd(start: query.startIndex - 1, count: query.count, total: total)
                let found = try Int64.fetchAll(prepare("""
                    SELECT seq FROM \(table) ORDER BY \(orderBy(descending: query.descending != page.reversed)) LIMIT ? OFFSET ?
                    """), arguments: [page.limit, page.offset])
                seqs = page.reversed ? found.reversed() : found
            } else {
                // The page and the number of matches in one statement: a filter is what Okta
                // sends most, and each statement has a fixed cost.
                let page = try Row.fetchAll(prepare("""
                    SELECT seq, COUNT(*) OVER () FROM \(table)\(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?
                    """), arguments: arguments + [query.count, query.startIndex - 1])
                seqs = page.map { $0[0] }
                if let first = page.first {
                    total = first[1]
                } else if query.startIndex == 1 && query.count > 0 {
                    total = 0
                } else {
                    // An empty page past the end, or count=0: the count alone.
                    total = try Int.fetchOne(prepare("SELECT COUNT(*) FROM \(table)\(whereClause)"), arguments: arguments) ?? 0
                }
            }
            return try rows(seqs, total: total)
        }

        // Evaluated in Swift: stream the table in seq order, keep what matches.
        var matches: [(item: T, resource: JSONValue)] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM \(table) ORDER BY seq")
        var batch: [Row] = []
        func flush() throws {
            for item in try decode.all(batch, db) {
                let resource = represent(item)
                if query.filter?.matches(resource, type: type) ?? true { matches.append((item, resource)) }
            }
            batch.removeAll(keepingCapacity: true)
        }
        while let row = try cursor.next() {
            batch.append(row.copy())
            if batch.count == 500 { try flush() }
        }
        try flush()
        if let sortBy = query.sortBy {
            let keyed = matches.map { (entry: $0, key: type.sortValue(of: sortBy, in: $0.resource)) }
            let sorted = keyed.enumerated().sorted { l, r in
                if type.sortsBefore(l.element.key, r.element.key, path: sortBy) { return !query.descending }
                if type.sortsBefore(r.element.key, l.element.key, path: sortBy) { return query.descending }
                return l.offset < r.offset
            }
            matches = sorted.map { $0.element.entry }
        }
        let start = min(query.startIndex - 1, matches.count)
        let end = min(start + query.count, matches.count)
        return Page(items: matches[start..<end].map(\.item), totalResults: matches.count, startIndex: query.startIndex)
    }

    /// The SQL of a filter that names at most one row (`userName eq "…"`,
    /// `id eq "…"`), when the query's filter is one.
    static func oneRowCondition(_ query: ListQuery, mapColumn: (AttributePath) -> FilterColumn?) -> SQLCondition? {
        // Looked at before translating, so other filters are translated once, by `list`.
        guard let filter = query.filter, case .compare(let path, .eq, _) = filter,
              case .text(_, _, unique: true)? = mapColumn(path),
              let condition = FilterSQL.translate(filter, columns: mapColumn), condition.namesOneRow
        else { return nil }
        return condition
    }

    /// The page of a filter naming at most one row, in one statement: no count, no
    /// order, no second read by `seq`. This is the lookup Okta makes before every
    /// create and on every import, so it gets its own path; its SQL text is one
    /// per column, so the statement is cached.
    static func lookup<T>(
        _ query: ListQuery, _ condition: SQLCondition, db: Database, table: String, columns: String,
        decode: RowDecoder<T>
    ) throws -> Page<T> {
        let found = try decode.items(db.cachedStatement(sql: "SELECT \(columns) FROM \(table) WHERE \(condition.sql)"),
                                     arguments: condition.arguments, db)
        let onPage = query.startIndex == 1 && query.count > 0 ? found.prefix(1).map(\.item) : []
        return Page(items: onPage, totalResults: found.isEmpty ? 0 : 1, startIndex: query.startIndex)
    }

    /// The table's number of rows and, when it has no gaps, its `seq` range
    /// (`total` rows from `first` to `first + total - 1`); nil when rows were
    /// deleted from its middle. One statement: on a list page with no filter,
    /// Okta's import, each statement has a fixed cost.
    static func extent(_ table: String, countName: String, db: Database) throws -> (total: Int, dense: DenseSeqs?) {
        // Subqueries, not `min(seq), max(seq)`: SQLite answers each alone from the
        // end of the rowid tree, but the pair with a scan of the table.
        guard let row = try Row.fetchOne(db, cachedSQL: """
            SELECT (SELECT n FROM counts WHERE name = ?), (SELECT min(seq) FROM \(table)), (SELECT max(seq) FROM \(table))
            """, arguments: [countName])
        else { return (0, nil) }
        let total: Int = row[0] ?? 0
        guard total > 0, let first = row[1] as Int64?, let last = row[2] as Int64?, last - first + 1 == Int64(total)
        else { return (total, nil) }
        return (total, DenseSeqs(first: first, last: last))
    }
}

/// `seq` values `first...last` with none missing: the row at position k is `first + k`.
struct DenseSeqs {
    var first: Int64
    var last: Int64

    /// The keys of rows `start ..< start + count` in ascending or descending order.
    func page(start: Int, count: Int, descending: Bool) -> [Int64] {
        let total = last - first + 1
        // Clamped before any addition: a client may send a startIndex near Int.max.
        let from = min(Int64(clamping: start), total)
        let to = min(total, from + min(Int64(clamping: count), total))
        return (from..<to).map { descending ? last - $0 : first + $0 }
    }
}
