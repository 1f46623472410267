import Foundation
import Testing
@testable import TerminalUI

@Suite("Widgets on the in-memory surface")
struct WidgetTests {
    static func rows(_ names: [String]) -> [TableRow] {
        names.map { TableRow(id: $0, cells: [$0, "x"]) }
    }

    @Test func tableDrawsHeaderRowsAndSortIndicator() {
        let grid = CellGrid(width: 40, height: 6)
        var state = TableState()
        let source = ArrayTableSource(Self.rows(["alice", "山田太郎"]))
        state.sync(with: source, visibleRows: 3)
        Table(title: "Users (2/2)", columns: [TableColumn("name"), TableColumn("v")], source: source, state: state,
              sortColumn: 0).draw(on: grid, in: Rect(x: 0, y: 0, width: 40, height: 6))
        #expect(grid.dump() == """
            ┌─ Users (2/2) ────────────────────────┐
            │name ▲   v                            │
            │alice    x                            │
            │山田太郎 x                            │
            │                                      │
            └──────────────────────────────────────┘
            """)
        #expect(grid.style(at: Point(x: 1, y: 2)).role == .selection)
    }

    @Test func columnsShrinkAndClipByDisplayWidth() {
        let grid = CellGrid(width: 20, height: 4)
        let source = ArrayTableSource([TableRow(id: "1", cells: ["日本語の長い名前です", "abcdefghij"])])
        var state = TableState()
        state.sync(with: source, visibleRows: 1)
        Table(title: "T", columns: [TableColumn("a"), TableColumn("b")], source: source, state: state)
            .draw(on: grid, in: Rect(x: 0, y: 0, width: 20, height: 4))
        let row = grid.line(2)
        #expect(DisplayWidth.of(row) == 20)
        #expect(row.contains("…"))
    }

    @Test func selectionStaysOnItsRowWhenRowsArriveAbove() {
        var names = (0..<20).map { "user\($0)" }
        var source = ArrayTableSource(Self.rows(names))
        var state = TableState()
        state.sync(with: source, visibleRows: 5)
        state.move(by: 7, in: source, visibleRows: 5)
        #expect(state.selectedID == "user7")
        let screenRow = state.selectedIndex - state.offset
        names.insert(contentsOf: ["new1", "new2", "new3"], at: 0)
        source = ArrayTableSource(Self.rows(names))
        state.sync(with: source, visibleRows: 5)
        #expect(state.selectedID == "user7")
        #expect(state.selectedIndex == 10)
        #expect(state.selectedIndex - state.offset == screenRow)  // it did not move on screen either
        // The selected row removed: the selection falls to the row now at its place.
        names.removeAll { $0 == "user7" }
        source = ArrayTableSource(Self.rows(names))
        state.sync(with: source, visibleRows: 5)
        #expect(state.selectedID == "user8")
    }

    @Test func tableScrollsToKeepTheSelectionVisible() {
        let source = ArrayTableSource(Self.rows((0..<50).map { "r\($0)" }))
        var state = TableState()
        state.sync(with: source, visibleRows: 10)
        state.move(by: 25, in: source, visibleRows: 10)
        #expect(state.offset == 16)
        state.move(by: -100, in: source, visibleRows: 10)
        #expect(state.selectedIndex == 0 && state.offset == 0)
        state.select(index: 49, in: source, visibleRows: 10)
        #expect(state.offset == 40)
    }

    @Test func textFieldEditing() {
        var f = TextFieldState("hello world")
        f.handle(.ctrl("w"))
        #expect(f.text == "hello ")
        f.handle(.ctrl("a"))
        f.handle(.char(">"))
        #expect(f.text == ">hello ")
        f.handle(.right)
        f.handle(.ctrl("k"))
        #expect(f.text == ">h")
        f.handle(.ctrl("e"))
        f.paste("ey\nthere")
        #expect(f.text == ">heythere")
        f.handle(.left)
        f.handle(.left)
        f.handle(.ctrl("u"))
        #expect(f.text == "re")
        f.handle(.end)
        f.handle(.backspace)
        f.handle(.home)
        f.handle(.delete)
        #expect(f.text == "")
        #expect(f.handle(.up) == false)
    }

    @Test func maskedFieldRevealsOnlyOnRequest() {
        var f = TextFieldState("glsa_secret", masked: true)
        let grid = CellGrid(width: 30, height: 3)
        TextField(label: "Token", state: f, focused: true).draw(on: grid, at: Point(x: 0, y: 0), width: 30)
        #expect(!grid.dump().contains("glsa"))
        #expect(grid.dump().contains("•••••••••••"))
        f.handle(.ctrl("r"))
        let grid2 = CellGrid(width: 30, height: 3)
        TextField(label: "Token", state: f, focused: true).draw(on: grid2, at: Point(x: 0, y: 0), width: 30)
        #expect(grid2.dump().contains("glsa_secret"))
        #expect(grid2.cursor == Point(x: 12, y: 1))
    }

    @Test func textFieldShowsItsErrorAndScrollsToTheCursor() {
        let f = TextFieldState(String(repeating: "a", count: 50) + "END")
        let grid = CellGrid(width: 20, height: 3)
        TextField(label: "Host", state: f, focused: true, error: "not a host name").draw(on: grid, at: Point(x: 0, y: 0), width: 20)
        #expect(grid.line(1).contains("END"))
        #expect(grid.dump().contains("✗ not a host name"))
    }

    @Test func confirmDialogFocusStartsOnCancelAndEnterDoesWhatTheFocusedButtonSays() {
        var d = ConfirmDialog(title: "Deactivate user", target: "Deactivate alice@example.com?",
                              consequence: "Their active becomes false; Okta may set it back on its next push.")
        #expect(d.focus == .cancel)
        #expect(d.handle(.enter) == .cancelled)
        d = ConfirmDialog(title: "t", target: "x", consequence: "y")
        #expect(d.handle(.tab) == .pending)
        #expect(d.focus == .confirm)
        #expect(d.handle(.char("x")) == .pending)
        #expect(d.handle(.enter) == .confirmed)  // Enter does what the focused button says
        var y = ConfirmDialog(title: "t", target: "x", consequence: "y")
        #expect(y.handle(.char("y")) == .confirmed)
        var esc = ConfirmDialog(title: "t", target: "x", consequence: "y")
        #expect(esc.handle(.escape) == .cancelled)
        var no = ConfirmDialog(title: "t", target: "x", consequence: "y")
        #expect(no.handle(.char("n")) == .cancelled)

        let grid = CellGrid(width: 80, height: 24)
        ConfirmDialog(title: "Deactivate user", target: "Deactivate alice@example.com?",
                      consequence: "Their active becomes false; Okta may set it back on its next push.")
            .draw(on: grid, in: Rect(x: 0, y: 0, width: 80, height: 24))
        let text = grid.dump()
        #expect(text.contains("Deactivate alice@example.com?"))
        #expect(text.contains("Okta may set it back"))
        #expect(text.contains("[ Cancel (n) ]"))
        #expect(grid.dumpStyled().contains("[selection][ Cancel (n) ][/]"))
    }

    @Test func choiceList() {
        var list = ChoiceList(options: ["Embedded endpoint", "Existing Grafana"])
        list.handle(.down)
        list.handle(.down)
        #expect(list.selected == 1)
        let grid = CellGrid(width: 30, height: 2)
        list.draw(on: grid, in: Rect(x: 0, y: 0, width: 30, height: 2), focused: true)
        #expect(grid.dump() == "( ) Embedded endpoint\n(•) Existing Grafana")
    }

    @Test func footerStatusAndHeader() {
        let grid = CellGrid(width: 60, height: 3)
        KeyHintFooter([KeyBinding("q", "quit"), KeyBinding("/", "filter"), KeyBinding("?", "help", inFooter: false)])
            .draw(on: grid, in: Rect(x: 0, y: 0, width: 60, height: 1))
        #expect(grid.line(0).hasPrefix(" q quit  / filter"))
        #expect(!grid.line(0).contains("help"))
        let now = Date()
        StatusLine(StatusMessage("Saved", level: .ok, now: now, lasting: 3)).draw(on: grid, in: Rect(x: 0, y: 1, width: 60, height: 1), now: now)
        #expect(grid.line(1).hasPrefix(" Saved"))
        StatusLine(StatusMessage("Saved", level: .ok, now: now, lasting: 3))
            .draw(on: grid, in: Rect(x: 0, y: 1, width: 60, height: 1), now: now.addingTimeInterval(4))
        #expect(grid.line(1).trimmingTrailingSpaces() == "")
        HeaderBar(title: "scim-console", segments: [Span("3 users"), Span("LIVE", Style(.ok))])
            .draw(on: grid, in: Rect(x: 0, y: 2, width: 60, height: 1))
        #expect(grid.line(2).hasPrefix(" scim-console "))
        #expect(grid.line(2).hasSuffix("3 users │ LIVE "))
    }

    @Test func sparkline() {
        #expect(Sparkline(values: [0, 1, 2, 4, 8]).render(width: 5) == " ▁▂▄█")
        #expect(Sparkline(values: [1, 8], useASCII: true).render(width: 4) == "  _#")
        #expect(Sparkline(values: []).render(width: 3) == "   ")
    }

    @Test func detailPaneColoursJSON() {
        let lines = JSONHighlighter.lines(#"{"active":false,"userName":"a","n":3,"x":null}"#)
        #expect(lines.map(\.plainText) == ["{", #"  "active": false,"#, #"  "userName": "a","#, #"  "n": 3,"#, #"  "x": null"#, "}"])
        #expect(lines[1].spans.contains(Span(#""active""#, Style(.title))))
        #expect(lines[1].spans.contains(Span("false", Style(.keyHint))))
        #expect(lines[2].spans.contains(Span(#""a""#, Style(.ok))))
        #expect(lines[3].spans.contains(Span("3", Style(.warn))))
        #expect(JSONHighlighter.lines("not json").map(\.plainText) == ["not json"])
        let grid = CellGrid(width: 30, height: 5)
        DetailPane(title: "User", lines: lines, offset: 2).draw(on: grid, in: Rect(x: 0, y: 0, width: 30, height: 5))
        #expect(grid.line(1).contains(#""userName": "a""#))
        #expect(grid.line(4).contains("5/6"))
    }

    /// What was sent, re-indented: member order, escapes and number spellings kept.
    @Test func highlightedJSONKeepsWhatWasSent() {
        let text = #"{ "zeta" : [1.50, -2e3, {}, [] ,{"k":"caf\u00e9 \"x\""}], "alpha":{"b":[true]} }"#
        #expect(JSONHighlighter.lines(text).map(\.plainText) == [
            "{",
            #"  "zeta": ["#,
            "    1.50,",
            "    -2e3,",
            "    {},",
            "    [],",
            "    {",
            #"      "k": "caf\u00e9 \"x\"""#,
            "    }",
            "  ],",
            #"  "alpha": {"#,
            #"    "b": ["#,
            "      true",
            "    ]",
            "  }",
            "}",
        ])
        #expect(JSONHighlighter.lines(#""just a string""#).map(\.plainText) == [#""just a string""#])
        #expect(JSONHighlighter.lines("42").map(\.plainText) == ["42"])
    }

    /// A body cut at the log's size limit: pretty as far as it goes, the rest dimmed as it is.
    @Test func highlightedJSONCutShortShowsTheRestAsSent() {
        let lines = JSONHighlighter.lines(#"{"Resources":[{"userName":"ann"},{"userName":"bo… [truncated: 70000 bytes in all]"#)
        #expect(lines.map(\.plainText) == [
            "{",
            #"  "Resources": ["#,
            "    {",
            #"      "userName": "ann""#,
            "    },",
            "    {",
            #"      "userName": "bo… [truncated: 70000 bytes in all]"#,
        ])
        #expect(lines.last?.spans.last == Span(#""bo… [truncated: 70000 bytes in all]"#, Style(.dim)))
        // Not JSON from the start: as it is, line by line.
        #expect(JSONHighlighter.lines("line one\n{ line two").map(\.plainText) == ["line one", "{ line two"])
        // A raw line break inside a string is not JSON: shown as sent from the string on.
        #expect(JSONHighlighter.lines("[\"a\nb\"]").map(\.plainText) == ["[", #"  "a"#, #"b"]"#])
        // Nesting past the limit is shown as sent, without exhausting the stack.
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let deepLines = JSONHighlighter.lines(deep)
        #expect(deepLines.count == JSONPrettyPrinter.maxDepth + 1)
        #expect(deepLines.last?.plainText.hasSuffix("]]]") == true)
    }

    @Test func helpIsGeneratedFromBindings() {
        let grid = CellGrid(width: 80, height: 24)
        HelpOverlay(sections: [("Users", [KeyBinding("d", "deactivate user"), KeyBinding("a", "reactivate user")])])
            .draw(on: grid, in: Rect(x: 0, y: 0, width: 80, height: 24))
        #expect(grid.contains("d  deactivate user"))
        #expect(grid.contains("a  reactivate user"))
    }

    @Test func tooSmallScreen() {
        let grid = CellGrid(width: 40, height: 10)
        TooSmallScreen.draw(on: grid)
        #expect(grid.contains("terminal too small: 40×10, need 80×24"))
        #expect(TooSmallScreen.fits(Size(width: 80, height: 24)))
        #expect(!TooSmallScreen.fits(Size(width: 79, height: 40)))
    }

    @Test func clipboardSequence() {
        #expect(Clipboard.sequence(for: "hi", insideTmux: false) == "\u{1B}]52;c;aGk=\u{07}")
        #expect(Clipboard.sequence(for: "hi", insideTmux: true).contains("\u{1B}Ptmux;\u{1B}\u{1B}]52;c;aGk=\u{07}\u{1B}\\"))
    }

    @Test func headerSegmentsGiveWayByRankAndTheFooterKeepsHelpAndQuit() {
        let header = HeaderBar(title: "t", segments: [
            HeaderBar.Segment(Span("host · default")), HeaderBar.Segment(Span("▁▂▃▄▅▆▇█"), drop: 0),
            HeaderBar.Segment(Span("9 users")), HeaderBar.Segment(Span("errors 5%"), drop: 4), HeaderBar.Segment(Span("LIVE")),
        ])
        #expect(header.fitting(200).count == 5)
        #expect(header.fitting(50).map(\.text) == ["host · default", "9 users", "errors 5%", "LIVE"])
        #expect(header.fitting(38).map(\.text) == ["host · default", "9 users", "LIVE"])
        // Then the segments with a shorter form take it, left to right, before anything is cut.
        let shortened = HeaderBar(title: "t", segments: [
            HeaderBar.Segment(Span("relay → grafana.example.com · stacks-12345"), short: Span("relay → grafana.example.com")),
            HeaderBar.Segment(Span("reading Grafana: 4,200 / 12,000 users"), short: Span("reading 4,200/12,000 users")),
            HeaderBar.Segment(Span("LIVE")),
        ])
        #expect(shortened.fitting(90).map(\.text).first == "relay → grafana.example.com · stacks-12345")
        #expect(shortened.fitting(75).map(\.text) == ["relay → grafana.example.com", "reading Grafana: 4,200 / 12,000 users", "LIVE"])
        #expect(shortened.fitting(65).map(\.text) == ["relay → grafana.example.com", "reading 4,200/12,000 users", "LIVE"])
        let footer = KeyHintFooter([KeyBinding("d", "deactivate"), KeyBinding("/", "filter"), KeyBinding("?", "help", keep: true),
                                    KeyBinding("q", "quit", keep: true)])
        #expect(footer.fitting(39).map(\.keys) == ["d", "/", "?", "q"])
        #expect(footer.fitting(29).map(\.keys) == ["d", "?", "q"])
        #expect(footer.fitting(25).map(\.keys) == ["?", "q"])
    }

    @Test func anEmptyTablesTextWrapsToItsWidth() {
        struct Empty: TableSource {
            var count: Int { 0 }
            func rows(in range: Range<Int>) -> [TableRow] { [] }
            func index(of id: String) -> Int? { nil }
        }
        let grid = CellGrid(width: 30, height: 8)
        Table(title: "Users", columns: [TableColumn("userName", minWidth: 8, maxWidth: 20)], source: Empty(), state: TableState(),
              emptyText: "The users of Grafana at grafana.example.com could not be read")
            .draw(on: grid, in: Rect(x: 0, y: 0, width: 30, height: 8))
        let lines = (0..<8).map { grid.line($0) }
        #expect(lines.contains { $0.contains("The users of Grafana at") }, "\(lines)")
        #expect(lines.contains { $0.contains("grafana.example.com could") }, "\(lines)")
        #expect(lines.contains { $0.contains("not be read") }, "\(lines)")
    }

    @Test func columnsAreSizedByPriorityAndContent() {
        struct Rows: TableSource {
            var count: Int { 1 }
            func rows(in range: Range<Int>) -> [TableRow] {
                [TableRow(id: "1", cells: ["ada.kierkegaard@example.com", "Ada", "ada.kierkegaard@example.com", "00u1"])]
            }
            func index(of id: String) -> Int? { 0 }
            func ids(in range: Range<Int>) -> [String] { ["1"] }
        }
        let columns = [TableColumn("userName", minWidth: 8, maxWidth: 40, priority: 9), TableColumn("name", minWidth: 4, priority: 5),
                       TableColumn("email", minWidth: 12, priority: 2, optional: true),
                       TableColumn("externalId", minWidth: 6, priority: 1, optional: true)]
        let table = Table(title: "t", columns: columns, source: Rows(), state: TableState())
        let rows = Rows().rows(in: 0..<1)
        // Wide: everything whole, the rest to the last column.
        #expect(table.columnWidths(for: rows, width: 100).prefix(3) == [27, 4, 27])
        // Narrow: the optional columns leave before userName is cut.
        let narrow = table.columnWidths(for: rows, width: 40)
        #expect(narrow[0] == 27 && narrow[3] == 0)
        // Narrower still: the lowest priority gives way first.
        let tight = table.columnWidths(for: rows, width: 33)
        #expect(tight[0] == 27 && tight[2] == 0 && tight[3] == 0)
    }

    @Test func longLinesWrapUnderTheirIndentation() {
        let line = StyledLine([Span("  \"$ref\": ", Style(.keyHint)), Span("\"" + String(repeating: "a", count: 30) + "\"", Style(.ok))])
        let wrapped = line.wrapped(width: 20)
        #expect(wrapped.count == 3)
        #expect(wrapped.allSatisfy { DisplayWidth.of($0.plainText) <= 20 })
        #expect(wrapped.map(\.plainText).joined().replacingOccurrences(of: " ", with: "") == line.plainText.replacingOccurrences(of: " ", with: ""))
        #expect(wrapped[1].plainText.hasPrefix("    "), "continuations start under the indentation, two in")
        #expect(wrapped[1].spans.last?.style == Style(.ok), "styles are kept")
        #expect(StyledLine("short").wrapped(width: 20) == [StyledLine("short")])
    }

    @Test func helpWrapsItsWordsBesideTheKeys() {
        let help = HelpOverlay(sections: [("S", [KeyBinding("d", String(repeating: "word ", count: 30)),
                                                KeyBinding(":deactivate NAME LONG", "x")])])
        let lines = help.lines(width: 40).map(\.plainText)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 40 })
        #expect(lines.contains { $0.hasPrefix("  :deactivate NAME LONG") })
    }
}
