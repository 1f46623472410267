import Foundation
import TerminalUI

/// A small scene that exercises the toolkit end to end: a text field, a
/// table with wide characters, a confirm dialog, help, status messages, the
/// too-small screen. The tmux tests drive it as a person would.
final class DemoApp: TerminalApp {
    typealias Message = String

    enum Focus { case field, table }

    var focus = Focus.field
    var field = TextFieldState("")
    var secret = TextFieldState("glsa_example", masked: true)
    var rows: [TableRow] = DemoApp.initialRows
    var table = TableState()
    var dialog: ConfirmDialog?
    var showHelp = false
    var status: StatusMessage?
    var added = 0

    static let initialRows: [TableRow] = [
        ("alice@example.com", "Alice Smith", "yes"), ("山田太郎@example.jp", "山田 太郎", "yes"),
        ("jose@example.es", "José Álvarez", "no"), ("zoe@example.com", "Zoë 🚀 Test", "yes"),
        ("bob@example.com", "Bob Jones", "yes"), ("chloe@example.fr", "Chloé Dubois", "yes"),
    ].map { TableRow(id: $0.0, cells: [$0.0, $0.1, $0.2]) }

    var bindings: [KeyBinding] {
        switch (dialog != nil, focus) {
        case (true, _): return [KeyBinding("y", "confirm"), KeyBinding("n/Esc", "cancel"), KeyBinding("Tab", "switch button")]
        case (_, .field): return [KeyBinding("Tab", "to table"), KeyBinding("Enter", "greet"), KeyBinding("Ctrl-R", "reveal secret")]
        case (_, .table): return [KeyBinding("↑↓", "move"), KeyBinding("a", "add row"), KeyBinding("d", "delete"),
                                  KeyBinding("c", "copy"), KeyBinding("?", "help"), KeyBinding("q", "quit")]
        }
    }

    func visibleRows(_ size: Size) -> Int { Table.visibleRows(in: layout(size).table) }

    struct Layout { var header, field, secret, table, footer, status: Rect }

    func layout(_ size: Size) -> Layout {
        let all = Rect(size: size)
        let (header, rest) = all.splitTop(1)
        let (body, bottom) = rest.splitBottom(2)
        let (fieldRow, rest2) = body.splitTop(3)
        let (secretRow, tableArea) = rest2.splitTop(3)
        let (footer, statusRow) = bottom.splitTop(1)
        return Layout(header: header, field: fieldRow, secret: secretRow, table: tableArea, footer: footer, status: statusRow)
    }

    func handle(_ event: TerminalEvent<String>, context: TerminalContext) -> AppStep {
        let source = ArrayTableSource(rows)
        let visible = visibleRows(context.size)
        switch event {
        case .key(let key):
            if !TooSmallScreen.fits(context.size) {
                return key == .char("q") ? .quit(0) : .continue
            }
            if showHelp {
                if key == .escape || key == .char("?") { showHelp = false }
                return .continue
            }
            if var d = dialog {
                switch d.handle(key) {
                case .confirmed:
                    let name = table.selectedID ?? ""
                    rows.removeAll { $0.id == name }
                    status = StatusMessage("Deleted \(name)", level: .ok)
                    dialog = nil
                case .cancelled:
                    status = StatusMessage("Cancelled; nothing was deleted", level: .info)
                    dialog = nil
                case .pending:
                    dialog = d
                }
                table.sync(with: ArrayTableSource(rows), visibleRows: visible)
                return .continue
            }
            switch focus {
            case .field:
                if key == .tab { focus = .table; return .continue }
                if key == .enter {
                    status = StatusMessage("Hello, \(field.text.isEmpty ? "nobody" : field.text)!", level: .ok)
                    return .continue
                }
                if key == .ctrl("r") { secret.handle(key); return .continue }
                field.handle(key)
            case .table:
                switch key {
                case .tab, .backTab: focus = .field
                case .up, .char("k"): table.move(by: -1, in: source, visibleRows: visible)
                case .down, .char("j"): table.move(by: 1, in: source, visibleRows: visible)
                case .pageUp: table.move(by: -visible, in: source, visibleRows: visible)
                case .pageDown: table.move(by: visible, in: source, visibleRows: visible)
                case .home: table.select(index: 0, in: source, visibleRows: visible)
                case .end: table.select(index: source.count - 1, in: source, visibleRows: visible)
                case .char("a"):
                    added += 1
                    rows.insert(TableRow(id: "new\(added)@example.com", cells: ["new\(added)@example.com", "New \(added)", "yes"],
                                         style: Style(.rowNew)), at: 0)
                    table.sync(with: ArrayTableSource(rows), visibleRows: visible)
                case .char("d"):
                    if let id = table.selectedID {
                        dialog = ConfirmDialog(title: "Delete row", target: "Delete \(id)?",
                                               consequence: "The row disappears from this demo table. Nothing else changes.",
                                               confirmLabel: "Delete")
                    }
                case .char("c"):
                    if let id = table.selectedID {
                        context.copyToClipboard(id)
                        status = StatusMessage("Copied \(id)", level: .ok)
                    }
                case .char("?"): showHelp = true
                case .char("q"): return .quit(0)
                default: break
                }
            }
        case .resize:
            table.sync(with: source, visibleRows: visible)
        case .message(let text):
            status = StatusMessage(text)
        case .tick, .mouse:
            break
        }
        if table.selectedID == nil { table.sync(with: ArrayTableSource(rows), visibleRows: visible) }
        return .continue
    }

    func draw(on surface: Surface, context: TerminalContext) {
        guard TooSmallScreen.fits(surface.size) else {
            TooSmallScreen.draw(on: surface)
            return
        }
        let l = layout(surface.size)
        HeaderBar(title: "TerminalUI demo", segments: [Span("\(rows.count) rows"), Span("LIVE", Style(.ok))])
            .draw(on: surface, in: l.header)
        TextField(label: "Name", state: field, focused: focus == .field && dialog == nil,
                  hint: "type a name, Enter to greet").draw(on: surface, at: Point(x: 1, y: l.field.y), width: 40)
        TextField(label: "Secret (Ctrl-R reveals)", state: secret, focused: false)
            .draw(on: surface, at: Point(x: 1, y: l.secret.y), width: 40)
        Table(title: "Users (\(rows.count))", columns: [TableColumn("userName", maxWidth: 30), TableColumn("name"),
                                                         TableColumn("active", minWidth: 6)],
              source: ArrayTableSource(rows), state: table, sortColumn: 0, focused: focus == .table && dialog == nil)
            .draw(on: surface, in: l.table)
        KeyHintFooter(bindings).draw(on: surface, in: l.footer)
        StatusLine(status).draw(on: surface, in: l.status, now: Date())
        if let dialog { dialog.draw(on: surface, in: Rect(size: surface.size)) }
        if showHelp {
            HelpOverlay(sections: [("Table", bindings), ("Field", [KeyBinding("Ctrl-A/E", "start/end"),
                                                                  KeyBinding("Ctrl-K/U/W", "kill to end/start/word")])])
                .draw(on: surface, in: Rect(size: surface.size))
        }
    }

    func nextTick(after now: Date) -> Date? {
        guard let status, status.expires > now else { return nil }
        return status.expires
    }

    /// A fixed frame for the parity test: the same text through ncurses and the in-memory grid.
    static func drawParityFrame(on surface: Surface) {
        HeaderBar(title: "parity", segments: [Span("3 rows"), Span("▁▂▃▅▇█")]).draw(on: surface, in: Rect(x: 0, y: 0, width: surface.size.width, height: 1))
        TabStrip(tabs: ["Users", "Teams", "Requests"], selected: 0).draw(on: surface, in: Rect(x: 0, y: 1, width: surface.size.width, height: 1))
        var state = TableState()
        let source = ArrayTableSource(Array(initialRows.prefix(4)))
        state.sync(with: source, visibleRows: 4)
        Table(title: "Users (4) </é>", columns: [TableColumn("userName", maxWidth: 22), TableColumn("name", maxWidth: 12),
                                                 TableColumn("active", minWidth: 6)],
              source: source, state: state).draw(on: surface, in: Rect(x: 0, y: 2, width: 60, height: 8))
        StyledLine([Span("clipped: "), Span(DisplayWidth.clip("漢字かなカナ漢字かなカナ", to: 9), Style(.warn))])
            .draw(on: surface, at: Point(x: 0, y: 11), width: 40)
        surface.put("parity-ready", at: Point(x: 0, y: 12), style: Style(.dim))
    }
}

/// Shows the parity frame until `q`.
final class ParityApp: TerminalApp {
    typealias Message = String
    func handle(_ event: TerminalEvent<String>, context: TerminalContext) -> AppStep {
        if case .key(.char("q")) = event { return .quit(0) }
        return .continue
    }
    func draw(on surface: Surface, context: TerminalContext) { DemoApp.drawParityFrame(on: surface) }
    func nextTick(after now: Date) -> Date? { nil }
}
