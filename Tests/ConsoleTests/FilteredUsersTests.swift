import ConsoleQueries
import Directory
import Foundation
import SCIM
import Testing
@testable import Console
import TestSupport

/// A filtered Users tab keeps its matches between frames and follows the
/// users that change (`FilteredUserSeqs`): whatever is created, renamed,
/// deactivated or deleted, its count, windows and positions are those a
/// fresh query of the whole table gives, and it follows every change at once
/// however slow the filter's first scan was.
@Suite("Filtered users")
struct FilteredUsersTests {
    /// The table's view against the reference, a fresh query of the whole table.
    static func expectMatchesReference(_ table: UsersTable, _ directory: Directory, _ note: String,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        table.invalidate()
        let reference = try directory.browseUsers(table.browse, order: table.order, range: 0..<1_000).map(\.id)
        expectTable(table, matches: reference, note, sourceLocation: sourceLocation)
    }

    static func person(_ name: String, _ display: String) -> JSONValue {
        ["userName": .string(name), "displayName": .string(display)]
    }

    /// "smith" is looked for in the console's copy of the users' texts; a filter
    /// holding a line feed is matched in SQL (`UserSearchIndex.needle(for:)`).
    @Test(arguments: ["smith", "n\ns"])
    func matchesStayTheTablesOwnAnswer(_ filter: String) async throws {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<40 {
            ids.append(try directory.createUser(Self.person("u\(i)@example.com", i % 3 == 0 ? "Ann\nSmith \(i)" : "Bo \(i)")).id)
        }
        let table = UsersTable(directory: directory)
        table.browse.filter = filter
        try Self.expectMatchesReference(table, directory, "first look")

        // Each change as the live pane passes it on, from the directory's own events.
        let events = directory.events.subscribe()
        var iterator = events.makeAsyncIterator()
        func passOn(_ count: Int) async {
            for _ in 0..<count {
                guard case .user(let id, let change, _) = await iterator.next() else { continue }
                table.userChanged(id: id, change: change)
            }
        }

        ids.append(try directory.createUser(Self.person("new@example.com", "Cyn\nSmith")).id)
        _ = try directory.createUser(Self.person("other@example.com", "Dee Jones"))
        await passOn(2)
        try Self.expectMatchesReference(table, directory, "created")

        _ = try directory.replaceUser(id: ids[1], with: Self.person("u1@example.com", "Evan\nSmith"))
        _ = try directory.replaceUser(id: ids[3], with: Self.person("u3@example.com", "Fay Jones"))
        await passOn(2)
        try Self.expectMatchesReference(table, directory, "one now matches, one no longer")

        _ = try directory.setActive(false, userID: ids[6], actor: .operator)
        await passOn(1)
        try Self.expectMatchesReference(table, directory, "deactivated")

        try directory.deleteUser(id: ids[9])
        try directory.deleteUser(id: ids[10])
        await passOn(2)
        try Self.expectMatchesReference(table, directory, "deleted")

        table.browse.descending = true
        try Self.expectMatchesReference(table, directory, "newest first")
        table.order = .displayName
        try Self.expectMatchesReference(table, directory, "by display name")
        table.order = .created
        table.browse.filter = "u2"
        try Self.expectMatchesReference(table, directory, "another filter")
        table.browse.filter = ""
        try Self.expectMatchesReference(table, directory, "no filter")
    }

    /// However slow the filter's first scan (each read here seems to take 100 ms),
    /// the kept matches follow each change at once: a change costs a look at its user.
    @Test func keptMatchesFollowEveryChangeAtOnce() throws {
        let directory = try makeDirectory()
        _ = try directory.createUser(["userName": "ann@example.com"])
        let table = UsersTable(directory: directory)
        table.browse.filter = "example"
        var clock = Date(timeIntervalSince1970: 1_000)
        table.readClock = {
            clock = clock.addingTimeInterval(0.1)
            return clock
        }
        #expect(table.count == 1)
        #expect(table.readCost >= TableWindow<UserSummary>.quickRead)
        let bob = try directory.createUser(["userName": "bob@example.com"])
        table.userChanged(id: bob.id, change: .created)
        #expect(table.rereadDue == nil)
        #expect(table.count == 2)
        #expect(table.items(in: 0..<5).map(\.userName) == ["ann@example.com", "bob@example.com"])
    }
}
