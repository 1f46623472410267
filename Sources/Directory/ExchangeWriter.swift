import GRDB

/// Writes exchanges into the request log's tables (`RequestLogSchema.splitTables`):
/// an exchange's line in `request_log`, its headers and bodies in `request_body`.
/// Its statements are looked up once for a whole batch.
struct ExchangeWriter {
    private let db: Database
    private let line: Statement
    private let body: Statement

    init(_ db: Database) throws {
        self.db = db
        line = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO request_log (id, time, method, path, query, status, duration, client, user_agent,
                                               resource_id, search)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        body = try db.cachedStatement(sql: """
            INSERT INTO request_body (id, request_headers, request_body, response_body, resource_before)
            VALUES (?, ?, ?, ?, ?)
            """)
    }

    /// Writes `entry` under a new id, or under `id` (an exchange copied from an
    /// older log); nil, with nothing written, if that id is taken.
    @discardableResult
    func insert(_ entry: LoggedRequest, id: Int64? = nil) throws -> Int64? {
        let search = RequestSummary.searchText(method: entry.method, path: entry.path, query: entry.query,
                                               status: entry.status, userAgent: entry.userAgent)
        try line.execute(arguments: [id, entry.time.timeIntervalSince1970, entry.method, entry.path, entry.query,
                                     entry.status, entry.duration, entry.client, entry.userAgent, entry.resourceID, search])
        guard db.changesCount > 0 else { return nil }
        let written = db.lastInsertedRowID  // `id` when given
        try body.execute(arguments: [written, entry.requestHeaders.joined(separator: "\n"), entry.requestBody,
                                     entry.responseBody, entry.resourceBefore])
        return written
    }
}
