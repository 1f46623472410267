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
    /// two `pwrite`s into the WAL and one more at the checkpoint, each
    /// costing about the same however few bytes it carries. A logged list
    /// page (a 54 KB body) fills one such page instead of a chain of
    /// overflow pages, and a batch of small entries a few.
    static let pageSize = 65536

    /// Debian's SQLite is built with `SECURE_DELETE`: a freed page is
    /// zeroed and written. The log frees a page for every large entry it
    /// drops off its end, so each logged list page would cost a second
    /// 64 KiB WAL frame and a `memset`. `FAST` still overwrites deleted
    /// content inside the pages it rewrites anyway, but leaves whole freed
    /// pages, which the next entries reuse, as they are. The log holds
    /// redacted exchanges only.
    static let secureDelete = "FAST"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: createTable) }
        // v2 (an index on the v1 table for the console's request rate) was superseded by v3
        // before any release; it stays so that a log already migrated to it goes on to v3.
        migrator.registerMigration("v2") { db in try db.execute(sql: "CREATE INDEX request_log_time ON request_log(time, status)") }
        migrator.registerMigration("v3") { db in try splitBodies(db) }
        migrator.registerMigration("v4") { db in try db.execute(sql: bodyLocations) }
        migrator.registerMigration("v5") { db in try db.execute(sql: "ALTER TABLE request_body ADD COLUMN response_headers TEXT") }
        // How long a relayed Grafana took to answer, in seconds (NULL for the embedded endpoint's own answers).
        migrator.registerMigration("v6") { db in try db.execute(sql: "ALTER TABLE request_body ADD COLUMN upstream_duration REAL") }
        return migrator
    }

    /// The table as it was in v1, and before that in the directory's own file:
    /// every exchange whole, in one row.
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

    /// v3: an exchange's line in `request_log`, its headers and bodies in
    /// `request_body` under the same id, and the line's `search` text.
    ///
    /// In one row, every list of requests would read the pages the bodies
    /// fill (a logged list page fills a 64 KiB page of its own): stepping to
    /// the newest of 10,000 exchanges (`LIMIT … OFFSET`) or filtering the
    /// Requests tab would read them all. The lines alone fill a few dozen
    /// pages, which the console's request rate also reads at its start
    /// (`RequestLog.statuses`).
    static let splitTables = """
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
            resource_id TEXT,
            search TEXT NOT NULL
        );
        CREATE TABLE request_body (
            id INTEGER PRIMARY KEY,
            request_headers TEXT NOT NULL,
            request_body TEXT NOT NULL,
            response_body TEXT NOT NULL,
            resource_before TEXT
        );
        """

    static let splitIndexes = "CREATE INDEX request_log_resource ON request_log(resource_id)"

    /// v4: where a large response body was written instead (`BodySegments`);
    /// both NULL for a body kept in `response_body`. The index lists the
    /// segments still in use, for `BodySegments.removeUnused`.
    static let bodyLocations = """
        ALTER TABLE request_body ADD COLUMN response_segment INTEGER;
        ALTER TABLE request_body ADD COLUMN response_offset INTEGER;
        CREATE INDEX request_body_segment ON request_body(response_segment) WHERE response_segment IS NOT NULL;
        """

    /// Moves a v1 log, one row per exchange, into the v3 tables, ids kept.
    static func splitBodies(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX IF EXISTS request_log_time;
            DROP INDEX IF EXISTS request_log_resource;
            ALTER TABLE request_log RENAME TO request_log_v1;
            \(splitTables)
            """)
        try copyWholeRows(from: db, table: "request_log_v1", into: db)
        try db.execute(sql: "DROP TABLE request_log_v1; \(splitIndexes)")
    }

    /// Copies exchanges stored whole, one row each (as in v1), into the v3
    /// tables of `target`, ids kept; an id already there is skipped, so a copy
    /// interrupted and run again adds nothing twice. In slices: bodies are up
    /// to 64 KiB each.
    static func copyWholeRows(from source: Database, table: String, into target: Database) throws {
        var last: Int64 = 0
        while true {
            let rows = try Row.fetchAll(source, sql: "SELECT * FROM \(table) WHERE id > ? ORDER BY id LIMIT 500", arguments: [last])
            guard let end = rows.last?["id"] as Int64? else { return }
            // Copied bodies stay in the database: a migration writes no files beside it.
            var writer = try ExchangeWriter(target, bodies: nil)
            for row in rows {
                let entry = RequestLog.loggedRequest(from: row, bodies: nil)
                try writer.insert(entry, id: entry.id)
            }
            last = end
        }
    }

    /// Before the request log had its own file it was a table in the directory's:
    /// copies its rows across, each into `request_log` and `request_body` (ids
    /// kept, so a copy interrupted and run again adds nothing twice), before the
    /// directory's migration v3 drops the table.
    static func moveRows(from pool: DatabasePool, to logPool: DatabasePool) throws {
        guard try pool.read({ try $0.tableExists("request_log") }) else { return }
        try pool.read { old in
            try logPool.write { db in try copyWholeRows(from: old, table: "request_log", into: db) }
        }
    }
}
