import Foundation
import GRDB

/// `scim-console recover`: what SQLite can still read of a damaged database,
/// copied into a new one that takes its place.
///
/// The linked SQLite has no recovery extension (`sqlite3_recover_*`), so the
/// copy is made row by row (`RowSalvage`): every row whose page can still be
/// reached by its key is kept, and rows that lost their user or team, or no
/// longer satisfy the schema, are left out. The new database is built beside
/// the old, checked, and only then renamed into place; the damaged files are
/// moved aside, named with the time. The request log is copied the same way
/// when it is damaged too, and left as it is when it is not.
extension Directory {
    /// What a recovery brought back.
    public struct Recovery: Sendable, Equatable {
        /// Rows copied into the new database, and how many the damaged one
        /// still counted (its own counters or an index), when it could say.
        public struct Rows: Sendable, Equatable {
            public var recovered: Int
            public var counted: Int?
        }

        public var users: Rows
        public var teams: Rows
        public var memberships: Rows
        public var tokens: Rows
        /// Where the damaged database was moved; nil when it was whole and left alone.
        public var aside: String?
        /// The request log's exchanges, and where its damaged file went, when it was damaged.
        public var requestLog: LogRecovery?

        public struct LogRecovery: Sendable, Equatable {
            public var rows: Rows
            public var aside: String
        }
    }

    /// Why nothing was recovered, in words for a person.
    public struct RecoveryProblem: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The Directory's tables in the order they are copied (a row's parents
    /// first), and each one's key. `counts` and `user_search` are not copied:
    /// the new database's triggers write them as the rows go in.
    static let recoveredTables: [RowSalvage] = [
        RowSalvage(table: "users", key: ["seq"]),
        RowSalvage(table: "user_emails", key: ["user_seq"], order: ["user_seq", "value_key"]),
        RowSalvage(table: "groups", key: ["seq"]),
        RowSalvage(table: "members", key: ["group_seq", "user_seq"]),
        RowSalvage(table: "service_accounts", key: ["id"]),
        RowSalvage(table: "tokens", key: ["id"]),
        RowSalvage(table: "settings", key: [], order: ["key"]),
    ]

    static let requestLogTables: [RowSalvage] = [
        RowSalvage(table: "request_log", key: ["id"]),
        RowSalvage(table: "request_body", key: ["id"]),
    ]

    /// Whether the database at `path`, or its request log, fails SQLite's quick check.
    public static func needsRecovery(databaseAt path: String) -> Bool {
        isDamaged(path) || isDamaged(path + requestLogSuffix)
    }

    /// Recovers the database at `path` and its request log, whichever fails
    /// SQLite's quick check (each file is checked once); nothing may have
    /// them open. Nil, with nothing changed, when both pass. Both new files
    /// are built before either is put in place. Throws `RecoveryProblem`,
    /// changing nothing, when not even the database's list of tables can be
    /// read (a request log that unreadable is replaced by an empty one).
    public static func recover(databaseAt path: String, now: Date = Date()) throws -> Recovery? {
        let stamp = Self.stamp(now)
        let logPath = path + requestLogSuffix
        let (databaseDamaged, logDamaged) = (isDamaged(path), isDamaged(logPath))
        guard databaseDamaged || logDamaged else { return nil }
        let fm = FileManager.default
        var counted: [String: Int?] = [:], recovered: [String: Int] = [:]
        var logRows: Recovery.Rows?
        do {
            if databaseDamaged {
                (counted, recovered) = try rebuild(path, schema: DirectorySchema.migrator, tables: recoveredTables,
                                                   prepare: { _ in }, finish: DirectorySchema.fillDisplayNameSortKeys)
            } else {
                try readCounts(path, into: &counted, &recovered)
            }
            if logDamaged {
                do {
                    let (c, r) = try rebuild(logPath, schema: RequestLogSchema.migrator, tables: requestLogTables,
                                             prepare: { try $0.execute(sql: "PRAGMA page_size = \(RequestLogSchema.pageSize)") },
                                             finish: { _ in })
                    logRows = Recovery.Rows(recovered: r["request_log"] ?? 0, counted: c["request_log"] ?? nil)
                } catch is RecoveryProblem {
                    logRows = Recovery.Rows(recovered: 0, counted: nil)
                }
            }
        } catch {
            for partial in [path, logPath].map({ $0 + partialSuffix }) { try? fm.removeItem(atPath: partial) }
            throw error
        }
        let aside = fm.fileExists(atPath: path + partialSuffix) ? "\(path).damaged-\(stamp)" : nil
        if let aside { try replace(path, with: path + partialSuffix, aside: aside) }
        var log: Recovery.LogRecovery?
        if let logRows {
            let logAside = "\(logPath).damaged-\(stamp)"
            // With no new file, the Directory opened below starts an empty log.
            try replace(logPath, with: fm.fileExists(atPath: logPath + partialSuffix) ? logPath + partialSuffix : nil,
                        aside: logAside)
            log = Recovery.LogRecovery(rows: logRows, aside: logAside)
        }
        // The copy's tokens are not the ones any process checked last.
        let opened = try Directory(path: path)
        opened.credentialsEpoch.bump()
        try opened.close()
        func rows(_ table: String) -> Recovery.Rows {
            Recovery.Rows(recovered: recovered[table] ?? 0, counted: counted[table] ?? nil)
        }
        return Recovery(users: rows("users"), teams: rows("groups"), memberships: rows("members"), tokens: rows("tokens"),
                        aside: aside, requestLog: log)
    }

    /// The counts of a database that is whole, which recovery leaves alone.
    private static func readCounts(_ path: String, into counted: inout [String: Int?], _ recovered: inout [String: Int]) throws {
        let queue = try DataDirectoryCheck.readOnly(path)
        defer { try? queue.close() }
        try queue.inDatabase { db in
            for table in ["users", "groups", "members", "tokens"] {
                let n = count(table, in: db)
                (counted[table], recovered[table]) = (n, n ?? 0)
            }
        }
    }

    static var partialSuffix: String { ".recovering-\(getpid())" }

    /// Builds `path` + `partialSuffix` from what can be read of `path`:
    /// the current schema, then each table's readable rows. Returns, per
    /// table, the rows the damaged file counted and the rows copied.
    private static func rebuild(_ path: String, schema: DatabaseMigrator, tables: [RowSalvage],
                                prepare: (Database) throws -> Void,
                                finish: (Database) throws -> Void) throws -> (counted: [String: Int?], recovered: [String: Int]) {
        let partial = path + partialSuffix
        let fm = FileManager.default
        try? fm.removeItem(atPath: partial)
        let damaged: DatabaseQueue
        let present: [String: [String]]
        do {
            damaged = try DataDirectoryCheck.readOnly(path)
            // Without a transaction: a read transaction that met damage may fail to end.
            present = try damaged.inDatabase { db in
                var columns: [String: [String]] = [:]
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table'") {
                    columns[table] = try db.columns(in: table).map(\.name)
                }
                return columns
            }
        } catch where RowSalvage.isUnreadable(error) {
            throw RecoveryProblem("not even its list of tables can be read")
        }
        defer { try? damaged.close() }
        var counted: [String: Int?] = [:]
        var recovered: [String: Int] = [:]
        do {
            let target = try DatabaseQueue(path: partial)
            defer { try? target.close() }
            try target.writeWithoutTransaction { try prepare($0) }
            try schema.migrate(target)
            try target.write { into in
                try damaged.inDatabase { from in
                    for salvage in tables {
                        guard let have = present[salvage.table] else { continue }
                        let wanted = try into.columns(in: salvage.table).map(\.name)
                        let columns = wanted.filter(have.contains)
                        counted[salvage.table] = count(salvage.table, in: from)
                        let sql = """
                            INSERT INTO \(salvage.table) (\(columns.joined(separator: ", ")))
                            VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                            """
                        var insert = try into.makeStatement(sql: sql)
                        var copied = 0
                        _ = try salvage.rows(of: columns, in: from) { row in
                            do {
                                try insert.execute(arguments: StatementArguments(columns.map { row[$0] as DatabaseValue }))
                                copied += 1
                            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                                // A member of a team or user that was lost, or a row the damage changed.
                                // Prepared anew: a statement that failed fails again at its next use.
                                insert = try into.makeStatement(sql: sql)
                            }
                        }
                        recovered[salvage.table] = copied
                    }
                    try finish(into)
                }
            }
            let problems = try target.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            guard problems == ["ok"] else { throw RecoveryProblem("the new database did not pass SQLite's integrity check") }
            try target.close()
            chmod(partial, 0o600)
        } catch {
            try? fm.removeItem(atPath: partial)
            throw error
        }
        return (counted, recovered)
    }

    /// The rows the damaged file still counts: the Directory's own counters
    /// for users and teams, else `COUNT(*)` (which reads an index when the
    /// table has one, so it may stand when the table's own pages do not).
    private static func count(_ table: String, in db: Database) -> Int? {
        if table == "users" || table == "groups",
           let kept = try? Int.fetchOne(db, sql: "SELECT n FROM counts WHERE name = ?", arguments: [table]) {
            return kept
        }
        return try? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
    }

    /// Moves `path` (with its `-wal` and `-shm`) to `aside`, then `replacement` into its place.
    private static func replace(_ path: String, with replacement: String?, aside: String) throws {
        let fm = FileManager.default
        try fm.moveItem(atPath: path, toPath: aside)
        for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
            try fm.moveItem(atPath: path + suffix, toPath: aside + suffix)
        }
        if let replacement { try fm.moveItem(atPath: replacement, toPath: path) }
    }

    /// Whether SQLite's quick check finds a problem, or cannot read the file at all.
    static func isDamaged(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        do {
            let queue = try DataDirectoryCheck.readOnly(path)
            defer { try? queue.close() }
            return try queue.read { try String.fetchAll($0, sql: "PRAGMA quick_check") } != ["ok"]
        } catch {
            return RowSalvage.isUnreadable(error)
        }
    }
}
