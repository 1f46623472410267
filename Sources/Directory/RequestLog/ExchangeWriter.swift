import GRDB
import GRDBSQLite

/// Writes exchanges into the request log's tables (`RequestLogSchema.splitTables`):
/// an exchange's line in `request_log`, its headers and bodies in `request_body`,
/// and a response body of `BodySegments.threshold` or more in `bodies` when given.
/// Its statements are looked up once for a whole batch.
struct ExchangeWriter {
    private let db: Database
    private let line: Statement
    private let body: Statement
    private let bodies: BodySegments?
    /// Whether a write started a new body segment (time to remove unused ones).
    private(set) var startedSegment = false

    init(_ db: Database, bodies: BodySegments?) throws {
        self.db = db
        self.bodies = bodies
        line = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO request_log (id, time, method, path, query, status, duration, client, user_agent,
                                               resource_id, search)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Without segments (a migration's copy, which may run before v4 to v6 added the
        // locations, the response headers and the upstream time) those are not named: they stay NULL.
        body = try db.cachedStatement(sql: bodies == nil ? """
            INSERT INTO request_body (id, request_headers, request_body, response_body, resource_before)
            VALUES (?, ?, ?, ?, ?)
            """ : """
            INSERT INTO request_body (id, request_headers, request_body, response_body, resource_before,
                                      response_segment, response_offset, response_headers, upstream_duration)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Writes `entry` under a new id, or under `id` (an exchange copied from an
    /// older log); nil, with nothing written, if that id is taken.
    @discardableResult
    mutating func insert(_ entry: LoggedRequest, id: Int64? = nil) throws -> Int64? {
        // Read from the summary itself, not through `LoggedRequest`'s key-path lookup: this runs for every exchange.
        let summary = entry.summary
        let search = RequestSummary.searchText(method: summary.method, path: summary.path, query: summary.query,
                                               status: summary.status, userAgent: summary.userAgent)
        try Self.run(line, in: db) { b in
            b.int(id); b.double(summary.time.timeIntervalSince1970); b.text(summary.method); b.text(summary.path)
            b.text(summary.query); b.int(Int64(summary.status)); b.double(summary.duration); b.text(summary.client)
            b.text(summary.userAgent); b.text(entry.resourceID); b.text(search)
        }
        guard db.changesCount > 0 else { return nil }
        let written = db.lastInsertedRowID  // `id` when given
        var location: BodySegments.Location?
        if let bodies, entry.responseBytes.count >= BodySegments.threshold,
           // A body the file cannot take (a full disk, a removed folder) stays in the database.
           let appended = try? bodies.append(entry.responseBytes, id: written) {
            location = appended.location
            startedSegment = startedSegment || appended.startedSegment
        }
        try Self.run(body, in: db) { b in
            b.int(written); b.text(entry.requestHeaderText); b.text(entry.requestBody)
            // Stored as TEXT, as the console reads it: empty when the body went to a segment.
            b.text(location == nil ? entry.responseBytes : [])
            b.text(entry.resourceBefore)
            if bodies != nil {
                b.int(location?.segment); b.int(location?.offset); b.text(entry.responseHeaderText)
                b.double(entry.upstreamDuration)
            }
        }
        return written
    }

    /// Binds and steps one of the writer's statements through SQLite's C API.
    /// GRDB's `execute(arguments:)` boxed each value in an array of
    /// existentials and validated them against the statement, about an eighth
    /// of the writer's time per exchange; the log has no GRDB observers to tell.
    private static func run(_ statement: Statement, in db: Database, bind: (inout Binder) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        var binder = Binder(handle: handle)
        bind(&binder)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }

    /// The next parameter's value, in the statement's order. Text is copied by
    /// SQLite (`SQLITE_TRANSIENT`): the values do not outlive the call.
    struct Binder {
        let handle: OpaquePointer
        private var index: Int32 = 0

        init(handle: OpaquePointer) { self.handle = handle }

        mutating func text(_ value: String?) {
            guard var value else {
                index += 1
                sqlite3_bind_null(handle, index)
                return
            }
            value.withUTF8 { text($0) }
        }

        /// UTF-8 bytes, bound as TEXT.
        mutating func text(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { text($0) }
        }

        private mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
            index += 1
            guard let start = bytes.baseAddress, !bytes.isEmpty else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self),
                                  Int32(bytes.count), Self.transient)
        }

        mutating func int(_ value: Int64?) {
            index += 1
            if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }

        mutating func double(_ value: Double?) {
            index += 1
            if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }

        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}
