import Foundation
import GRDB
import SCIM

/// Translates the filters that have a column into SQL, so the common lookups
/// (`userName eq`, `externalId eq`, `displayName eq`, `emails.value eq`,
/// `members.value eq`) use indexes. A filter with any part that has no column
/// translates to nil, and the Directory evaluates it in Swift instead.
///
/// SQL's three-valued logic is made to agree with SCIM's where it differs:
/// a comparison with a missing attribute is NULL, which a WHERE clause already
/// treats as false, but `NOT NULL` is NULL too, while SCIM says
/// `not (externalId eq "x")` is true for a user without an externalId. So
/// `not` is written `NOT IFNULL(…, 0)`; `eq` itself stays a bare `col = ?`,
/// which is what lets SQLite seek the index.
struct SQLCondition {
    var sql: String
    var arguments: StatementArguments
    /// True for `eq` on a unique column (`userName`, `id`): the condition names
    /// at most one row, so a page needs neither a count nor an order.
    var namesOneRow = false
}

enum FilterColumn {
    /// A text column; `folded` columns hold `lowercased()` values (case-insensitive attributes);
    /// `unique` ones have a UNIQUE index, so `eq` finds at most one row.
    case text(String, folded: Bool, unique: Bool = false)
    case boolean(String)
    case date(String)
    /// A multi-valued attribute answered by a subquery returning the owner's `seq`, for `eq` only.
    case membership(subquery: String, folded: Bool)
}

enum FilterSQL {
    static func userColumn(_ path: AttributePath) -> FilterColumn? {
        guard isCore(path, SchemaURN.user) else { return nil }
        switch (path.attribute.lowercased(), path.subAttribute?.lowercased()) {
        case ("id", nil): return .text("id", folded: false, unique: true)
        case ("username", nil): return .text("user_name_key", folded: true, unique: true)
        case ("externalid", nil): return .text("external_id", folded: false)
        case ("displayname", nil): return .text("display_name_key", folded: true)
        case ("active", nil): return .boolean("active")
        case ("emails", nil), ("emails", "value"):
            return .membership(subquery: "SELECT user_seq FROM user_emails WHERE value_key = ?", folded: true)
        case ("meta", "created"): return .date("created")
        case ("meta", "lastmodified"): return .date("last_modified")
        default: return nil
        }
    }

    static func groupColumn(_ path: AttributePath) -> FilterColumn? {
        guard isCore(path, SchemaURN.group) else { return nil }
        switch (path.attribute.lowercased(), path.subAttribute?.lowercased()) {
        case ("id", nil): return .text("id", folded: false, unique: true)
        case ("displayname", nil): return .text("display_name_key", folded: true, unique: true)
        case ("externalid", nil): return .text("external_id", folded: false)
        case ("members", nil), ("members", "value"):
            return .membership(
                subquery: "SELECT m.group_seq FROM members m JOIN users u ON u.seq = m.user_seq WHERE u.id = ?",
                folded: false)
        case ("meta", "created"): return .date("created")
        case ("meta", "lastmodified"): return .date("last_modified")
        default: return nil
        }
    }

    private static func isCore(_ path: AttributePath, _ urn: String) -> Bool {
        path.schema == nil || path.schema!.equalsIgnoringCase(urn)
    }

    static func translate(_ filter: Filter, columns: (AttributePath) -> FilterColumn?) -> SQLCondition? {
        switch filter {
        case .and(let a, let b), .or(let a, let b):
            guard let x = translate(a, columns: columns), let y = translate(b, columns: columns) else { return nil }
            let op = if case .and = filter { "AND" } else { "OR" }
            return SQLCondition(sql: "(\(x.sql) \(op) \(y.sql))", arguments: x.arguments + y.arguments)
        case .not(let a):
            guard let x = translate(a, columns: columns) else { return nil }
            return SQLCondition(sql: "(NOT IFNULL(\(x.sql), 0))", arguments: x.arguments)
        case .present(let path):
            switch columns(path) {
            case .text(let c, _, _): return SQLCondition(sql: "IFNULL(\(c) <> '', 0)", arguments: [])
            case .boolean(let c): return SQLCondition(sql: "\(c) IS NOT NULL", arguments: [])
            case .date: return SQLCondition(sql: "1", arguments: [])
            case .membership(let subquery, _):
                // "Has any value": strip the equality and test existence.
                let exists = subquery.replacingOccurrences(of: " WHERE value_key = ?", with: "")
                    .replacingOccurrences(of: " WHERE u.id = ?", with: "")
                return SQLCondition(sql: "seq IN (\(exists))", arguments: [])
            case nil: return nil
            }
        case .valuePath(let path, let inner):
            // `emails[value eq "x"]` is `emails.value eq "x"`; anything richer is evaluated in Swift.
            guard case .compare(let sub, .eq, let literal) = inner, sub.schema == nil, sub.subAttribute == nil,
                sub.attribute.lowercased() == "value"
            else { return nil }
            var full = path
            full.subAttribute = "value"
            return translate(.compare(full, .eq, literal), columns: columns)
        case .compare(let path, let op, let literal):
            guard let column = columns(path) else { return nil }
            return compare(column, op, literal)
        }
    }

    private static func compare(_ column: FilterColumn, _ op: ComparisonOperator, _ literal: JSONValue) -> SQLCondition? {
        switch column {
        case .text(let c, let folded, let unique):
            if literal == .null {
                switch op {
                case .eq: return SQLCondition(sql: "\(c) IS NULL", arguments: [])
                case .ne: return SQLCondition(sql: "\(c) IS NOT NULL", arguments: [])
                default: return nil
                }
            }
            guard case .string(let raw) = literal else { return nil }
            let v = folded ? raw.lowercased() : raw
            switch op {
            case .eq: return SQLCondition(sql: "\(c) = ?", arguments: [v], namesOneRow: unique)
            case .ne: return SQLCondition(sql: "NOT IFNULL(\(c) = ?, 0)", arguments: [v])
            case .co: return SQLCondition(sql: "IFNULL(instr(\(c), ?) > 0, 0)", arguments: [v])
            case .sw: return SQLCondition(sql: "IFNULL(substr(\(c), 1, length(?)) = ?, 0)", arguments: [v, v])
            case .ew: return SQLCondition(sql: "IFNULL(substr(\(c), -length(?)) = ?, 0)", arguments: [v, v])
            // Ordering of strings differs between SQLite (bytes) and Swift; evaluate those in Swift.
            case .gt, .ge, .lt, .le: return nil
            }
        case .boolean(let c):
            let b: Bool
            switch literal {
            case .bool(let x): b = x
            case .string(let s) where Bool(s.lowercased()) != nil: b = Bool(s.lowercased())!
            default: return nil
            }
            switch op {
            case .eq: return SQLCondition(sql: "\(c) = ?", arguments: [b])
            case .ne: return SQLCondition(sql: "NOT IFNULL(\(c) = ?, 0)", arguments: [b])
            default: return SQLCondition(sql: "0", arguments: [])
            }
        case .date(let c):
            guard case .string(let s) = literal, let date = SCIMDate.parse(s) else { return nil }
            let t = Timestamp.round(date.timeIntervalSince1970)
            let sqlOp: String
            switch op {
            case .eq: sqlOp = "="
            case .ne: sqlOp = "<>"
            case .gt: sqlOp = ">"
            case .ge: sqlOp = ">="
            case .lt: sqlOp = "<"
            case .le: sqlOp = "<="
            case .co, .sw, .ew: return nil
            }
            return SQLCondition(sql: "\(c) \(sqlOp) ?", arguments: [t])
        case .membership(let subquery, let folded):
            guard case .string(let raw) = literal else { return nil }
            let v = folded ? raw.lowercased() : raw
            switch op {
            case .eq: return SQLCondition(sql: "seq IN (\(subquery))", arguments: [v])
            case .ne: return SQLCondition(sql: "seq NOT IN (\(subquery))", arguments: [v])
            default: return nil
            }
        }
    }

    /// The column a `sortBy` names, when it has one.
    static func sortColumn(_ path: AttributePath, columns: (AttributePath) -> FilterColumn?) -> String? {
        switch columns(path) {
        case .text(let c, _, _), .boolean(let c), .date(let c): return c
        default: return nil
        }
    }
}

/// Times are stored as seconds since 1970 rounded to the millisecond, the
/// precision SCIM dates are written with, so a date read back from a response
/// compares equal to the stored one.
enum Timestamp {
    static func round(_ t: Double) -> Double { (t * 1000).rounded() / 1000 }
    static func now() -> Double { round(Date().timeIntervalSince1970) }
}
