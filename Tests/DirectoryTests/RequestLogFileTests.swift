import Foundation
import GRDB
import SCIM
import Testing
@testable import ConsoleQueries
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
        for i in 0..<20 { try directory.requestLog.log((0..<10).map { Self.entry("/\(i)/\($0)") }) }
        #expect(try WALCheckpointerTests.logFrames(directory.path).log == before, "no frame written to the directory's log")
        #expect(try WALCheckpointerTests.logFrames(directory.path + Directory.requestLogSuffix).log > 0)
        #expect(try directory.requestLog.count() == 200)
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
        let moved = try directory.requestLog.recent(limit: 10)
        #expect(moved.map(\.id) == [1_200, 8, 7])
        #expect(moved.first.map { ($0.method, $0.path, $0.resourceID, $0.resourceBefore, $0.requestBody) }
                    ?? ("", "", nil, nil, "") == ("PATCH", "/Users/1200", "u1", "{\"b\":2}", "{\"a\":1}"))
        #expect(try DatabaseQueue(path: path).read { try $0.tableExists("request_log") } == false)
        // New entries continue after the moved ones.
        let next = try directory.requestLog.log(Self.entry("/after"))
        #expect(next > 1_200)
        // Opening again moves nothing twice.
        #expect(try Directory(path: path).requestLog.count() == 4)
    }

    /// A log written before bodies had a table of their own keeps every exchange, whole.
    @Test func aLogFromBeforeTheSplitKeepsItsExchanges() throws {
        let folder = ScratchFolder.make("log-split")
        let path = folder + "/" + Directory.fileName
        let page = String(repeating: "p", count: 60_000)
        do {
            _ = try Directory(path: path)  // both files, the log at the newest version
            let log = try DatabaseQueue(path: path + Directory.requestLogSuffix)
            try log.write { db in
                try db.execute(sql: "DROP TABLE request_log; DROP TABLE request_body; DELETE FROM grdb_migrations WHERE identifier NOT IN ('v1', 'v2')")
                try db.execute(sql: RequestLogSchema.createTable)
                try db.execute(sql: "CREATE INDEX request_log_time ON request_log(time, status)")
                for (id, body) in [(41, page), (42, "{}")] {
                    try db.execute(sql: """
                        INSERT INTO request_log (id, time, method, path, query, status, duration, client, user_agent,
                                                 request_headers, request_body, response_body, resource_id, resource_before)
                        VALUES (?, 1.5, 'GET', '/Users', 'count=100', 200, 0.25, '10.0.0.1', 'Okta', 'accept: */*', '', ?, 'u1', NULL)
                        """, arguments: [id, body])
                }
            }
        }
        let directory = try Directory(path: path)
        let logged = try directory.requestLog.recent(limit: 10)
        #expect(logged.map(\.id) == [42, 41])
        #expect(logged.last?.responseBody == page)
        #expect(logged.last.map { ($0.query, $0.requestHeaders, $0.resourceID) } ?? ("", [], nil) == ("count=100", ["accept: */*"], "u1"))
        #expect(try directory.requestLog.browseRequests(Browse(), maxID: nil, range: 0..<5).map(\.id) == [41, 42])
        let columns = try directory.requestLog.pool.read { db in try db.columns(in: "request_log").map(\.name) }
        #expect(!columns.contains("response_body") && columns.contains("search"))
        #expect(try directory.requestLog.countRequests(Browse(filter: "GET /USERS?COUNT=100"), maxID: nil) == 2)
        #expect(try directory.requestLog.log(Self.entry("/next")) == 43)
    }

    /// The Requests tab's filter matches the line as shown: method, path, the query decoded,
    /// status and user agent, in any case.
    @Test func theRequestFilterMatchesTheLineAsShown() throws {
        let directory = try makeDirectory()
        var lookup = Self.entry("/Users")
        lookup.query = "filter=userName%20eq%20%22Alice%40example.com%22"
        var missing = Self.entry("/Groups/g1")
        missing.status = 404
        missing.userAgent = "Okta SCIM Client 1.0.0"
        try directory.requestLog.log([lookup, missing])
        func matches(_ text: String) throws -> [String] {
            try directory.requestLog.browseRequests(Browse(filter: text), maxID: nil, range: 0..<10).map(\.path)
        }
        #expect(try matches("alice@example.com") == ["/Users"])
        #expect(try matches(#"userName eq "ALICE"#) == ["/Users"])
        #expect(try matches("get /groups") == ["/Groups/g1"])
        #expect(try matches("404") == ["/Groups/g1"])
        #expect(try matches("okta scim") == ["/Groups/g1"])
        #expect(try matches("100%") == [])
        #expect(try directory.requestLog.countRequests(Browse(filter: "example.com"), maxID: nil) == 1)
    }

    /// Queries are shown (and searched) decoded as the endpoint reads them; what is not an
    /// escape is shown as sent.
    @Test func queriesAreDecodedAsForm() {
        #expect(FormDecoding.decode("filter=userName%20eq%20%22a%40b.c%22") == #"filter=userName eq "a@b.c""#)
        #expect(FormDecoding.decode("a+b%2Bc") == "a b+c")
        #expect(FormDecoding.decode("name=%E2%9C%93%e2%9c%93") == "name=✓✓")
        #expect(FormDecoding.decode("startIndex=1&count=100") == "startIndex=1&count=100")
        for malformed in ["100%", "a=%zz", "a=%4"] {
            #expect(FormDecoding.decode(malformed) == malformed)
        }
        #expect(FormDecoding.decode("a=%FF") == "a=\u{FFFD}")
    }

    /// The text the Requests filter searches: the line as read, the query decoded, lowercased
    /// as `lowercased()` does it, whether the line is ASCII (lowered byte by byte) or not.
    @Test func searchTextIsTheLineDecodedAndLowercased() {
        let cases: [(String, String, String, Int, String)] = [
            ("GET", "/apis/scim.grafana.app/v0alpha1/namespaces/default/Users", "filter=userName%20eq%20%22Ann%40Example.COM%22",
             200, "Okta SCIM Client 1.0.0"),
            ("PATCH", "/Groups/ABC", "", 204, "Okta"),
            ("GET", "/Users", "filter=displayName%20eq%20%22%C3%84NNE%20%C3%96ZT%C3%9CRK%22", 200, "Zoë's Client"),
            ("POST", "/Users", "a+B=%zz", 409, "\u{212A}elvin"),
        ]
        for (method, path, query, status, agent) in cases {
            let expected = "\(method) \(path)\(query.isEmpty ? "" : "?" + FormDecoding.decode(query)) \(status) \(agent)".lowercased()
            #expect(RequestSummary.searchText(method: method, path: path, query: query, status: status, userAgent: agent) == expected)
        }
        #expect(RequestSummary.searchText(method: "GET", path: "/Users", query: "filter=userName%20eq%20%22Ann%22", status: 200,
                                          userAgent: "Okta") == #"get /users?filter=username eq "ann" 200 okta"#)
    }

    /// The console's request rate reads the last minutes' times and statuses, and a list of
    /// requests their lines, without the headers and bodies.
    @Test func statusesAndSummariesLeaveTheBodiesUnread() throws {
        let directory = try makeDirectory()
        let now = Date()
        for (age, status) in [(400.0, 500), (100, 404), (10, 200)] {
            var entry = Self.entry("/\(Int(age))")
            entry.time = now.addingTimeInterval(-age)
            entry.status = status
            entry.responseBody = String(repeating: "x", count: 50_000)
            try directory.requestLog.log(entry)
        }
        #expect(try directory.requestLog.entry(id: 1)?.responseBody.count == 50_000)
        // With the bodies' table gone, the lines alone must answer: nothing below reads it.
        try directory.requestLog.pool.write { try $0.execute(sql: "DROP TABLE request_body") }
        let recent = try directory.requestLog.statuses(since: now.addingTimeInterval(-180))
        #expect(recent.map(\.status) == [404, 200])
        #expect(abs(recent[0].time.timeIntervalSince(now) + 100) < 0.001)
        let summaries = try directory.requestLog.browseRequests(Browse(), maxID: nil, range: 0..<10)
        #expect(summaries.map(\.path) == ["/400", "/100", "/10"])
        #expect(summaries.map(\.status) == [500, 404, 200])
        #expect(summaries[0].userAgent == "test" && summaries[0].client == "127.0.0.1")
    }
}
