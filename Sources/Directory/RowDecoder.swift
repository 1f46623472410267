import GRDB

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
    let each: (@Sendable (Row, _ teams: [GroupReference]?) -> T)?
    /// All of a page's rows together (copied rows).
    let all: @Sendable ([Row], Database) throws -> [T]

    static func eachRow(_ decode: @escaping @Sendable (Row, _ teams: [GroupReference]?) -> T) -> RowDecoder {
        RowDecoder(each: decode, all: { rows, _ in rows.map { decode($0, nil) } })
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
                let seq: Int64 = row[ResourceColumn.seq]
                items.append((seq, each(row, teams.map { $0[seq] ?? [] })))
            }
            return items
        }
        let rows = try Row.fetchAll(statement, arguments: arguments)
        return zip(rows.map { $0[ResourceColumn.seq] as Int64 }, try all(rows, db)).map { ($0, $1) }
    }
}
