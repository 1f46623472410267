import Foundation
import GRDB
import SCIM
import Testing
import TestSupport
@testable import Directory

@Suite("Directory rules")
struct DirectoryRulesTests {
    func userJSON(_ name: String, external: String? = nil, email: String? = nil) -> JSONValue {
        var doc: [String: JSONValue] = ["userName": .string(name), "displayName": .string("User \(name)")]
        if let external { doc["externalId"] = .string(external) }
        doc["emails"] = [["value": .string(email ?? name), "type": "work", "primary": true]]
        return .object(doc)
    }

    @Test func userNameIsUniqueIgnoringCaseAndKeptAsSent() throws {
        let directory = try makeDirectory()
        let alice = try directory.createUser(userJSON("Alice@Example.com"))
        #expect(alice.userName == "Alice@Example.com")
        #expect(throws: SCIMError.self) { try directory.createUser(userJSON("alice@example.COM")) }
        do {
            _ = try directory.createUser(userJSON("ALICE@EXAMPLE.COM"))
        } catch let error as SCIMError {
            #expect(error.status == 409)
            #expect(error.scimType == .uniqueness)
        }
        // Renaming another user onto the name is refused too, and changes nothing.
        let bob = try directory.createUser(userJSON("bob@example.com"))
        #expect(throws: SCIMError.self) { try directory.replaceUser(id: bob.id, with: userJSON("alice@EXAMPLE.com")) }
        #expect(try directory.user(id: bob.id)?.userName == "bob@example.com")
        #expect(try directory.userCount() == 2)
    }

    @Test func deactivationKeepsTheUserAndItsId() throws {
        let directory = try makeDirectory()
        let alice = try directory.createUser(userJSON("alice@example.com"))
        let off = try directory.setActive(false, userID: alice.id, actor: .operator)
        #expect(off.id == alice.id)
        #expect(off.active == false)
        #expect(off.meta.version == 2)
        let on = try directory.patchUser(id: alice.id, PatchRequest(json: JSONCoding.parse(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}"#)))
        #expect(on.id == alice.id && on.active)
        #expect(try directory.userCount() == 1)
    }

    @Test func membershipOnlyOfExistingUsers() throws {
        let directory = try makeDirectory()
        let alice = try directory.createUser(userJSON("alice@example.com"))
        #expect(throws: SCIMError.self) {
            try directory.createGroup(["displayName": "Eng", "members": [["value": "no-such-user"]]])
        }
        #expect(try directory.groupCount() == 0)
        let eng = try directory.createGroup(["displayName": "Eng", "members": [["value": .string(alice.id)]]])
        #expect(eng.members.map(\.id) == [alice.id])
        #expect(try directory.user(id: alice.id)?.groups.map(\.displayName) == ["Eng"])
        #expect(throws: SCIMError.self) { try directory.createGroup(["displayName": "ENG"]) }
        // Deleting a user removes its memberships.
        try directory.deleteUser(id: alice.id)
        #expect(try directory.group(id: eng.id)?.members == [])
    }

    /// A subscriber that falls a whole buffer behind loses its oldest events,
    /// and is told so by the overflow marker, queued after the newest.
    @Test func aSubscriberThatLostEventsIsToldSo() async {
        /// What a subscriber finds buffered after `published` events, its buffer holding three.
        func buffered(after published: Int) async -> [Int] {
            let stream = EventStream<Int>(bufferSize: 3, overflow: -1)
            let events = stream.subscribe()
            for i in 1...published { stream.publish(i) }
            var iterator = events.makeAsyncIterator()
            var received: [Int] = []
            for _ in 0..<3 { if let e = await iterator.next() { received.append(e) } }
            return received
        }
        let lost = await buffered(after: 5)
        #expect(lost.last == -1)
        #expect(lost.contains(5))
        #expect(!lost.contains(1))
        #expect(await buffered(after: 3) == [1, 2, 3], "no marker while nothing was lost")
    }

    @Test func eventsArePublishedOnceAfterCommit() async throws {
        let directory = try makeDirectory()
        let stream = directory.events.subscribe()
        let alice = try directory.createUser(userJSON("alice@example.com"))
        _ = try? directory.createUser(userJSON("ALICE@example.com"))  // rolled back: no event
        _ = try directory.setActive(false, userID: alice.id, actor: .operator)
        let group = try directory.createGroup(["displayName": "Eng"])
        try directory.deleteGroup(id: group.id)
        var received: [DirectoryEvent] = []
        for await event in stream {
            received.append(event)
            if received.count == 4 { break }
        }
        #expect(received == [
            .user(id: alice.id, change: .created, actor: .scim),
            .user(id: alice.id, change: .deactivated, actor: .operator),
            .group(id: group.id, change: .created, actor: .scim),
            .group(id: group.id, change: .deleted, actor: .scim),
        ])
    }

    @Test func listPagesAreStableAndCounted() throws {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<25 { ids.append(try directory.createUser(userJSON("user\(i)@example.com")).id) }
        var seen: [String] = []
        var start = 1
        while true {
            let page = try directory.listUsers(ListQuery(startIndex: start, count: 10))
            #expect(page.totalResults == 25)
            if page.items.isEmpty { break }
            seen += page.items.map(\.id)
            start += page.items.count
        }
        #expect(seen == ids)
        let sorted = try directory.listUsers(ListQuery(count: 3, sortBy: AttributePath(attribute: "userName"), descending: true))
        #expect(sorted.items.map(\.userName) == ["user9@example.com", "user8@example.com", "user7@example.com"])
    }

    @Test func indexedFiltersUseIndexes() throws {
        let directory = try makeDirectory()
        let cases: [(String, (AttributePath) -> FilterColumn?)] = [
            (#"userName eq "a@b.c""#, FilterSQL.userColumn),
            (#"externalId eq "00u1""#, FilterSQL.userColumn),
            (#"displayName eq "Alice""#, FilterSQL.userColumn),
            (#"emails.value eq "a@b.c""#, FilterSQL.userColumn),
            (#"emails[value eq "a@b.c"]"#, FilterSQL.userColumn),
            (#"displayName eq "Engineering""#, FilterSQL.groupColumn),
            (#"externalId eq "00g1""#, FilterSQL.groupColumn),
        ]
        for (text, columns) in cases {
            let condition = try #require(FilterSQL.translate(Filter.parse(text), columns: columns), "\(text)")
            let table = text.contains("Engineering") || text.contains("00g1") ? "groups" : "users"
            let plan = try directory.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT seq FROM \(table) WHERE \(condition.sql)",
                                 arguments: condition.arguments).map { $0["detail"] as String }
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN \(table)") }, "\(text): \(plan)")
            #expect(plan.contains { $0.contains("INDEX") }, "\(text): \(plan)")
        }
    }

    /// A deep page skips rows over the narrow `seq` index, not over the rows and their documents.
    @Test func deepPagesSkipOverTheSeqIndex() throws {
        let directory = try makeDirectory()
        for table in ["users", "groups"] {
            let plan = try directory.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT seq FROM \(table) ORDER BY seq LIMIT 100 OFFSET 90000")
                    .map { $0["detail"] as String }
            }
            #expect(plan == ["SCAN \(table) USING COVERING INDEX \(table)_by_seq"], "\(plan)")
        }
    }

    @Test func sqlAndSwiftEvaluationAgree() throws {
        let directory = try makeDirectory()
        _ = try directory.createUser(userJSON("alice@example.com", external: "00uA", email: "Alice@Work.example"))
        _ = try directory.createUser(userJSON("bob@example.com"))
        _ = try directory.createUser(["userName": "carol@example.com", "active": false])
        let filters = [
            #"userName eq "ALICE@example.com""#, #"userName sw "b""#, #"userName ew ".com""#, #"userName co "ol@""#,
            #"externalId eq "00uA""#, #"not (externalId eq "00uA")"#, "externalId pr", "not (externalId pr)",
            #"emails.value eq "alice@work.example""#, #"emails eq "bob@example.com""#, "active eq false",
            #"active eq "true""#, #"displayName eq "user bob@example.com""#, #"externalId ne "00uA""#,
            #"userName eq "carol@example.com" or externalId eq "00uA""#, #"meta.created gt "2000-01-01T00:00:00Z""#,
        ]
        let all = try directory.listUsers(ListQuery(count: 100)).items
        for text in filters {
            let filter = try Filter.parse(text)
            #expect(FilterSQL.translate(filter, columns: FilterSQL.userColumn) != nil, "\(text) should run in SQL")
            let viaSQL = try directory.listUsers(ListQuery(filter: filter, count: 100)).items.map(\.userName)
            let viaSwift = all.filter { filter.matches($0.representation(baseURL: ""), type: .user) }.map(\.userName)
            #expect(viaSQL == viaSwift, "\(text)")
        }
        // A filter with no column is evaluated in Swift, correctly.
        let title = try directory.listUsers(ListQuery(filter: Filter.parse(#"name.givenName pr or userName eq "bob@example.com""#)))
        #expect(title.items.map(\.userName) == ["bob@example.com"])
        #expect(title.totalResults == 1)
    }

    @Test func requestLogIsBounded() throws {
        let directory = try makeDirectory(requestLogCapacity: 5)
        for i in 0..<8 {
            try directory.requestLog.log(LoggedRequest(time: Date(), method: "GET", path: "/\(i)", query: "", status: 200, duration: 0.001,
                                            client: "127.0.0.1", userAgent: "test", requestHeaders: [], requestBody: "",
                                            responseBody: "", resourceID: nil))
        }
        let recent = try directory.requestLog.recent(limit: 100)
        #expect(recent.map(\.path) == ["/7", "/6", "/5", "/4", "/3"])
        #expect(try directory.requestLog.count() == 5)
    }

    @Test func concurrentMemberPatchesLoseNothing() async throws {
        let directory = try makeDirectory()
        var users: [String] = []
        for i in 0..<120 { users.append(try directory.createUser(userJSON("m\(i)@example.com")).id) }
        let group = try directory.createGroup(["displayName": "Burst",
                                               "members": .array(users[100..<120].map { ["value": .string($0)] })])
        // 100 adds and 20 removes, all at once, from many tasks.
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for id in users[0..<100] {
                tasks.addTask {
                    _ = try directory.patchGroup(id: group.id, PatchRequest(operations: [
                        PatchOperation(op: .add, path: PatchPath(attribute: AttributePath(attribute: "members")),
                                       value: [["value": .string(id)]])
                    ]))
                }
            }
            for id in users[100..<120] {
                tasks.addTask {
                    _ = try directory.patchGroup(id: group.id, PatchRequest(json: JSONCoding.parse("""
                        {"Operations":[{"op":"remove","path":"members[value eq \\"\(id)\\"]"}]}
                        """)))
                }
            }
            try await tasks.waitForAll()
        }
        let members = try #require(try directory.group(id: group.id)).members.map(\.id)
        #expect(Set(members) == Set(users[0..<100]))
        #expect(members.count == 100)
    }
}
