import Foundation
import SCIM
import Testing
import TestSupport
@testable import ConsoleQueries
@testable import Directory

/// The console's windows over the tables: every window, read from whichever
/// end is nearer, is the matching slice of the whole ordered table, and a
/// user's position is its index in that order.
@Suite("Browsing windows")
struct BrowseTests {
    static func directoryWithGaps() throws -> Directory {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<41 {
            var user: [String: JSONValue] = ["userName": .string("u\((i * 17) % 41)@example.com")]
            if i % 3 != 0 { user["displayName"] = .string("Name \(i % 5)") }
            if i % 4 != 0 { user["externalId"] = .string("00u\(i % 7)") }
            ids.append(try directory.createUser(.object(user)).id)
        }
        // Holes in seq, as deletions leave them.
        for i in [3, 20, 38] { try directory.deleteUser(id: ids[i]) }
        return directory
    }

    @Test(arguments: Browse.UserOrder.allCases)
    func everyWindowIsTheSliceOfTheWholeOrder(_ order: Browse.UserOrder) throws {
        let directory = try Self.directoryWithGaps()
        for descending in [false, true] {
            let browse = Browse(descending: descending)
            // From offset 0 the table is always read forwards: the reference.
            let all = try directory.browseUsers(browse, order: order, range: 0..<1_000).map(\.id)
            #expect(all.count == 38)
            for start in 0...all.count {
                for size in [1, 7, 50] {
                    let window = try directory.browseUsers(browse, order: order, range: start..<(start + size)).map(\.id)
                    #expect(window == Array(all[start..<min(all.count, start + size)]),
                            "order \(order), descending \(descending), window \(start)..<\(start + size)")
                }
            }
            for (index, id) in all.enumerated() {
                #expect(try directory.userPosition(id: id, browse, order: order) == index,
                        "position of row \(index), order \(order), descending \(descending)")
            }
        }
    }
}

/// A filtered list reads its page and its number of matches in one statement;
/// an empty page (past the end, or `count=0`) still reports every match.
@Suite("Filtered pages")
struct FilteredPageTests {
    @Test func totalResultsCountEveryMatchWhateverThePage() throws {
        let directory = try makeDirectory()
        for i in 0..<12 {
            _ = try directory.createUser(["userName": .string("p\(i)@example.com"), "active": .bool(i % 3 != 0)])
        }
        let active = try Filter.parse("active eq true")
        func page(_ start: Int, _ count: Int) throws -> (Int, [String]) {
            let p = try directory.listUsers(ListQuery(filter: active, startIndex: start, count: count))
            return (p.totalResults, p.items.map(\.userName))
        }
        #expect(try page(1, 3) == (8, ["p1@example.com", "p2@example.com", "p4@example.com"]))
        #expect(try page(7, 5) == (8, ["p10@example.com", "p11@example.com"]))
        #expect(try page(9, 5) == (8, []))  // past the end
        #expect(try page(1, 0) == (8, []))  // count=0: the total alone
        let none = try directory.listUsers(ListQuery(filter: Filter.parse("userName eq \"nobody\""), startIndex: 1, count: 10))
        #expect(none.totalResults == 0 && none.items.isEmpty)
    }

    /// `userName eq`, `id eq` and a team's `displayName eq` name at most one row and are
    /// read in one statement. Each page must be what the general path answers: the same
    /// filter `and`-ed with a tautology goes through the count-and-order path.
    @Test func oneRowLookupsAnswerAsTheGeneralPathDoes() throws {
        let directory = try makeDirectory()
        var ids: [String] = []
        for i in 0..<5 { ids.append(try directory.createUser(["userName": .string("Look\(i)@Example.com")]).id) }
        let team = try directory.createGroup(["displayName": "Night Shift", "members": [["value": .string(ids[1])]]])
        let userFilters = ["userName eq \"look3@example.COM\"", "userName eq \"nobody\"", "id eq \"\(ids[2])\"",
                           "id eq \"\(ids[2].uppercased())\""]
        for text in userFilters {
            for (start, count) in [(1, 100), (1, 1), (1, 0), (2, 100), (0, 5)] {
                let fast = try directory.listUsers(ListQuery(filter: Filter.parse(text), startIndex: start, count: count))
                let general = try directory.listUsers(ListQuery(filter: Filter.parse("(\(text)) and active eq true"),
                                                                startIndex: start, count: count))
                #expect(fast.totalResults == general.totalResults, "\(text) \(start) \(count)")
                #expect(fast.items.map(\.id) == general.items.map(\.id), "\(text) \(start) \(count)")
            }
        }
        let found = try directory.listUsers(ListQuery(filter: Filter.parse(userFilters[0])))
        #expect(found.totalResults == 1 && found.items.map(\.userName) == ["Look3@Example.com"])
        let member = try directory.listUsers(ListQuery(filter: Filter.parse("userName eq \"look1@example.com\"")))
        #expect(member.items.first?.groups.map(\.displayName) == ["Night Shift"], "the user's teams come with its row")
        for text in ["displayName eq \"night shift\"", "id eq \"\(team.id)\"", "displayName eq \"Day Shift\""] {
            let fast = try directory.listGroups(ListQuery(filter: Filter.parse(text)))
            let general = try directory.listGroups(ListQuery(filter: Filter.parse("(\(text)) and displayName pr")))
            #expect(fast.totalResults == general.totalResults && fast.items.map(\.id) == general.items.map(\.id), "\(text)")
            #expect(fast.items.map { $0.members.map(\.id) } == general.items.map { $0.members.map(\.id) })
        }
    }
}

/// Unfiltered pages past the middle are read from the other end of the order.
@Suite("Pages from either end")
struct PagesFromEitherEndTests {
    /// With no gaps in `seq` a page's keys are computed, not stepped to. Every page must be
    /// the slice of the creation order, with gaps at either end (still dense) and in the
    /// middle (no longer dense: read by stepping).
    @Test func pagesOfATableWithoutGapsAreTheSliceOfTheCreationOrder() throws {
        let directory = try makeDirectory()
        var order: [String] = []
        for i in 0..<25 { order.append(try directory.createUser(["userName": .string("d\(i)@example.com")]).id) }
        func check(_ label: String) throws {
            for descending in [false, true] {
                let expected = descending ? Array(order.reversed()) : order
                func page(_ start: Int, _ count: Int) throws -> [String] {
                    let p = try directory.listUsers(ListQuery(startIndex: start, count: count, descending: descending))
                    #expect(p.totalResults == order.count, "\(label)")
                    return p.items.map(\.id)
                }
                #expect(try page(Int.max, 100).isEmpty, "\(label): far past the end")
                for start in 1...(order.count + 2) {
                    for count in [0, 1, 4, 30] {
                        let from = min(expected.count, start - 1)
                        #expect(try page(start, count) == Array(expected[from..<min(expected.count, from + count)]),
                                "\(label) descending \(descending) startIndex \(start) count \(count)")
                    }
                }
            }
        }
        try check("dense")
        try directory.deleteUser(id: order.removeFirst())
        try directory.deleteUser(id: order.removeLast())
        try check("ends deleted, still dense")
        order.append(try directory.createUser(["userName": "after@example.com"]).id)
        try check("a row after the deleted last one")
        try directory.deleteUser(id: order.remove(at: 10))
        try check("a gap in the middle")
    }

    @Test func everyPageIsTheSliceOfTheWholeList() throws {
        let directory = try BrowseTests.directoryWithGaps()
        for sortBy in [nil, "displayName", "externalId"] as [String?] {
            for descending in [false, true] {
                func page(_ start: Int, _ count: Int) throws -> [String] {
                    var parameters = ["startIndex": String(start), "count": String(count)]
                    if let sortBy { parameters["sortBy"] = sortBy; parameters["sortOrder"] = descending ? "descending" : "ascending" }
                    let p = try directory.listUsers(ListQuery(parameters: parameters))
                    #expect(p.totalResults == 38)
                    return p.items.map(\.id)
                }
                let all = try page(1, 1000)
                #expect(all.count == 38)
                #expect(try page(Int.max, 100).isEmpty, "far past the end: empty, no overflow")
                for start in 1...40 {
                    for count in [1, 5, 30] {
                        #expect(try page(start, count) == Array(all[min(all.count, start - 1)..<min(all.count, start - 1 + count)]),
                                "sortBy \(sortBy ?? "-") descending \(descending) startIndex \(start) count \(count)")
                    }
                }
            }
        }
    }

    /// The Requests tab's windows and positions, given the total (read from the nearer end)
    /// or not, filtered, paused and in either order, against the whole list.
    @Test func everyRequestWindowAndPositionMatchesTheWholeList() throws {
        let directory = try makeDirectory(requestLogCapacity: 25)
        try directory.requestLog.log((0..<31).map { i in
            LoggedRequest(time: Date(), method: i % 3 == 0 ? "PATCH" : "GET", path: "/Users/\(i)", query: "", status: 200,
                          duration: 0.001, client: "127.0.0.1", userAgent: "Okta", requestHeaders: [], requestBody: "",
                          responseBody: "", resourceID: nil)
        })  // ids 7...31 remain
        for filter in ["", "patch"] {
            for maxID: Int64? in [nil, 24] {
                for descending in [false, true] {
                    let browse = Browse(filter: filter, descending: descending)
                    let whole = try directory.requestLog.browseRequests(browse, maxID: maxID, range: 0..<100).map(\.id)
                    let total = try directory.requestLog.countRequests(browse, maxID: maxID)
                    #expect(whole.count == total)
                    #expect(whole == (descending ? whole.sorted(by: >) : whole.sorted()))
                    for start in 0...total {
                        for count in [1, 4, 40] {
                            let window = try directory.requestLog.browseRequests(browse, maxID: maxID, range: start..<(start + count), total: total)
                            #expect(window.map(\.id) == Array(whole.dropFirst(start).prefix(count)),
                                    "filter \(filter) maxID \(String(describing: maxID)) descending \(descending) \(start)+\(count)")
                        }
                    }
                    for (index, id) in whole.enumerated() {
                        #expect(try directory.requestLog.requestPosition(id: id, browse, maxID: maxID, total: total) == index)
                        #expect(try directory.requestLog.requestPosition(id: id, browse, maxID: maxID) == index)
                    }
                    #expect(try directory.requestLog.requestPosition(id: 3, browse, maxID: maxID, total: total) == nil)  // dropped off the log
                }
            }
        }
    }
}
