import Foundation
import GRDB
import Testing
@testable import Directory
import TestSupport

/// The request log lives in a database file of its own, so logging never
/// changes the directory's file (whose readers would lose their page cache).
@Suite("Request log file")
struct RequestLogFileTests {
    static func entry(_ path: String) -> LoggedRequest {
        LoggedRequest(time: Date(), method: "GET", path: path, query: "", status: 200, duration: 0.001,
                      client: "127.0.0.1", userAgent: "test", requestHeaders: ["accept: */*"], requestBody: "",
                      responseBody: "{}", resourceID: nil)
    }

    @Test func loggingLeavesTheDirectoryFileUnchanged() throws {
        let directory = try makeDirectory()
        _ = try directory.createUser(["userName": "frames@example.com"])
        let before = try WALCheckpointerTests.logFrames(directory.path).log
        #expect(before > 0)
        for i in 0..<20 { try directory.log((0..<10).map { Self.entry("/\(i)/\($0)") }) }
        #expect(try WALCheckpointerTests.logFrames(directory.path).log == before, "no frame written to the directory's log")
        #expect(try WALCheckpointerTests.logFrames(directory.path + Directory.requestLogSuffix).log > 0)
        #expect(try directory.requestCount() == 200)
    }

    /// A data directory from before the split keeps its log: the rows are copied into the
    /// new file with their ids, and the old table is dropped.
    @Test func anEarlierDataDirectoryKeepsItsLog() throws {
        let folder = URL(fileURLWithPath: ScratchFolder.make("log-file"))
        let path = folder.appendingPathComponent(Directory.fileName).path
        do {
            let old = try DatabaseQueue(path: path)
            try DirectorySchema.migrator.migrate(old, upTo: "v2")
            try old.write { db in
                try db.execute(sql: RequestLogSchema.createTable)
                for id in [7, 8, 1_200] {
                    try db.execute(sql: """
                        INSERT INTO request_log (id, time, method, path, query, status, duration, client, user_agent,
                                                 request_headers, request_body, response_body, resource_id, resource_before)
                        VALUES (?, 1.5, 'PATCH', ?, '', 200, 0.25, '10.0.0.1', 'Okta SCIM Client 1.0.0', 'accept: */*', '{"a":1}', '{}', 'u1', '{"b":2}')
                        """, arguments: [id, "/Users/\(id)"])
                }
            }
        }
        let directory = try Directory(path: path)
        let moved = try directory.recentRequests(limit: 10)
        #expect(moved.map(\.id) == [1_200, 8, 7])
        #expect(moved.first.map { ($0.method, $0.path, $0.resourceID, $0.resourceBefore, $0.requestBody) }
                    ?? ("", "", nil, nil, "") == ("PATCH", "/Users/1200", "u1", "{\"b\":2}", "{\"a\":1}"))
        #expect(try DatabaseQueue(path: path).read { try $0.tableExists("request_log") } == false)
        // New entries continue after the moved ones.
        let next = try directory.log(Self.entry("/after"))
        #expect(next > 1_200)
        // Opening again moves nothing twice.
        #expect(try Directory(path: path).requestCount() == 4)
    }

    /// The console's request rate reads the last minutes' times and statuses from an index,
    /// not from the entries (whose bodies fill pages of their own); a list of requests reads
    /// no headers or bodies.
    @Test func statusesAndSummariesLeaveTheBodiesUnread() throws {
        let directory = try makeDirectory()
        let now = Date()
        for (age, status) in [(400.0, 500), (100, 404), (10, 200)] {
            var entry = Self.entry("/\(Int(age))")
            entry.time = now.addingTimeInterval(-age)
            entry.status = status
            entry.responseBody = String(repeating: "x", count: 50_000)
            try directory.log(entry)
        }
        let recent = try directory.requestStatuses(since: now.addingTimeInterval(-180))
        #expect(recent.map(\.status) == [404, 200])
        #expect(abs(recent[0].time.timeIntervalSince(now) + 100) < 0.001)
        let plan = try directory.logPool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT time, status FROM request_log WHERE time >= ? ORDER BY time",
                             arguments: [0]).map { $0["detail"] as String }.joined()
        }
        #expect(plan.contains("COVERING INDEX request_log_time"), "\(plan)")

        let summaries = try directory.browseRequests(Browse(), maxID: nil, range: 0..<10)
        #expect(summaries.map(\.path) == ["/400", "/100", "/10"])
        #expect(summaries.map(\.status) == [500, 404, 200])
        #expect(summaries[0].userAgent == "test" && summaries[0].client == "127.0.0.1")
    }
}
