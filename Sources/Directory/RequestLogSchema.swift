import GRDB

/// The request log's own database, beside the directory's
/// (`scim-console.sqlite-requests`).
///
/// Every exchange is logged, so this file is written all the time. In the
/// directory's file those commits emptied every reader's page cache (SQLite
/// drops it whenever the database changed) and took the one write lock that
/// SCIM writes wait for; a filtered GET re-read its pages with `pread` on
/// every request. In a file of its own, a read-only burst leaves the
/// directory unchanged and its readers warm.
enum RequestLogSchema {
    /// 64 KiB pages, against SQLite's 4 KiB. Every page a commit writes is
    /// two `pwrite`s into the WAL and one more at the checkpoint, and here
    /// each costs 2-8 µs however few bytes it carries. A logged list page
    /// (a 54 KB body) took 14 overflow pages and about 44 `pwrite`s; in one
    /// 64 KiB page it takes one, and a batch of small entries a few.
    static let pageSize = 65536

    /// Debian's SQLite is built with `SECURE_DELETE`: a freed page is
    /// zeroed and written. The log frees a page for every large entry it
    /// drops off its end, so each logged list page cost a second 64 KiB WAL
    /// frame (2.1 frames per 54 KB entry in batches of 40, 2.5 in batches of
    /// 10) and a `memset`. `FAST` still overwrites deleted content inside
    /// the pages it rewrites anyway, but leaves whole freed pages, which the
    /// next entries reuse, as they are: 1.15 and 1.6 frames. The log holds
    /// redacted exchanges only.
    static let secureDelete = "FAST"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: createTable) }
        migrator.registerMigration("v2") { db in try db.execute(sql: createTimeIndex) }
        return migrator
    }

    /// The table, as it also was in the directory's own file before.
    static let createTable = """
        CREATE TABLE request_log (
            id INTEGER PRIMARY KEY,
            time REAL NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            query TEXT NOT NULL,
            status INTEGER NOT NULL,
            duration REAL NOT NULL,
            client TEXT NOT NULL,
            user_agent TEXT NOT NULL,
            request_headers TEXT NOT NULL,
            request_body TEXT NOT NULL,
            response_body TEXT NOT NULL,
            resource_id TEXT,
            resource_before TEXT
        );
        CREATE INDEX request_log_resource ON request_log(resource_id);
        """

    /// The time and status of every entry, for the console's request rate
    /// (`Directory.requestStatuses(since:)`). Without it, reading the last
    /// three minutes' statuses read the entries themselves: a 54 KB list page
    /// fills a page of its own, so 5,000 of them were 300 MB of pages, and
    /// the console took 0.4 s to open after a burst.
    static let createTimeIndex = "CREATE INDEX request_log_time ON request_log(time, status)"

    /// Before the request log had its own file it was a table in the directory's:
    /// copies its rows across (ids kept, so a copy interrupted and run again adds
    /// nothing twice) before the directory's migration v3 drops the table.
    static func moveRows(from pool: DatabasePool, to logPool: DatabasePool) throws {
        guard try pool.read({ try $0.tableExists("request_log") }) else { return }
        var last: Int64 = 0
        while true {
            // In slices: bodies are up to 64 KiB each.
            let rows = try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM request_log WHERE id > ? ORDER BY id LIMIT 500", arguments: [last])
            }
            guard let first = rows.first, let end = rows.last?["id"] as Int64? else { return }
            try logPool.write { db in
                let insert = try db.makeStatement(sql: """
                    INSERT OR IGNORE INTO request_log (\(first.columnNames.joined(separator: ", ")))
                    VALUES (\(databaseQuestionMarks(count: first.count)))
                    """)
                for row in rows { try insert.execute(arguments: StatementArguments(row.databaseValues)) }
            }
            last = end
        }
    }
}
