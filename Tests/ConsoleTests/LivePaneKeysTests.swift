import ConsoleQueries
import Directory
import Foundation
import SCIM
import Testing
import TerminalUI
@testable import Console
import TestSupport

/// The live pane as a newcomer meets it: one key table behind dispatch,
/// footer, help and read-only; the header and footer at 80 columns; the
/// command line's matching, completion and history; the request detail.
@Suite("Live pane keys and layout")
struct LivePaneKeysTests {
    typealias Scene = LivePaneTests.Scene

    static func frame(_ s: Scene, _ size: Size) -> CellGrid {
        let grid = CellGrid(width: size.width, height: size.height)
        s.pane.draw(on: grid, context: .offscreen(size: size))
        return grid
    }

    @Test func everyKeyTheTableNamesIsInTheHelpAndWorks() throws {
        let s = try Scene()
        let help = LiveKeyTable.helpSections(readOnly: false).flatMap(\.bindings).map(\.keys).joined(separator: " ")
        for key in ["j", "k", "Ctrl-B", "Ctrl-F", "g", "G", "/", "n", "N", "?", "q", "Q Ctrl-C", "d", "a", "Space", "f"] {
            #expect(help.contains(key), "\(key) is not in the help")
        }
        for name in ["a@example.com", "b@example.com", "c@example.com"] { try s.addUser(name) }
        _ = s.frame()
        s.press(.char("j"))
        #expect(try s.directory.user(id: s.pane.selectedID!)?.userName == "b@example.com")
        s.press(.char("G"))
        #expect(try s.directory.user(id: s.pane.selectedID!)?.userName == "c@example.com")
        s.press(.ctrl("b"))
        #expect(try s.directory.user(id: s.pane.selectedID!)?.userName == "a@example.com")
        s.press(.ctrl("f"))
        #expect(try s.directory.user(id: s.pane.selectedID!)?.userName == "c@example.com")
        s.press(.char("k"))
        #expect(try s.directory.user(id: s.pane.selectedID!)?.userName == "b@example.com")
    }

    @Test func readOnlyHidesWhatChangesStateEverywhereAndSaysSo() throws {
        let s = try Scene(readOnly: true)
        try s.addUser("a@example.com")
        let grid = s.frame()
        #expect(grid.contains("READ-ONLY"))
        #expect(!grid.contains("deactivate"))
        let help = LiveKeyTable.helpSections(readOnly: true).flatMap(\.bindings)
        #expect(!help.contains { $0.keys == "d" || $0.keys == "a" || $0.keys == ":deactivate NAME" })
        s.press(.char("d"))
        #expect(s.frame().contains("Read-only: the console was started with --read-only."))
        s.press(.char(":"))
        s.type("deactivate a@example.com")
        s.press(.enter)
        #expect(try s.directory.user(named: "a@example.com")?.active == true)
    }

    @Test func headerKeepsEndpointCountsAndLiveAt80ColumnsAndDropsTheSparklineFirst() throws {
        let s = try Scene()
        try s.addUser("a@example.com")
        _ = try s.directory.createGroup(["displayName": "Platform"])
        s.deliver([.group(id: "x", change: .created, actor: .scim)])
        // Requests with errors give the header an error rate too.
        for _ in 0..<3 { try s.logRequest("/apis/scim.grafana.app/v0alpha1/namespaces/default/Users", status: 401) }
        s.press(.char("3"), .char(" "))  // paused: PAUSED · N new is the widest state
        let narrow = Self.frame(s, Size(width: 80, height: 24)).line(0)
        for part in ["127.0.0.1:9310 · default", "1 user ", "1 team ", "PAUSED"] {
            #expect(narrow.contains(part), "\(part) missing from \(narrow)")
        }
        #expect(!narrow.contains("1 users") && !narrow.contains("1 teams"))
        let wide = Self.frame(s, Size(width: 120, height: 40)).line(0)
        #expect(wide.contains("127.0.0.1:9310 · default") && wide.contains("errors 100%") && wide.contains("req/s"))
        // The header's segments give way by rank: the sparkline first, the endpoint never.
        let segments = s.pane.headerSegments(now: Date(), asciiOnly: false)
        let fitted = HeaderBar(title: "scim-console", segments: segments).fitting(40).map(\.text)
        #expect(fitted.contains("127.0.0.1:9310 · default") && fitted.contains("1 user") && fitted.contains("1 team"))
    }

    @Test func footerKeepsHelpAndQuitAtEveryWidth() throws {
        let s = try Scene()
        for tab in ["1", "2", "3"] {
            s.press(.char(Character(tab)))
            let footer = Self.frame(s, Size(width: 80, height: 24)).line(22)
            #expect(footer.contains("? help") && footer.contains("q quit"), "tab \(tab): \(footer)")
            #expect(!footer.contains("…"))
        }
    }

    @Test func helpScrollsToItsEndAt80x24() throws {
        let s = try Scene()
        let small = TerminalContext.offscreen(size: Size(width: 80, height: 24))
        func press(_ key: Key) { _ = s.pane.handle(.key(key), context: small) }
        press(.char("?"))
        var grid = Self.frame(s, Size(width: 80, height: 24))
        #expect(grid.contains("Help — ↑↓ PgDn scroll"))
        #expect(!grid.contains("Esc or ? closes this help"))
        press(.char("G"))
        grid = Self.frame(s, Size(width: 80, height: 24))
        #expect(grid.contains("Esc or ? closes this help"))
        press(.char("g"))
        #expect(Self.frame(s, Size(width: 80, height: 24)).contains("Everywhere"))
        press(.char("j"))
        press(.pageDown)
        #expect(!Self.frame(s, Size(width: 80, height: 24)).contains("Everywhere"))
        press(.escape)
        #expect(!Self.frame(s, Size(width: 80, height: 24)).contains("Help"))
    }

    @Test func commandFindsAUniquePartListsCandidatesCompletesAndRecalls() throws {
        let s = try Scene()
        try s.addUser("zoe.muller@example.com", display: "Zoë Müller")
        try s.addUser("ada.lovelace@example.com", display: "Ada Lovelace")
        try s.addUser("ada.byron@example.com", display: "Ada Byron")
        _ = s.frame()
        s.press(.char(":"))
        s.type("deactivate zoe")
        s.press(.enter)
        #expect(s.frame().contains("Deactivate zoe.muller@example.com"))
        s.press(.char("y"))
        #expect(try s.directory.user(named: "zoe.muller@example.com")?.active == false)
        // Ambiguous: the candidates are listed and nothing changes.
        s.press(.char(":"))
        s.type("deactivate ada")
        s.press(.enter)
        let grid = s.frame()
        #expect(grid.contains("\"ada\" matches 2 users (ada.byron@example.com, ada.lovelace@example.com)"))
        // Tab completes the verb, then the longest shared start of the names.
        s.press(.char(":"))
        s.type("deac")
        s.press(.tab)
        s.type("ada.l")
        s.press(.tab)
        #expect(s.frame().contains(":deactivate ada.lovelace@example.com"))
        s.press(.escape)
        // ↑ recalls the lines entered.
        s.press(.char(":"), .up)
        #expect(s.frame().contains(":deactivate ada"))
        s.press(.up)
        #expect(s.frame().contains(":deactivate zoe"))
        s.press(.escape)
    }

    @Test func handActionsAreLoggedAsTheConsolesOwnAndStayOutOfTheErrorRate() throws {
        let s = try Scene()
        let user = try s.addUser("a@example.com")
        try s.logRequest("/apis/scim.grafana.app/v0alpha1/namespaces/default/Users", status: 200)
        _ = s.frame()
        s.press(.char("d"), .char("y"))
        let logged = try #require(try s.directory.requestLog.recent(limit: 1).first)
        #expect(logged.method == "PATCH" && logged.path.hasSuffix("/Users/\(user.id)") && logged.isByConsole)
        #expect(logged.requestBody.contains("\"value\":false"))
        // A wrong-token probe of the console's own is not an error of Okta's.
        let probe = try s.directory.requestLog.log(LoggedRequest(
            time: Date(), method: "GET", path: "/apis/scim.grafana.app/v0alpha1/namespaces/default/Users", query: "",
            status: 401, duration: 0.001, client: "127.0.0.1", userAgent: "scim-console-setup/0.1", requestHeaders: [],
            requestBody: "", responseBody: "{}", resourceID: nil))
        s.deliver([.requestLogged(id: probe, status: 401, byConsole: true)])
        #expect(s.frame().line(0).contains("errors 0%"))
        s.press(.char("3"))
        let grid = s.frame()
        #expect(grid.contains("console"))
        #expect(grid.contains("(a@example.com)"))  // whose /Users/{id} it is
    }

    @Test func requestsFilterTakesStatusMethodAndUserTerms() throws {
        let s = try Scene()
        let ada = try s.addUser("ada@example.com")
        let base = "/apis/scim.grafana.app/v0alpha1/namespaces/default"
        // As the endpoint logs it: the user it touched named by id.
        let touched = try s.directory.requestLog.log(LoggedRequest(
            time: Date(), method: "GET", path: "\(base)/Users/\(ada.id)", query: "", status: 200, duration: 0.001,
            client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0", requestHeaders: [], requestBody: "",
            responseBody: "{}", resourceID: ada.id))
        s.deliver([.requestLogged(id: touched, status: 200)])
        try s.logRequest("\(base)/Users/nobody", status: 404)
        try s.logRequest("\(base)/Groups", status: 500)
        s.press(.char("3"), .char("/"))
        s.type("status:4xx")
        #expect(s.frame().contains("Requests (1/3) </status:4xx>"))
        s.press(.escape, .char("/"))
        s.type("user:ada")
        #expect(s.frame().contains("Requests (1/3) </user:ada>"))
        s.press(.escape, .char("/"))
        s.type("method:get status:500")
        #expect(s.frame().contains("Requests (1/3)"))
        #expect(RequestFilter("status:5xx method:patch zoe") == {
            var f = RequestFilter("")
            f.status = .hundreds(5)
            f.method = "PATCH"
            f.text = "zoe"
            return f
        }())
    }

    @Test func requestDetailShowsResponseHeadersWrapsAndSearches() throws {
        let s = try Scene()
        let long = String(repeating: "x", count: 300)
        let id = try s.directory.requestLog.log(LoggedRequest(
            time: Date(), method: "GET", path: "/apis/scim.grafana.app/v0alpha1/namespaces/default/Users/0b6d", query: "",
            status: 200, duration: 0.002, client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0",
            requestHeaderText: "Accept: application/scim+json", requestBody: "",
            responseBytes: Array("{\"$ref\":\"https://example.com/\(long)END\"}".utf8), resourceID: nil,
            responseHeaderText: "Content-Type: application/scim+json; charset=utf-8"))
        s.deliver([.requestLogged(id: id, status: 200)])
        s.press(.char("3"), .enter)
        var grid = s.frame()
        #expect(grid.contains("Response headers:"))
        #expect(grid.contains("Content-Type: application/scim+json; charset=utf-8"))
        // The long $ref wraps: its end is on screen once scrolled to, not cut.
        s.press(.char("/"))
        s.type("END")
        s.press(.enter)
        grid = s.frame()
        #expect(grid.contains("END\""))
        #expect(grid.contains("\"END\": match 1 of 1"))
    }

    @Test func displayNamesSortAsAPersonExpects() throws {
        let s = try Scene()
        try s.addUser("l@example.com", display: "Łukasz 山田")
        try s.addUser("z@example.com", display: "Zoë Müller")
        try s.addUser("a@example.com", display: "anna Ávila")
        s.press(.char("s"), .char("s"))  // userName, then display name
        // The table's three rows (the detail pane below holds an address too).
        var rows = s.frame().dump().split(separator: "\n").filter { $0.contains("@example.com") }.prefix(3)
        #expect(rows.map { $0.contains("anna") ? "a" : $0.contains("Łukasz") ? "l" : "z" }.joined() == "alz")
        s.press(.char("S"))
        rows = s.frame().dump().split(separator: "\n").filter { $0.contains("@example.com") }.prefix(3)
        #expect(rows.map { $0.contains("anna") ? "a" : $0.contains("Łukasz") ? "l" : "z" }.joined() == "zla")
    }

    @Test func mouseSelectsARowATabAndADialogButton() throws {
        let s = try Scene()
        try s.addUser("a@example.com")
        try s.addUser("b@example.com")
        _ = s.frame()
        let layout = s.pane.layout(LivePaneTests.size)
        _ = s.pane.handle(.mouse(x: 5, y: layout.table.y + 3, button: .left), context: s.context)
        #expect(try s.directory.user(id: s.pane.selectedID!)?.userName == "b@example.com")
        _ = s.pane.handle(.mouse(x: 15, y: layout.tabs.y, button: .left), context: s.context)  // " 2 Teams "
        #expect(s.pane.tab == .teams)
        s.press(.char("1"), .char("d"))
        let grid = s.frame()
        let row = try #require((0..<grid.size.height).first { grid.line($0).contains("[ Deactivate (y) ]") })
        let x = try #require(grid.line(row).range(of: "[ Deactivate")).lowerBound.utf16Offset(in: grid.line(row))
        _ = s.pane.handle(.mouse(x: x + 2, y: row, button: .left), context: s.context)
        #expect(try s.directory.user(named: "b@example.com")?.active == false)
    }
}

extension LivePaneKeysTests {
    /// `x` on a request: a curl command that sends it again, copied with OSC
    /// 52 and saved (0600) in the export folder; `$GRAFANA_TOKEN` in place of
    /// the token, which the log never had.
    @Test func xExportsTheRequestAsCurl() throws {
        let folder = ScratchFolder.make("exports")
        let s = try Scene(exportFolder: folder)
        let id = try s.directory.requestLog.log(LoggedRequest(
            time: Date(), method: "POST", path: "/apis/scim.grafana.app/v0alpha1/namespaces/default/Users", query: "",
            status: 201, duration: 0.002, client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0",
            requestHeaderText: "host: 127.0.0.1:9310\nauthorization: Bearer [redacted]\ncontent-type: application/scim+json",
            requestBody: #"{"userName":"ada@example.com"}"#, responseBytes: Array("{}".utf8), resourceID: nil))
        s.deliver([.requestLogged(id: id, status: 201)])
        _ = s.context.takePendingOutput()
        s.press(.char("3"))
        #expect(s.frame().contains("Requests (1/1)"))
        s.press(.char("x"))
        let path = "\(folder)/request-\(id).sh"
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.hasPrefix("curl -sS -X POST 'http://127.0.0.1:9310/apis/scim.grafana.app/v0alpha1/namespaces/default/Users'"))
        #expect(saved.contains(#"-H "Authorization: Bearer $GRAFANA_TOKEN""#) && !saved.contains("[redacted]"), "\(saved)")
        #expect(saved.contains(#"{"userName":"ada@example.com"}"#))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let copied = s.context.takePendingOutput().joined()
        #expect(copied.contains("\u{1B}]52;c;" + Data(saved.dropLast().utf8).base64EncodedString()), "the command went to the clipboard")
        #expect(s.frame().contains("Request \(id) as curl (set GRAFANA_TOKEN to run it): copied, and saved to "))
    }

    /// A selected answer Okta would count as a failure says its likely cause
    /// in one line under the Requests table; one it would accept says nothing.
    @Test func aSelectedFailureSaysItsCauseInOneLine() throws {
        let s = try Scene()
        func log(_ status: Int, _ body: String) throws -> Int64 {
            let id = try s.directory.requestLog.log(LoggedRequest(
                time: Date(), method: "GET", path: "/apis/scim.grafana.app/v0alpha1/namespaces/default/Users", query: "",
                status: status, duration: 0.002, client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0",
                requestHeaderText: "", requestBody: "", responseBytes: Array(body.utf8), resourceID: nil))
            s.deliver([.requestLogged(id: id, status: status)])
            return id
        }
        _ = try log(401, #"{"message":"invalid API key"}"#)
        s.press(.char("3"))
        let failed = s.frame()
        let statusLine = failed.line(failed.size.height - 1)
        #expect(statusLine.contains("! 401 · The token is wrong, expired or revoked"), "\(failed.dump())")
        _ = try log(200, #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"#)
        let fine = s.frame()
        #expect(!fine.contains("! 401 ·") && fine.contains("Requests (2/2)"), "following moved to the 200: \(fine.dump())")
    }
}
