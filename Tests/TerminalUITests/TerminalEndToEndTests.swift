import Foundation
import Testing
import TmuxTesting
@testable import TerminalUI
@testable import tui_demo

/// The toolkit on a real terminal: ncurses inside tmux, driven by keys.
@Suite("Terminal end to end (tmux)", .serialized)
struct TerminalEndToEndTests {
    static let demo = TmuxSession.builtExecutable("tui-demo")

    @Test func demoSceneFieldTableDialogResizeQuit() throws {
        let tmux = try TmuxSession([Self.demo], width: 100, height: 30)
        defer { tmux.close() }
        try tmux.waitFor("TerminalUI demo")
        try tmux.type("Ada Lovelace")
        try tmux.waitFor("Ada Lovelace")
        try tmux.press("C-w")
        try tmux.waitForAbsence("Lovelace")
        try tmux.press("Enter")
        try tmux.waitFor("Hello, Ada !")

        try tmux.press("Tab", "Down", "Down", "d")
        try tmux.waitFor("Delete jose@example.es?")
        try tmux.press("Escape")
        try tmux.waitFor("Cancelled; nothing was deleted")
        #expect(tmux.screen().contains("José Álvarez"))
        try tmux.press("d")
        try tmux.waitFor("Delete jose@example.es?")
        try tmux.press("y")
        try tmux.waitFor("Deleted jose@example.es")
        #expect(!tmux.screen().contains("José Álvarez"))
        #expect(tmux.screen().contains("山田 太郎"))

        try tmux.resize(width: 80, height: 24)
        try tmux.waitUntil("the 80×24 layout") { $0.contains("TerminalUI demo") && $0.split(separator: "\n").count <= 24 }
        try tmux.resize(width: 40, height: 10)
        try tmux.waitFor("terminal too small: 40×10, need 80×24")
        try tmux.resize(width: 100, height: 30)
        try tmux.waitFor("TerminalUI demo")

        try tmux.press("q")
        #expect(try tmux.waitForExit() == 0)
        #expect(tmux.terminalRestored)
        #expect(!tmux.screen().contains("TerminalUI demo"))
    }

    @Test func parityBetweenNcursesAndTheInMemoryGrid() throws {
        let tmux = try TmuxSession([Self.demo, "--parity"], width: 100, height: 30)
        defer { tmux.close() }
        let screen = try tmux.waitFor("parity-ready")
        let grid = CellGrid(width: 100, height: 30)
        DemoApp.drawParityFrame(on: grid)
        let expected = grid.dump().split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingSpaces() }
        let actual = screen.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingSpaces() }
        for (i, line) in expected.enumerated() where !line.isEmpty {
            #expect(i < actual.count && actual[i] == line, "row \(i): tmux shows \(i < actual.count ? actual[i] : "nothing")")
        }
        try tmux.press("q")
        #expect(try tmux.waitForExit() == 0)
    }

    @Test func ctrlCRestoresTheTerminal() throws {
        let tmux = try TmuxSession([Self.demo], width: 100, height: 30)
        defer { tmux.close() }
        try tmux.waitFor("TerminalUI demo")
        try tmux.press("C-c")
        #expect(try tmux.waitForExit() == 130)
        #expect(tmux.terminalRestored)
    }

    @Test func unknownTermFallsBackToXterm() throws {
        let tmux = try TmuxSession(["env", "TERM=no-such-terminal", Self.demo], width: 100, height: 30)
        defer { tmux.close() }
        try tmux.waitFor("TerminalUI demo")
        try tmux.press("Tab", "q")
        #expect(try tmux.waitForExit() == 0)
    }

    @Test func refusesToStartWithoutATerminal() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.demo)
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("needs a terminal"))
        #expect(message.contains("scim-console serve"))
    }
}


