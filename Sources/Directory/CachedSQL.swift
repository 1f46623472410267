import GRDB
import SCIM

// Statements on the request path are prepared once per connection and reused.
// Profiling the filter scenario showed a third of the endpoint's CPU in
// `sqlite3_prepare_v3` and GRDB's statement authorizer, run anew for every
// query of every request. These helpers keep the call sites' shape
// (`fetchOne(db, cachedSQL: …)`) and go through GRDB's per-connection
// statement cache.
//
// Only SQL from a bounded set of texts may go through them: the cache never
// evicts, so SQL built from client input (a filter of arbitrary shape) must
// be prepared with the uncached `sql:` forms instead.

extension Database {
    package func execute(cachedSQL sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row {
    package static func fetchOne(_ db: Database, cachedSQL sql: String,
                         arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    package static func fetchAll(_ db: Database, cachedSQL sql: String,
                         arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    package static func fetchCursor(_ db: Database, cachedSQL sql: String,
                            arguments: StatementArguments = StatementArguments()) throws -> RowCursor {
        try fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    package static func fetchOne(_ db: Database, cachedSQL sql: String,
                         arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    package static func fetchAll(_ db: Database, cachedSQL sql: String,
                         arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

/// A list of row keys as one statement argument, for `IN (SELECT value FROM json_each(?))`:
/// one SQL text whatever the list's length, so the statement can be cached.
package func jsonArray(_ values: [Int64]) -> String {
    "[" + values.map(String.init).joined(separator: ",") + "]"
}

package func jsonArray(_ values: [String]) -> String {
    JSONCoding.serialize(.array(values.map(JSONValue.string)))
}

/// `column` among `keys`, as SQL whose text is one of two whatever the keys:
/// a run of consecutive keys (any page of a table with no gaps) is a range of
/// the index, `BETWEEN`; any other set goes as one JSON array, which SQLite
/// turns into a temporary index of the keys first.
package func keysCondition(_ column: String, in keys: [Int64]) -> (sql: String, arguments: StatementArguments) {
    if let low = keys.min(), let high = keys.max(), high - low + 1 == Int64(keys.count) {
        return ("\(column) BETWEEN ? AND ?", [low, high])
    }
    return ("\(column) IN (SELECT value FROM json_each(?))", [jsonArray(keys)])
}
