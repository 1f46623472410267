import ConsoleQueries
import Directory
import Foundation
import SCIM
import Testing
@testable import Console
import TestSupport

/// The console's copy of every user's filter text answers as the Directory's
/// own query does (`userSeqs(matching:)`, SQL's `LIKE` over `user_search`),
/// through users rewritten shorter (in place) and longer (moved), created,
/// deleted, and rewritten until the copy is read anew.
@Suite("User search index")
struct UserSearchIndexTests {
    static let filters = ["a", "smith", "SMITH", "example", "00u-a", "zoë", "ÜNAL", "ünal", "x@y", "bo", "12", "nobody"]

    static func expectSameAsSQL(_ index: UserSearchIndex, _ directory: Directory, _ note: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let all = try directory.userSeqs(matching: "")
        for filter in filters {
            let needle = try #require(UserSearchIndex.needle(for: filter))
            let reference = try directory.userSeqs(matching: filter)
            #expect(index.matches(needle) == reference, "\(note): \(filter)", sourceLocation: sourceLocation)
            for seq in all {
                #expect(index.contains(needle, seq: seq) == reference.contains(seq), "\(note): \(filter) in \(seq)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    static func person(_ name: String, _ display: String, external: String? = nil) -> JSONValue {
        var user: [String: JSONValue] = ["userName": .string(name), "displayName": .string(display)]
        if let external { user["externalId"] = .string(external) }
        return .object(user)
    }

    /// Read in the background when the filter prompt opens (`prepare`): users that change
    /// while it reads, before or after its snapshot, are still answered as SQL answers, and a
    /// deletion meanwhile drops the read for one read whole at the next update.
    @Test(arguments: [0, 1, 4, 20])
    func aCopyReadInTheBackgroundMissesNoChange(delayMilliseconds: Int) throws {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<1_500 {
            ids.append(try directory.createUser(Self.person("u\(i)@example.com", i % 2 == 0 ? "Bo \(i)" : "Ann Smith \(i)")).id)
        }
        let index = UserSearchIndex()
        index.prepare(directory)
        index.prepare(directory)  // already reading: nothing more
        Thread.sleep(forTimeInterval: Double(delayMilliseconds) / 1_000)
        // Renamed shorter and longer, and created, while the copy is (or was) read.
        _ = try directory.replaceUser(id: ids[3], with: Self.person("u3@example.com", "Zoë"))
        _ = try directory.replaceUser(id: ids[4], with: Self.person("u4-much-longer@example.com", "Zoë Ünal, renamed at length"))
        let created = try directory.createUser(Self.person("late@example.com", "Ann Smith late")).id
        for id in [ids[3], ids[4], created] { index.userChanged(id: id, change: id == created ? .created : .updated) }
        #expect(try index.update(directory) == .reloaded)
        try Self.expectSameAsSQL(index, directory, "read in the background, \(delayMilliseconds) ms")
        index.prepare(directory)  // read already: nothing to do
        #expect(try index.update(directory) == .unchanged)

        // A deletion while a read is under way: that read is dropped and the next update reads anew.
        index.forget()
        index.prepare(directory)
        try directory.deleteUser(id: ids[7])
        index.userChanged(id: ids[7], change: .deleted)
        #expect(try index.update(directory) == .reloaded)
        try Self.expectSameAsSQL(index, directory, "a deletion during the read, \(delayMilliseconds) ms")
    }

    @Test func answersAsTheDirectoryDoesThroughEveryChange() throws {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<20 {
            let display = i % 4 == 0 ? "Zoë Ünal \(i)" : i % 4 == 1 ? "Ann Smith \(i)" : "Bo \(i)"
            ids.append(try directory.createUser(Self.person("u\(i)@example.com", display, external: i % 3 == 0 ? "00U-A\(i)" : nil)).id)
        }
        let index = UserSearchIndex()
        #expect(try index.update(directory) == .reloaded)
        try Self.expectSameAsSQL(index, directory, "read whole")
        #expect(try index.update(directory) == .unchanged)

        func changed(_ users: [String]) throws -> UserSearchIndex.Update {
            for id in users { index.userChanged(id: id, change: .updated) }
            return try index.update(directory)
        }
        // Shorter: written in place.
        _ = try directory.replaceUser(id: ids[1], with: Self.person("u1@example.com", "Bo"))
        #expect(try changed([ids[1]]) != .reloaded)
        try Self.expectSameAsSQL(index, directory, "shorter")
        // Longer: moved past the others, and the answers still come in creation order.
        _ = try directory.replaceUser(id: ids[2], with: Self.person("u2-renamed@example.com", "Ann Smith, much longer now",
                                                                    external: "00u-a-new"))
        _ = try directory.replaceUser(id: ids[5], with: Self.person("u5@example.com", "Zoë Ünal the fifth, moved"))
        #expect(try changed([ids[2], ids[5]]) != .reloaded)
        try Self.expectSameAsSQL(index, directory, "longer")
        // Created, after some were moved.
        let late = try directory.createUser(Self.person("x@y.example.com", "Late Smith")).id
        #expect(try changed([late]) != .reloaded)
        try Self.expectSameAsSQL(index, directory, "created")
        // Moved again.
        _ = try directory.replaceUser(id: ids[2], with: Self.person("u2-renamed-again@example.com", "Bo Smith, longer than before by far"))
        #expect(try changed([ids[2]]) != .reloaded)
        try Self.expectSameAsSQL(index, directory, "moved again")

        // Deleted: read whole again.
        try directory.deleteUser(id: ids[7])
        index.userChanged(id: ids[7], change: .deleted)
        #expect(try index.update(directory) == .reloaded)
        try Self.expectSameAsSQL(index, directory, "deleted")

        // Rewritten longer and longer: past a quarter of zeroed bytes, read whole again.
        var reloaded = false
        for round in 1...40 where !reloaded {
            _ = try directory.replaceUser(id: ids[3], with: Self.person("u3@example.com", "Bo " + String(repeating: "smith ", count: round)))
            reloaded = try changed([ids[3]]) == .reloaded
            try Self.expectSameAsSQL(index, directory, "rewritten \(round) times")
        }
        #expect(reloaded)
    }

    /// A filter holding a control character could match across the fields a
    /// record parts with line feeds: those are left to SQL.
    @Test func controlCharactersAreLeftToSQL() {
        #expect(UserSearchIndex.needle(for: "a\nb") == nil)
        #expect(UserSearchIndex.needle(for: "tab\there") == nil)
        #expect(UserSearchIndex.needle(for: "") == nil)
        #expect(UserSearchIndex.needle(for: "Zoë") == Array("zoë".utf8))
    }
}
