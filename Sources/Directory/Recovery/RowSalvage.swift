import GRDB

/// Reads what can still be read of one table of a damaged database, in key
/// order, stepping over the pages SQLite can no longer read.
///
/// The table's b-tree is walked from its lowest key. When a step fails on a
/// damaged page, the walk starts again at the next position that can be
/// reached: key by key at first (the tables here number their rows, so the
/// rows of a damaged page or two lie within a few hundred keys), then in
/// growing steps, so a damaged stretch of any length is crossed in a bounded
/// number of seeks. For a two-integer key, the rest of the failed row's first
/// value is searched before the next one. A row SQLite can still reach by its
/// key is read; a row only on a damaged page, or below a damaged interior
/// page, is not.
struct RowSalvage {
    let table: String
    /// Its leading integer key columns: `rowid`, or the integer columns a
    /// `WITHOUT ROWID` primary key starts with. Empty: a small table read
    /// in one pass, up to its first unreadable page.
    let key: [String]
    /// The whole primary key, in the b-tree's order (`key` if not given).
    let order: [String]

    init(table: String, key: [String], order: [String]? = nil) {
        self.table = table
        self.key = key
        self.order = order ?? key
    }

    /// Seeks tried one key apart after a failure before the steps grow.
    static let keyByKey: Int64 = 4096

    struct Outcome: Equatable {
        /// Rows read and handed on.
        var read = 0
        /// Places the walk had to step over.
        var gaps = 0
    }

    /// Calls `each` with every row that can be read, in key order, with `columns`.
    func rows(of columns: [String], in db: Database, _ each: (Row) throws -> Void) throws -> Outcome {
        var outcome = Outcome()
        var from = [Int64](repeating: .min, count: key.count)
        let keys = key.enumerated().map { "\($1) AS salvage_key\($0)" }
        let sql = "SELECT \((keys + columns).joined(separator: ", ")) FROM \(table) NOT INDEXED \(atOrAbove) \(orderBy)"
        while true {
            var last: [Int64]?
            do {
                // Prepared anew after each failure: a statement that failed fails again at its next use.
                let select = try db.makeStatement(sql: sql)
                let cursor = try Row.fetchCursor(select, arguments: StatementArguments(from))
                while let row = try cursor.next() {
                    last = key.indices.map { row["salvage_key\($0)"] }
                    do { try each(row) } catch { throw Handed(error: error) }
                    outcome.read += 1
                }
                return outcome
            } catch let handed as Handed {
                throw handed.error
            } catch where Self.isUnreadable(error) {
                outcome.gaps += 1
                // Past the last row read; past where the walk started if none was.
                guard !key.isEmpty, let next = try nextReachable(after: last ?? from, in: db) else { return outcome }
                from = next
            }
        }
    }

    /// An error of `each`'s, kept apart from the damaged file's own.
    private struct Handed: Error {
        let error: any Error
    }

    private var atOrAbove: String {
        switch key.count {
        case 0: ""
        case 1: "WHERE \(key[0]) >= ?"
        default: "WHERE (\(key.joined(separator: ", "))) >= (\(key.map { _ in "?" }.joined(separator: ", ")))"
        }
    }

    private var orderBy: String { order.isEmpty ? "" : "ORDER BY \(order.joined(separator: ", "))" }

    /// The lowest position above `failed` from which the table can be walked
    /// again, if any: the last key column moved on first, then the one before.
    private func nextReachable(after failed: [Int64], in db: Database) throws -> [Int64]? {
        for level in key.indices.reversed() where failed[level] < .max {
            let prefix = Array(failed[..<level])
            let rest = [Int64](repeating: .min, count: key.count - level - 1)
            if let value = try lowestReachable(above: failed[level], in: db, position: { prefix + [$0] + rest }) {
                return prefix + [value] + rest
            }
        }
        return nil
    }

    /// The lowest value above `failed` whose position can be reached: one by
    /// one, then in doubling steps, then halving back between the last seek
    /// that failed and the first that reached.
    private func lowestReachable(above failed: Int64, in db: Database, position: (Int64) -> [Int64]) throws -> Int64? {
        var low = failed
        var step: Int64 = 1
        var tried: Int64 = 0
        while true {
            let (sum, overflow) = low.addingReportingOverflow(step)
            let probe = overflow ? Int64.max : sum
            if try reachable(position(probe), in: db) {
                var (bad, good) = (low, probe)
                while good - bad > 1 {
                    let middle = bad + (good - bad) / 2
                    if try reachable(position(middle), in: db) { good = middle } else { bad = middle }
                }
                return good
            }
            if probe == .max { return nil }
            low = probe
            tried += 1
            if tried >= Self.keyByKey, step <= Int64.max / 2 { step *= 2 }
        }
    }

    /// Whether a seek to the first row at or above `position` can be made.
    private func reachable(_ position: [Int64], in db: Database) throws -> Bool {
        do {
            // Not cached: a statement that failed fails again at its next use.
            let seek = try db.makeStatement(sql: "SELECT 1 FROM \(table) NOT INDEXED \(atOrAbove) \(orderBy) LIMIT 1")
            _ = try Row.fetchOne(seek, arguments: StatementArguments(position))
            return true
        } catch where Self.isUnreadable(error) {
            return false
        }
    }

    /// Damage, as SQLite reports it when reading a page.
    static func isUnreadable(_ error: any Error) -> Bool {
        guard let db = error as? DatabaseError else { return false }
        return db.resultCode == .SQLITE_CORRUPT || db.resultCode == .SQLITE_NOTADB || db.resultCode == .SQLITE_IOERR
    }
}
