import Directory
import Foundation
import SCIM
import Testing
import TerminalUI
@testable import Console
import TestSupport

/// The live pane's state and views, on the in-memory surface, over a real Directory.
@Suite("Live pane")
struct LivePaneTests {
    static let size = Size(width: 120, height: 34)

    struct Scene {
        let directory: Directory
        let pane: LivePane
        let context = TerminalContext.offscreen(size: LivePaneTests.size)

        init(readOnly: Bool = false, requestLogBacklogBytes: Int = RequestLog.defaultBacklogBytes,
             exportFolder: String? = nil) throws {
            directory = try makeDirectory(requestLogBacklogBytes: requestLogBacklogBytes)
            pane = LivePane(directory: directory, configuration: .init(
                endpointURL: "http://127.0.0.1:9310/apis/scim.grafana.app/v0alpha1/namespaces/default",
                scimBasePath: "/apis/scim.grafana.app/v0alpha1/namespaces/default", readOnly: readOnly,
                exportFolder: exportFolder))
            // Reads count as instant, so a loaded test machine never makes a table wait
            // before showing a change (`DirectoryTable.dataChanged`, tested on its own).
            let instant = Date(timeIntervalSince1970: 0)
            pane.users.readClock = { instant }
            pane.teams.readClock = { instant }
        }

        @discardableResult
        func press(_ keys: Key...) -> AppStep {
            var last = AppStep.continue
            for k in keys { last = pane.handle(.key(k), context: context) }
            return last
        }

        func type(_ text: String) { for c in text { _ = pane.handle(.key(.char(c)), context: context) } }

        /// Delivers what the Directory published, as the console's forwarder does.
        func deliver(_ events: [DirectoryEvent]) {
            for e in events { _ = pane.handle(.message(e), context: context) }
        }

        /// A frame once a Users filter typed while every user's text was still being
        /// read can apply, as the console's ticks let it (`UsersTable.pendingFilter`).
        func frame() -> CellGrid {
            let deadline = Date().addingTimeInterval(10)
            while pane.users.pendingFilter != nil, pane.users.searchIndex.isReading, Date() < deadline { usleep(1_000) }
            return frameNow()
        }

        /// The frame as things stand, a filter typed during the read still pending.
        func frameNow() -> CellGrid {
            let grid = CellGrid(width: LivePaneTests.size.width, height: LivePaneTests.size.height)
            pane.draw(on: grid, context: context)
            return grid
        }

        @discardableResult
        func addUser(_ name: String, display: String? = nil) throws -> StoredUser {
            var doc: [String: JSONValue] = ["userName": .string(name), "emails": [["value": .string(name), "type": "work"]]]
            if let display { doc["displayName"] = .string(display) }
            let user = try directory.createUser(.object(doc))
            deliver([.user(id: user.id, change: .created, actor: .scim)])
            return user
        }

        func logRequest(_ path: String, status: Int = 200) throws {
            let id = try directory.requestLog.log(LoggedRequest(time: Date(), method: "GET", path: path, query: "", status: status,
                                                     duration: 0.002, client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0",
                                                     requestHeaders: ["Authorization: Bearer [redacted]"], requestBody: "",
                                                     responseBody: "{}", resourceID: nil))
            deliver([.requestLogged(id: id, status: status)])
        }
    }

    @Test func usersArriveAndTheSelectionStaysOnItsRow() throws {
        let s = try Scene()
        for name in ["carol@example.com", "dave@example.com", "erin@example.com"] { try s.addUser(name) }
        s.press(.char("S"))  // newest first: new users arrive above the selection
        _ = s.frame()
        s.press(.down)
        #expect(s.frame().contains("Users (3/3)"))
        let selected = try #require(s.pane.selectedID)
        #expect(try s.directory.user(id: selected)?.userName == "dave@example.com")
        try s.addUser("frank@example.com")
        try s.addUser("grace@example.com", display: "Grace Hopper")
        let grid = s.frame()
        #expect(s.pane.selectedID == selected)
        #expect(grid.contains("Users (5/5)"))
        // The new rows are marked (row_new) and the selection is still dave's row.
        let styled = grid.dumpStyled()
        #expect(styled.contains("[row_new]grace@example.com"))
        #expect(styled.contains("[selection*]dave@example.com") || styled.contains("[selection]dave@example.com"))
        #expect(grid.contains("Grace Hopper"))
    }

    @Test func filterAndSort() throws {
        let s = try Scene()
        try s.addUser("zoe@example.com", display: "Zoë Müller")
        try s.addUser("ada@example.com", display: "Ada Lovelace")
        try s.addUser("bob@example.com")
        s.press(.char("/"))
        s.type("zoe")
        var grid = s.frame()
        #expect(grid.contains("Users (1/3) </zoe>"))
        #expect(!grid.contains("ada@example.com"))
        s.press(.enter)
        s.press(.escape)  // Esc in the table clears the filter
        grid = s.frame()
        #expect(grid.contains("Users (3/3)"))
        s.press(.char("s"))  // sort by userName
        grid = s.frame()
        #expect(grid.contains("userName ▲"))
        let rows = (0..<grid.size.height).map { grid.line($0) }.filter { $0.contains("@example.com") }
        #expect(rows.first?.contains("ada@example.com") == true)
        s.press(.char("S"))
        #expect(s.frame().contains("userName ▼"))
    }

    /// A key typed while the filter's copy of every user's text is still being read
    /// is not a frame that waits for the read: the table shows what it showed and
    /// says so, and takes the filter at the first frame (or tick) after the read.
    @Test func aFilterTypedDuringTheReadWaitsForItWithoutHoldingAFrame() throws {
        let s = try Scene()
        try s.addUser("zoe@example.com", display: "Zoë Müller")
        try s.addUser("ada@example.com", display: "Ada Lovelace")
        try s.addUser("bob@example.com")
        _ = s.frame()
        let gate = DispatchSemaphore(value: 0)
        s.pane.users.searchIndex.readGate = gate
        s.press(.char("/"))
        s.type("zoe")
        #expect(s.pane.users.pendingFilter == "zoe")
        var grid = s.frameNow()
        #expect(grid.contains("Users (3/3) · reading users to filter…"), "\(grid.line(3))")
        #expect(grid.contains("ada@example.com"), "what it showed, until the read is in")
        // The console asks for a tick soon, to apply the filter once the read is in.
        let now = Date()
        #expect(try #require(s.pane.nextTick(after: now)) <= now.addingTimeInterval(0.02))
        s.press(.enter)  // leaving the prompt keeps the filter pending
        #expect(s.pane.users.pendingFilter == "zoe")
        gate.signal()
        grid = s.frame()
        #expect(grid.contains("Users (1/3) </zoe>"))
        #expect(!grid.contains("ada@example.com"))
        #expect(!grid.contains("reading users to filter"))
        #expect(s.pane.users.pendingFilter == nil)

        // Esc while a read is under way clears the filter at once, pending or not.
        s.pane.users.readAnew()
        let second = DispatchSemaphore(value: 0)
        s.pane.users.searchIndex.readGate = second
        s.press(.escape)
        s.press(.char("/"))
        s.type("ada")
        #expect(s.pane.users.pendingFilter == "ada")
        s.press(.escape)
        #expect(s.pane.users.pendingFilter == nil)
        grid = s.frameNow()
        #expect(grid.contains("Users (3/3)"))
        #expect(!grid.contains("reading users to filter"))
        second.signal()
    }

    /// A filtered Users tab keeps its matches from events; told that events were
    /// missed, it reads them anew, and shows a change it was never told of.
    @Test func missedEventsAreReadAnew() throws {
        let s = try Scene()
        let zoe = try s.addUser("zoe@example.com", display: "Zoë Müller")
        try s.addUser("ada@example.com", display: "Ada Lovelace")
        s.press(.char("/"))
        s.type("lovelace")
        s.press(.enter)
        #expect(s.frame().contains("Users (1/2) </lovelace>"))
        // Renamed with no event delivered, as if it were among those dropped.
        _ = try s.directory.replaceUser(id: zoe.id, with: ["userName": "zoe@example.com", "displayName": "Zoë Lovelace"])
        #expect(s.frame().contains("Users (1/2) </lovelace>"), "kept as last told")
        s.deliver([.eventsMissed])
        let grid = s.frame()
        #expect(grid.contains("Users (2/2) </lovelace>"))
        #expect(grid.contains("Zoë Lovelace"))
    }

    @Test func confirmDialogDeactivatesThroughTheDirectory() throws {
        let s = try Scene()
        let alice = try s.addUser("alice@example.com", display: "Alice Smith")
        _ = s.frame()
        s.press(.char("d"))
        var grid = s.frame()
        #expect(grid.contains("Deactivate alice@example.com (Alice Smith)?"))
        #expect(grid.contains("Okta may set it back"))
        s.press(.enter)  // focus starts on Cancel
        #expect(try s.directory.user(id: alice.id)?.active == true)
        #expect(s.frame().contains("Cancelled; nothing changed."))
        s.press(.char("d"))
        s.press(.char("n"))
        #expect(try s.directory.user(id: alice.id)?.active == true)
        s.press(.char("d"))
        s.press(.char("y"))
        #expect(try s.directory.user(id: alice.id)?.active == false)
        grid = s.frame()
        #expect(grid.contains("Deactivated alice@example.com."))
        // `a` reactivates the same way.
        s.press(.char("a"), .char("y"))
        #expect(try s.directory.user(id: alice.id)?.active == true)
        // And by command.
        s.press(.char(":"))
        s.type("deactivate ALICE@example.com")
        s.press(.enter)
        #expect(s.frame().contains("Deactivate alice@example.com"))
        s.press(.char("y"))
        #expect(try s.directory.user(id: alice.id)?.active == false)
    }

    @Test func readOnlyHidesHandActions() throws {
        let s = try Scene(readOnly: true)
        let alice = try s.addUser("alice@example.com")
        var grid = s.frame()
        #expect(!grid.contains("deactivate"))
        s.press(.char("d"))
        grid = s.frame()
        #expect(grid.contains("Read-only"))
        #expect(!grid.contains("Deactivate alice"))
        s.press(.char("?"))
        #expect(!s.frame().contains("deactivate the selected user"))
        #expect(try s.directory.user(id: alice.id)?.active == true)
    }

    @Test func requestsFollowAndPause() throws {
        let s = try Scene()
        s.press(.char("3"))
        for i in 0..<5 { try s.logRequest("/r\(i)") }
        var grid = s.frame()
        #expect(grid.contains("Requests (5/5) · following"))
        #expect(s.pane.selectedID == "5")
        try s.logRequest("/r5")
        _ = s.frame()
        #expect(s.pane.selectedID == "6")  // follow sticks to the newest
        s.press(.up)  // any manual move stops following
        try s.logRequest("/r6")
        grid = s.frame()
        #expect(s.pane.selectedID == "5")
        #expect(!grid.contains("· following"))
        s.press(.char("f"))
        _ = s.frame()
        #expect(s.pane.selectedID == "7")
        s.press(.char(" "))
        for i in 7..<10 { try s.logRequest("/r\(i)", status: 404) }
        grid = s.frame()
        #expect(grid.contains("PAUSED · 3 new"))
        #expect(grid.contains("Requests (7/7)"))
        s.press(.char(" "))
        grid = s.frame()
        #expect(grid.contains("LIVE"))
        #expect(grid.contains("Requests (10/10)"))
        #expect(grid.contains("errors 30%"))
    }

    /// Exchanges the log's writer could not keep up with are counted in the header,
    /// so a gap in the Requests tab is never silent.
    @Test func theHeaderCountsExchangesNotLogged() async throws {
        let s = try Scene(requestLogBacklogBytes: 1)
        #expect(!s.frame().contains("not logged"))
        for path in ["/a", "/b", "/c"] {
            s.directory.requestLog.logSoon(LoggedRequest(time: Date(), method: "GET", path: path, query: "", status: 200, duration: 0.001,
                                              client: "127.0.0.1", userAgent: "Okta", requestHeaders: [], requestBody: "",
                                              responseBody: "", resourceID: nil))
        }
        await s.directory.requestLog.flush()
        #expect(s.frame().contains("2 not logged"))
    }

    /// Exchanges logged without their long response bodies are counted in the header too.
    @Test func theHeaderCountsBodiesNotKept() async throws {
        let body = String(repeating: "x", count: 10_000)
        func page(_ start: Int) -> LoggedRequest {
            LoggedRequest(time: Date(), method: "GET", path: "/Users", query: "startIndex=\(start)", status: 200,
                          duration: 0.001, client: "127.0.0.1", userAgent: "Okta", requestHeaders: [], requestBody: "",
                          responseBody: body, resourceID: nil)
        }
        let s = try Scene(requestLogBacklogBytes: 11_000)  // one page waits whole; a second, over it, without its body
        #expect(!s.frame().contains("not kept"))
        for start in [1, 101] { s.directory.requestLog.logSoon(page(start)) }
        await s.directory.requestLog.flush()
        let grid = s.frame()
        #expect(grid.contains("1 body not kept"))
        #expect(!grid.contains("not logged"))
    }

    /// A console opened after traffic shows the last three minutes' rate and errors at once
    /// (read from the log's lines), and its Requests tab follows from the newest.
    @Test func aConsoleOpenedAfterTrafficShowsItsRateAndFollowsTheNewest() throws {
        let directory = try makeDirectory()
        let now = Date()
        for (age, status) in [(240.0, 500), (20, 200), (10, 404)] {
            try directory.requestLog.log(LoggedRequest(time: now.addingTimeInterval(-age), method: "GET", path: "/Users", query: "",
                                            status: status, duration: 0.001, client: "127.0.0.1", userAgent: "Okta",
                                            requestHeaders: [], requestBody: "", responseBody: "", resourceID: nil))
        }
        let pane = LivePane(directory: directory, configuration: .init(
            endpointURL: "http://127.0.0.1:9310/apis/scim.grafana.app/v0alpha1/namespaces/default",
            scimBasePath: "/apis/scim.grafana.app/v0alpha1/namespaces/default", readOnly: false))
        let grid = CellGrid(width: LivePaneTests.size.width, height: LivePaneTests.size.height)
        let context = TerminalContext.offscreen(size: LivePaneTests.size)
        pane.draw(on: grid, context: context)
        // One error of the two requests in the last minute; the 500 from four minutes ago is out of the window.
        #expect(grid.line(0).contains("errors 50%"), "\(grid.line(0))")
        _ = pane.handle(.key(.char("3")), context: context)
        pane.draw(on: grid, context: context)
        #expect(grid.contains("Requests (3/3) · following"))
        #expect(pane.selectedID == "3")
    }

    @Test func requestDetailShowsBeforeAndAfter() throws {
        let s = try Scene()
        let before = #"{"id":"u1","userName":"a@b.c","active":true,"meta":{"version":"W/\"1\""}}"#
        let after = #"{"id":"u1","userName":"a@b.c","active":false,"title":"Eng","meta":{"version":"W/\"2\""}}"#
        let id = try s.directory.requestLog.log(LoggedRequest(
            time: Date(), method: "PATCH", path: "/apis/scim.grafana.app/v0alpha1/namespaces/default/Users/u1", query: "",
            status: 200, duration: 0.003, client: "10.0.0.7", userAgent: "Okta SCIM Client 1.0.0",
            requestHeaders: ["Authorization: Bearer [redacted]"],
            requestBody: #"{"Operations":[{"op":"replace","value":{"active":false}}]}"#, responseBody: after,
            resourceID: "u1", resourceBefore: before))
        s.deliver([.requestLogged(id: id, status: 200)])
        s.press(.char("3"))
        let grid = s.frame()
        #expect(grid.contains("…/Users/u1"))
        #expect(grid.contains("Okta"))
        s.press(.enter)
        let detail = s.frame().dump()
        #expect(detail.contains("~ active: true → false"))
        #expect(detail.contains("+ title: \"Eng\""))
        #expect(!detail.contains("meta.version"))
        #expect(detail.contains("Authorization: Bearer [redacted]"))
    }

    /// The detail pane is rebuilt only for events that may change it, and
    /// always for those: its own row's, its teams', its members'.
    @Test func detailFollowsEventsAboutWhatItShows() throws {
        let s = try Scene()
        let alice = try s.addUser("alice@example.com")
        let bob = try s.addUser("bob@example.com")
        _ = s.frame()
        #expect(s.pane.selectedID == alice.id)
        func detail() -> String { s.frame().dump().replacingOccurrences(of: " ", with: "") }
        #expect(detail().contains("\"active\":true"))

        // Another user's change leaves the detail; the selected user's own change shows.
        _ = try s.directory.setActive(false, userID: bob.id, actor: .operator)
        s.deliver([.user(id: bob.id, change: .deactivated, actor: .operator)])
        #expect(detail().contains("\"active\":true"))
        _ = try s.directory.setActive(false, userID: alice.id, actor: .operator)
        s.deliver([.user(id: alice.id, change: .deactivated, actor: .operator)])
        #expect(detail().contains("\"active\":false"))

        // A team's event names no users, so any may change the user's teams.
        let team = try s.directory.createGroup(["displayName": "Eng", "members": [["value": .string(alice.id)]]])
        s.deliver([.group(id: team.id, change: .created, actor: .scim)])
        #expect(detail().contains("Teams:Eng"))
        _ = try s.directory.replaceGroup(id: team.id, with: ["displayName": "Platform", "members": [["value": .string(alice.id)]]])
        s.deliver([.group(id: team.id, change: .updated, actor: .scim)])
        #expect(detail().contains("Teams:Platform"))

        // A team's detail lists its members by userName: any user's change may rename one.
        s.press(.char("2"))
        #expect(detail().contains("alice@example.com"))
        _ = try s.directory.replaceUser(id: alice.id, with: ["userName": "alice.b@example.com", "active": false])
        s.deliver([.user(id: alice.id, change: .updated, actor: .scim)])
        #expect(detail().contains("alice.b@example.com"))
    }

    /// A team's membership PATCH answers 204 with no body: the detail lists
    /// the operations as sent, since there is no after to compare.
    @Test func requestDetailOfA204MembershipPatchListsItsOperations() throws {
        let s = try Scene()
        let id = try s.directory.requestLog.log(LoggedRequest(
            time: Date(), method: "PATCH", path: "/apis/scim.grafana.app/v0alpha1/namespaces/default/Groups/g1", query: "",
            status: 204, duration: 0.001, client: "10.0.0.7", userAgent: "Okta SCIM Client 1.0.0",
            requestHeaders: ["Authorization: Bearer [redacted]"],
            requestBody: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"89bb\"]"},{"op":"add","path":"members","value":[{"value":"23a3","display":"alice@example.com"},{"value":"77cc"}]}]}"#,
            responseBody: "", resourceID: "g1"))
        s.deliver([.requestLogged(id: id, status: 204)])
        s.press(.char("3"), .enter)
        let detail = s.frame().dump()
        #expect(detail.contains("Changes applied (answered 204, no body to compare):"))
        #expect(detail.contains("- members[value eq \"89bb\"]"))
        #expect(detail.contains("+ members: 23a3  (alice@example.com)"))
        #expect(detail.contains("+ members: 77cc"))
        #expect(!detail.contains("Changed attributes"))
    }

    @Test func teamsListMembersAndJumpToTheUser() throws {
        let s = try Scene()
        let alice = try s.addUser("alice@example.com")
        let bob = try s.addUser("bob@example.com")
        let team = try s.directory.createGroup(["displayName": "Engineering",
                                                "members": [["value": .string(alice.id)], ["value": .string(bob.id)]]])
        s.deliver([.group(id: team.id, change: .created, actor: .scim)])
        s.press(.char("2"))
        var grid = s.frame()
        #expect(grid.contains("Engineering"))
        #expect(grid.contains("Members (2):"))
        s.press(.enter, .down)
        grid = s.frame()
        #expect(grid.contains("Members — Enter jumps to the user"))
        s.press(.enter)
        grid = s.frame()
        #expect(s.pane.tab == .users)
        #expect(s.pane.selectedID == bob.id)
        #expect(grid.contains("Jumped to bob@example.com."))
    }

    @Test func quitAsksAndCommandsWork() throws {
        let s = try Scene()
        #expect(s.press(.char("q")) == .continue)
        #expect(s.frame().contains("Quit scim-console?"))
        #expect(s.press(.char("n")) == .continue)
        #expect(s.press(.char("q"), .char("y")) == .quit(0))
        #expect(s.press(.char("Q")) == .quit(0))
        s.press(.char(":"))
        s.type("teams")
        s.press(.enter)
        #expect(s.pane.tab == .teams)
        s.press(.char(":"))
        s.type("frobnicate")
        s.press(.enter)
        #expect(s.frame().contains("Unknown command \":frobnicate\""))
        s.press(.char("?"))
        #expect(s.frame().contains("deactivate the selected user"))
    }

    @Test func tooSmall() throws {
        let s = try Scene()
        let grid = CellGrid(width: 60, height: 20)
        s.pane.draw(on: grid, context: .offscreen(size: Size(width: 60, height: 20)))
        #expect(grid.contains("terminal too small: 60×20, need 80×24"))
    }

    @Test func drawsOnlyTheVisibleWindowOfALargeTable() throws {
        let s = try Scene()
        for i in 0..<2_000 { _ = try s.directory.createUser(["userName": .string("user\(i)@example.com")]) }
        s.deliver([.user(id: "x", change: .created, actor: .scim)])
        s.press(.end)
        let grid = s.frame()
        #expect(grid.contains("Users (2000/2000)"))
        #expect(grid.contains("user1999@example.com"))
        #expect(!grid.contains("user0@example.com "))
    }
}
