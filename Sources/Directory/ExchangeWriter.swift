import GRDB

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
        // Without segments (a migration's copy, which may run before v4 added the locations)
        // the locations are not named: they stay NULL.
        body = try db.cachedStatement(sql: bodies == nil ? """
            INSERT INTO request_body (id, request_headers, request_body, response_body, resource_before)
            VALUES (?, ?, ?, ?, ?)
            """ : """
            INSERT INTO request_body (id, request_headers, request_body, response_body, resource_before,
                                      response_segment, response_offset)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Writes `entry` under a new id, or under `id` (an exchange copied from an
    /// older log); nil, with nothing written, if that id is taken.
    @discardableResult
    mutating func insert(_ entry: LoggedRequest, id: Int64? = nil) throws -> Int64? {
        let search = RequestSummary.searchText(method: entry.method, path: entry.path, query: entry.query,
                                               status: entry.status, userAgent: entry.userAgent)
        try line.execute(arguments: [id, entry.time.timeIntervalSince1970, entry.method, entry.path, entry.query,
                                     entry.status, entry.duration, entry.client, entry.userAgent, entry.resourceID, search])
        guard db.changesCount > 0 else { return nil }
        let written = db.lastInsertedRowID  // `id` when given
        var location: BodySegments.Location?
        if let bodies, entry.responseBytes.count >= BodySegments.threshold,
           // A body the file cannot take (a full disk, a removed folder) stays in the database.
           let appended = try? bodies.append(entry.responseBytes, id: written) {
            location = appended.location
            startedSegment = startedSegment || appended.startedSegment
        }
        // Stored as TEXT, as the console reads it.
        let responseBody = location == nil ? String(decoding: entry.responseBytes, as: UTF8.self) : ""
        var arguments: StatementArguments = [written, entry.requestHeaders.joined(separator: "\n"), entry.requestBody,
                                             responseBody, entry.resourceBefore]
        if bodies != nil { arguments += [location?.segment, location?.offset] }
        try body.execute(arguments: arguments)
        return written
    }
}
