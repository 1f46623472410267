import Foundation
import GRDB
import Directory

extension Directory {
    static func groupWhere(_ browse: Browse) -> (String, StatementArguments) {
        guard !browse.filter.isEmpty else { return ("", []) }
        let p = browse.pattern
        return (" WHERE (display_name_key LIKE ? ESCAPE '\\' OR external_id LIKE ? ESCAPE '\\')", [p, p])
    }

    static func groupOrder(_ order: Browse.GroupOrder, _ descending: Bool) -> String {
        let dir = descending ? "DESC" : "ASC"
        switch order {
        case .created: return "seq \(dir)"
        case .displayName: return "display_name_sort \(dir), seq \(dir)"
        case .externalId: return "(external_id IS NULL) \(dir), external_id \(dir), seq \(dir)"
        case .lastModified: return "last_modified \(dir), seq \(dir)"
        }
    }

    public func countGroups(_ browse: Browse) throws -> Int {
        if browse.filter.isEmpty { return try groupCount() }
        let (clause, args) = Self.groupWhere(browse)
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM groups\(clause)", arguments: args) ?? 0 }
    }

    public func browseGroups(_ browse: Browse, order: Browse.GroupOrder, range: Range<Int>) throws -> [GroupSummary] {
        let (clause, args) = Self.groupWhere(browse)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, display_name, external_id, last_modified,
                       (SELECT COUNT(*) FROM members m WHERE m.group_seq = groups.seq) AS member_count
                FROM groups WHERE seq IN (
                    SELECT seq FROM groups\(clause) ORDER BY \(Self.groupOrder(order, browse.descending)) LIMIT ? OFFSET ?)
                ORDER BY \(Self.groupOrder(order, browse.descending))
                """, arguments: args + [range.count, range.lowerBound]).map { row in
                GroupSummary(id: row["id"], displayName: row["display_name"], memberCount: row["member_count"],
                             externalId: row["external_id"] ?? "", lastModified: Date(timeIntervalSince1970: row["last_modified"]))
            }
        }
    }

    public func groupPosition(id: String, _ browse: Browse, order: Browse.GroupOrder) throws -> Int? {
        try positionQuery(table: "groups", id: id, whereClause: Self.groupWhere(browse),
                          order: Self.groupOrder(order, browse.descending))
    }

    /// The 0-based position of a row in an order: the number of rows before it.
    func positionQuery(table: String, id: String, whereClause: (String, StatementArguments),
                               order: String) throws -> Int? {
        let (clause, args) = whereClause
        return try read { db in
            // Rank with a window function over the (filtered) ordered rows; cheap enough for a
            // selection re-found once per frame, and exact for every order.
            try Int.fetchOne(db, sql: """
                SELECT pos FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY \(order)) - 1 AS pos FROM \(table)\(clause))
                WHERE id = ?
                """, arguments: args + [id])
        }
    }
}
