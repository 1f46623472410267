import ConsoleQueries
import Directory
import Foundation
import Testing
@testable import Console
import TestSupport

/// The filtered Requests tab keeps its matches between frames and reads only
/// what is new: whatever arrives, leaves the log, or is paused, its count,
/// windows and positions are those the log's own query gives.
@Suite("Filtered requests")
struct FilteredRequestsTests {
    static func entry(_ i: Int) -> LoggedRequest {
        LoggedRequest(time: Date(), method: i % 3 == 0 ? "PATCH" : "GET", path: "/Users/\(i)", query: "", status: 200,
                      duration: 0.001, client: "127.0.0.1", userAgent: "Okta", requestHeaders: [], requestBody: "",
                      responseBody: "", resourceID: nil)
    }

    /// The table's view against the reference, a fresh query of the whole log.
    static func expectMatchesReference(_ table: RequestsTable, _ directory: Directory, _ note: String) throws {
        table.invalidate()
        let reference = try directory.requestLog.browseRequests(table.browse, maxID: table.maxID, range: 0..<1_000).map { String($0.id) }
        expectTable(table, matches: reference, absentID: "999999", note)
    }

    @Test func matchesStayTheLogsOwnAnswer() throws {
        let directory = try makeDirectory(requestLogCapacity: 40)
        try directory.requestLog.log((0..<30).map(Self.entry))
        let table = RequestsTable(directory: directory, log: directory.requestLog, scimPrefix: "/scim")
        table.browse.filter = "patch"
        try Self.expectMatchesReference(table, directory, "first look")
        try directory.requestLog.log((30..<35).map(Self.entry))
        try Self.expectMatchesReference(table, directory, "new arrivals")
        try directory.requestLog.log((35..<60).map(Self.entry))  // past the capacity: the oldest leave
        try Self.expectMatchesReference(table, directory, "oldest dropped")
        table.maxID = try directory.requestLog.latestID()
        try directory.requestLog.log((60..<70).map(Self.entry))
        try Self.expectMatchesReference(table, directory, "paused")
        table.maxID = nil
        try Self.expectMatchesReference(table, directory, "resumed")
        table.browse.descending = true
        try Self.expectMatchesReference(table, directory, "newest first")
        table.browse.filter = "users/6"
        try Self.expectMatchesReference(table, directory, "another filter")
        table.browse.filter = ""
        try Self.expectMatchesReference(table, directory, "no filter")
    }

    /// A table slow to read (a filter over many users) is not read again on every change:
    /// it keeps what it showed until ten times its read's cost has passed, then reads anew.
    /// One quick to read follows every change at once.
    @Test func aSlowTableRereadsAtMostATenthOfTheTime() throws {
        let directory = try makeDirectory()
        _ = try directory.createUser(["userName": "ann@example.com"])
        let table = UsersTable(directory: directory)
        table.browse.filter = "example"
        table.order = .userName  // in creation order a filter's matches are kept (`FilteredUsersTests`)
        // Each look at the clock is 100 ms later: every read seems to take 100 ms.
        var clock = Date(timeIntervalSince1970: 1_000)
        table.readClock = {
            clock = clock.addingTimeInterval(0.1)
            return clock
        }
        #expect(table.count == 1)
        let readEnded = clock
        #expect(table.readCost >= 0.1)
        let bob = try directory.createUser(["userName": "bob@example.com"])
        table.userChanged(id: bob.id, change: .created)
        #expect(table.count == 1, "kept as it was")
        let due = try #require(table.rereadDue)
        #expect(abs(due.timeIntervalSince(readEnded) - table.readCost * TableWindow<UserSummary>.slowReadSpacing) < 0.001)
        table.rereadIfDue(now: due.addingTimeInterval(-0.01))
        #expect(table.count == 1)
        table.rereadIfDue(now: due)
        #expect(table.rereadDue == nil)
        #expect(table.count == 2, "read anew when due")

        // Quick reads: every change is followed at once.
        table.readClock = { Date(timeIntervalSince1970: 5_000) }
        table.invalidate()
        #expect(table.count == 2)
        let cy = try directory.createUser(["userName": "cy@example.com"])
        table.userChanged(id: cy.id, change: .created)
        #expect(table.rereadDue == nil)
        #expect(table.count == 3)
    }

    /// The cost that decides is that of the last count and window, not a sum over every
    /// window read: scrolling a long time does not make a table slow.
    @Test func scrollingDoesNotAddUpToASlowRead() throws {
        let directory = try makeDirectory()
        for i in 0..<61 { _ = try directory.createUser(["userName": .string("u\(i)@example.com")]) }
        let table = UsersTable(directory: directory)
        var clock = Date(timeIntervalSince1970: 1_000)
        table.readClock = {
            clock = clock.addingTimeInterval(0.01)  // every read seems to take 10 ms
            return clock
        }
        #expect(table.count == 61)
        for _ in 0..<10 {
            // Windows far apart: each is read anew.
            #expect(table.items(in: 0..<1).count == 1)
            #expect(table.items(in: 60..<61).count == 1)
        }
        #expect(table.readCost < TableWindow<UserSummary>.quickRead)
        _ = try directory.createUser(["userName": "late@example.com"])
        table.dataChanged()
        #expect(table.count == 62, "still quick: read again at once")
    }
}
