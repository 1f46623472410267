import Directory
import Foundation
import Testing
import TmuxTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// What a person sees, read from tmux with its colours: the console in
/// colour where the terminal has it and not under NO_COLOR, a resize drawn
/// at once, and the parts that matter kept at 80×24.
@Suite("Screen end to end (tmux)", .serialized)
struct ScreenEndToEndTests {
    static let binary = TmuxSession.builtExecutable("scim-console")

    /// A data dir with a few users and a refused request (a 401) in the log, and its console in tmux.
    static func console(width: Int = 120, height: Int = 40, environment: [String: String] = [:],
                        arguments: [String] = []) async throws -> (TmuxSession, String) {
        let dir = ScratchFolder.path("screen")
        let token = try ConsoleEndToEndTests.run(["token", "create", "--data-dir", dir]).trimmingCharacters(in: .whitespacesAndNewlines)
        let tmux = try TmuxSession([binary, "--data-dir", dir, "--port", "0", "--enable-scim", "--skip-setup"] + arguments,
                                   width: width, height: height, environment: environment)
        let screen = try tmux.waitFor("No users provisioned yet")
        let url = try #require(screen.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/apis\/scim\.grafana\.app\/v0alpha1\/namespaces\/default/)
            .map { String($0.output) })
        let out = try ConsoleEndToEndTests.run(["simulate", "--url", url, "--token", token, "--users", "4", "--groups", "1", "--rate", "0"])
        #expect(out.contains("0 answers not as Okta expects"))
        var refused = URLRequest(url: URL(string: "\(url)/Users")!)
        refused.setValue("Bearer glsa_wrong", forHTTPHeaderField: "Authorization")
        _ = try await URLSession.shared.data(for: refused)
        try tmux.waitFor("Users (4/4)")
        return (tmux, dir)
    }

    /// How the first user row, the one selected, is drawn.
    static func selectedRow(_ tmux: TmuxSession) throws -> TmuxSession.CellLook {
        let row = try #require(tmux.screen().split(separator: "\n").first { $0.contains("@example.com") && $0.contains("yes") })
        return try #require(tmux.look(of: String(row.dropFirst().prefix(12))))
    }

    /// The wizard on a fresh data dir, at its first step.
    static func wizard(_ name: String) throws -> TmuxSession {
        let tmux = try TmuxSession([binary, "--data-dir", ScratchFolder.path(name), "--port", "0"], width: 120, height: 40)
        try tmux.waitFor("Step 1 of 6")
        return tmux
    }

    @Test func drawsInColourWhereTheTerminalHasIt() async throws {
        let (tmux, _) = try await Self.console()
        defer { tmux.close() }
        // The header's title, in the default theme's title colour (37, a teal that reads on black and white).
        #expect(tmux.look(of: " scim-console ")?.foreground == 37, "\(String(describing: tmux.look(of: " scim-console ")))")
        // The selected row: dark text on that teal.
        let look = try Self.selectedRow(tmux)
        #expect(look.background == 37 && look.foreground == 16, "\(look)")
        // An error in the status line, in the error colour.
        try tmux.press(":")
        try tmux.type("deactivate nobody-at-all")
        try tmux.press("Enter")
        try tmux.waitFor("No user's userName")
        #expect(tmux.look(of: " No user's userName")?.foreground == 160)
        // A refused request (401) in the Requests table, in the warning colour: the row
        // above the newest, so the selection's colours are not what is read.
        try tmux.press("3")
        try tmux.waitFor(" 401 ")
        try tmux.press("k")
        try tmux.waitUntil("the selection moved off the 401 row") { !$0.contains("· following") }
        // "! 401" is the right-aligned status column, marked as explained: a time (".401") or a port (":4010") has no "! ".
        let refused = try #require(tmux.look(of: "! 401"))
        #expect(refused.foreground == 136 && refused.background == nil, "the 401 row is marked: \(refused)")
        try tmux.press("Q")
        _ = try tmux.waitForExit()
    }

    @Test func aDiffLineIsGreenInTheWizard() throws {
        let tmux = try Self.wizard("screen-wizard")
        defer { tmux.close() }
        try tmux.press("Enter")
        try tmux.waitFor("The embedded endpoint answered")
        try tmux.press("Enter")
        try tmux.waitFor("Step 2 of 6")
        try tmux.press("Enter")
        try tmux.waitFor("+ enableSCIM = true")
        #expect(tmux.look(of: "+ enableSCIM = true")?.foreground == 28)
        try tmux.press("C-q")
        _ = try tmux.waitForExit()
    }

    @Test func noColourUnderNO_COLOR() async throws {
        let (tmux, _) = try await Self.console(environment: ["NO_COLOR": "1"])
        defer { tmux.close() }
        try tmux.press("3")
        try tmux.waitFor(" 401 ")
        #expect(!tmux.drawsColour())
        // Still told apart without colour: the selection is reversed.
        #expect(tmux.look(of: " 1 Users ")?.reverse == true || tmux.look(of: " 3 Requests ")?.reverse == true)
        try tmux.press("Q")
        _ = try tmux.waitForExit()
    }

    @Test func eightColourTerminalsGetTheThemesFallbacks() async throws {
        let (tmux, _) = try await Self.console(environment: ["TERM": "xterm"])
        defer { tmux.close() }
        let look = try Self.selectedRow(tmux)
        #expect(look.background == 6 && look.foreground == 0, "black on cyan, \(look)")
        #expect(tmux.look(of: " scim-console ")?.foreground == 6)
        try tmux.press("Q")
        _ = try tmux.waitForExit()
    }

    @Test func theWizardRedrawsAtOnceWhenResized() throws {
        let tmux = try Self.wizard("screen-resize")
        defer { tmux.close() }
        #expect(tmux.screen().split(separator: "\n")[0].count > 100)
        try tmux.resize(width: 80, height: 24)
        // No key is pressed: the resize alone must redraw (without it, the old size stays until a key).
        let narrow = try tmux.waitUntil("the wizard drawn at 80 columns", timeout: 3) { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 24 && lines[0].hasSuffix("embedded endpoint") && lines[0].count <= 80
                && lines[23].contains("^Q quit") == false && lines.contains { $0.contains("^Q quit") }
        }
        #expect(narrow.contains("Step 1 of 6"))
        try tmux.press("C-q")
        _ = try tmux.waitForExit()
    }

    @Test func at80x24TheHeaderAndFooterKeepWhatMatters() async throws {
        let (tmux, _) = try await Self.console(width: 80, height: 24)
        defer { tmux.close() }
        for tab in ["1", "2", "3"] {
            try tmux.press(tab)
            let title = tab == "1" ? "Users (" : tab == "2" ? "Teams (" : "Requests ("
            // Waits for the whole header: a failure shows the screen it last saw.
            let screen = try tmux.waitUntil("tab \(tab) with its whole header") { screen in
                let header = screen.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
                return screen.contains(title) && header.contains("· default") && header.contains("4 users")
                    && header.contains("1 team ") && header.contains("LIVE")
            }
            let footer = try #require(screen.split(separator: "\n").first { $0.contains("? help") })
            #expect(footer.contains("q quit"))
        }
        // The help scrolls to its end.
        try tmux.press("?")
        try tmux.waitFor("Help — ↑↓ PgDn scroll")
        try tmux.press("G")
        try tmux.waitFor("Esc or ? closes this help")
        try tmux.press("Escape")
        try tmux.waitForAbsence("Esc or ? closes this help")
        try tmux.press("Q")
        _ = try tmux.waitForExit()
    }
}
