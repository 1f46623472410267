import GRDB
import GRDBSQLite

/// How a list's rows become items.
///
/// Rows decoded one at a time are read where SQLite holds them, from a
/// cursor: no row is copied. Copying a 100-user page's rows (every value
/// into a `DatabaseValue`, then decoded again) was a fifth of the request.
/// Teams are decoded together instead: their members are read for the whole
/// page in one statement.
struct RowDecoder<T: Sendable>: Sendable {
    /// One row at a time, read in place, with the user's teams when the page's
    /// teams were read together (`Directory.teams(ofUsers:)`); nil when rows
    /// must be decoded together.
    let each: (@Sendable (CursorRow, _ teams: [GroupReference]?) -> T)?
    /// All of a page's rows together (copied rows).
    let all: @Sendable ([Row], Database) throws -> [T]

    static func eachRow(_ decode: @escaping @Sendable (CursorRow, _ teams: [GroupReference]?) -> T) -> RowDecoder {
        RowDecoder(each: decode, all: { rows, _ in rows.map { decode(CursorRow(row: $0, statement: nil), nil) } })
    }

    static func allRows(_ decode: @escaping @Sendable ([Row], Database) throws -> [T]) -> RowDecoder {
        RowDecoder(each: nil, all: decode)
    }

    /// The items of the rows `statement` yields, with each row's `seq` (column 0).
    /// `teams`, when given, are the teams of every user the statement may yield.
    func items(_ statement: Statement, arguments: StatementArguments, teams: [Int64: [GroupReference]]? = nil,
               _ db: Database) throws -> [(seq: Int64, item: T)] {
        if let each {
            var items: [(seq: Int64, item: T)] = []
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            while let row = try cursor.next() {
                let current = CursorRow(row: row, statement: statement.sqliteStatement)
                let seq = current.int64(at: ResourceColumn.seq) ?? 0
                items.append((seq, each(current, teams.map { $0[seq] ?? [] })))
            }
            return items
        }
        let rows = try Row.fetchAll(statement, arguments: arguments)
        return zip(rows.map { $0[ResourceColumn.seq] as Int64 }, try all(rows, db)).map { ($0, $1) }
    }
}

/// A row being decoded, with the statement it is read from while it is that
/// statement's current row: its values can then be read with SQLite's own
/// accessors, where SQLite holds them. GRDB's `withUnsafeData` wraps a
/// value's bytes in a `Data` (an allocation, reference counting and
/// exclusivity checks for each), and its integer subscript goes through a
/// protocol witness, for every value of every row of a page.
package struct CursorRow {
    package let row: Row
    /// Nil for a row copied out of its statement (`Row.fetchAll`).
    package let statement: SQLiteStatement?

    package init(row: Row, statement: SQLiteStatement?) {
        self.row = row
        self.statement = statement
    }

    /// An integer column's value; nil when NULL.
    package func int64(at index: Int) -> Int64? {
        guard let statement else { return row[index] }
        let column = Int32(index)
        return sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    /// Calls `body` with a column's bytes (text or blob) where they are
    /// held; nil when the value is NULL. The bytes are valid only in `body`.
    package func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let statement else {
            // The `Data` is valid only inside `withUnsafeData`'s closure, so `body` runs in it.
            var result: R?
            _ = try? row.withUnsafeData(atIndex: index) { data in
                result = data.map { $0.withUnsafeBytes { body($0.bindMemory(to: UInt8.self)) } } ?? body(nil)
            }
            return result ?? body(nil)
        }
        let column = Int32(index)
        guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return body(nil) }
        // Blob first, then the length: the order SQLite's documentation asks for.
        let start = sqlite3_column_blob(statement, column)?.assumingMemoryBound(to: UInt8.self)
        return body(UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, column))))
    }
}
