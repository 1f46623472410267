/// One row of a table: a stable identity, the cell texts, and a style
/// (new, changed, deactivated…).
public struct TableRow: Sendable, Equatable {
    public var id: String
    public var cells: [String]
    public var style: Style

    public init(id: String, cells: [String], style: Style = .normal) {
        self.id = id
        self.cells = cells
        self.style = style
    }
}

/// Where a table's rows come from. A table asks only for the rows it shows,
/// so a source over 100,000 users never loads them all for a frame.
public protocol TableSource {
    var count: Int { get }
    func rows(in range: Range<Int>) -> [TableRow]
    /// The position of the row with this identity, for keeping the selection on it.
    func index(of id: String) -> Int?
    /// The identities of the rows in `range`: what the selection is kept by, without formatting cells.
    func ids(in range: Range<Int>) -> [String]
}

extension TableSource {
    public func ids(in range: Range<Int>) -> [String] { rows(in: range).map(\.id) }
}

/// A table source over an array.
public struct ArrayTableSource: TableSource, Sendable {
    public var all: [TableRow]
    public init(_ rows: [TableRow]) { all = rows }
    public var count: Int { all.count }
    public func rows(in range: Range<Int>) -> [TableRow] {
        let r = range.clamped(to: 0..<all.count)
        return Array(all[r])
    }
    public func index(of id: String) -> Int? { all.firstIndex { $0.id == id } }
}

public struct TableColumn: Sendable, Equatable {
    public var title: String
    public var minWidth: Int
    public var maxWidth: Int
    public var alignRight: Bool
    /// How much the column's whole content matters: when the table is too
    /// narrow, lower priorities give up width first; when there is room,
    /// higher ones get it first.
    public var priority: Int
    /// Left out of a table too narrow for every other column's content,
    /// rather than shown as a few characters (the detail pane has it whole).
    public var optional: Bool

    public init(_ title: String, minWidth: Int = 4, maxWidth: Int = 40, alignRight: Bool = false, priority: Int = 0,
                optional: Bool = false) {
        self.title = title
        self.minWidth = minWidth
        self.maxWidth = maxWidth
        self.alignRight = alignRight
        self.priority = priority
        self.optional = optional
    }
}

/// Selection and scroll position, kept by row identity: when rows arrive
/// above the selected one, the selection stays on the same row and the view
/// scrolls with it rather than the selection drifting.
public struct TableState: Sendable, Equatable {
    public private(set) var selectedID: String?
    public private(set) var selectedIndex: Int = 0
    public private(set) var offset: Int = 0

    public init() {}

    /// Re-finds the selected row after the rows changed.
    public mutating func sync(with source: TableSource, visibleRows: Int) {
        let count = source.count
        guard count > 0 else {
            selectedID = nil
            selectedIndex = 0
            offset = 0
            return
        }
        let screenRow = selectedIndex - offset
        // Rows rarely move far: look near where the selection was (rows the frame
        // draws anyway) before asking the source for a position, which for a
        // table of 100,000 users is a count over an index.
        let near = max(0, min(selectedIndex, count) - visibleRows)..<min(count, selectedIndex + visibleRows + 1)
        if let id = selectedID, let index = source.ids(in: near).firstIndex(of: id).map({ near.lowerBound + $0 })
            ?? source.index(of: id)
        {
            selectedIndex = index
            offset = index - screenRow
        } else {
            selectedIndex = min(selectedIndex, count - 1)
        }
        clamp(count: count, visibleRows: visibleRows)
        selectedID = source.rows(in: selectedIndex..<(selectedIndex + 1)).first?.id
    }

    /// Moves the selection by `delta` rows (negative is up).
    public mutating func move(by delta: Int, in source: TableSource, visibleRows: Int) {
        let count = source.count
        guard count > 0 else { return }
        selectedIndex = min(max(0, selectedIndex + delta), count - 1)
        clamp(count: count, visibleRows: visibleRows)
        selectedID = source.rows(in: selectedIndex..<(selectedIndex + 1)).first?.id
    }

    public mutating func select(index: Int, in source: TableSource, visibleRows: Int) {
        move(by: index - selectedIndex, in: source, visibleRows: visibleRows)
    }

    public mutating func select(id: String, in source: TableSource, visibleRows: Int) {
        if let index = source.index(of: id) { select(index: index, in: source, visibleRows: visibleRows) }
    }

    private mutating func clamp(count: Int, visibleRows: Int) {
        let visible = max(1, visibleRows)
        if selectedIndex < offset { offset = selectedIndex }
        if selectedIndex >= offset + visible { offset = selectedIndex - visible + 1 }
        offset = min(max(0, offset), max(0, count - visible))
        if selectedIndex < offset { offset = selectedIndex }
    }
}

/// A boxed table: title, header with a sort indicator, the visible rows,
/// columns sized to fit what is shown.
public struct Table {
    public var title: String
    public var columns: [TableColumn]
    public var source: TableSource
    public var state: TableState
    public var sortColumn: Int?
    public var sortDescending: Bool
    public var focused: Bool
    /// Shown when there are no rows.
    public var emptyText: String

    public init(title: String, columns: [TableColumn], source: TableSource, state: TableState,
                sortColumn: Int? = nil, sortDescending: Bool = false, focused: Bool = true,
                emptyText: String = "(nothing here yet)") {
        self.title = title
        self.columns = columns
        self.source = source
        self.state = state
        self.sortColumn = sortColumn
        self.sortDescending = sortDescending
        self.focused = focused
        self.emptyText = emptyText
    }

    /// Rows of data that fit in `rect` (inside the box, below the header).
    public static func visibleRows(in rect: Rect) -> Int { max(0, rect.height - 3) }

    /// Column widths for `width` cells, sized by content and priority. Each
    /// column starts as wide as its widest shown value (within its bounds).
    /// A shortfall is taken from the lowest priority first, each column down
    /// to its minimum (the widest of a priority first); room left over goes
    /// to cut columns, the highest priority first, up to their content (past
    /// their maximum), and what remains to the last column. Optional columns
    /// are left out (width 0), the lowest priority first, while the others'
    /// content does not fit.
    public func columnWidths(for rows: [TableRow], width: Int) -> [Int] {
        let content = columns.indices.map { i in
            max(rows.map { i < $0.cells.count ? DisplayWidth.of($0.cells[i]) : 0 }.max() ?? 0,
                DisplayWidth.of(columns[i].title) + (sortColumn == i ? 2 : 0))
        }
        var shown = Set(columns.indices)
        func need() -> Int {
            shown.map { i in columns[i].optional ? columns[i].minWidth : min(content[i], max(columns[i].minWidth, columns[i].maxWidth)) }
                .reduce(0, +) + max(0, shown.count - 1)
        }
        while need() > width, let drop = shown.filter({ columns[$0].optional }).min(by: { columns[$0].priority < columns[$1].priority }) {
            shown.remove(drop)
        }
        var widths = columns.indices.map { i in
            shown.contains(i) ? min(max(columns[i].minWidth, content[i]), max(columns[i].minWidth, columns[i].maxWidth)) : 0
        }
        let gaps = max(0, shown.count - 1)
        var total = widths.reduce(0, +) + gaps
        let byPriority = Set(columns.map(\.priority)).sorted()
        for priority in byPriority where total > width {
            while total > width, let widest = widths.indices.filter({ shown.contains($0) && columns[$0].priority == priority && widths[$0] > columns[$0].minWidth })
                .max(by: { widths[$0] < widths[$1] })
            {
                widths[widest] -= 1
                total -= 1
            }
        }
        while total > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 1 {
            widths[widest] -= 1
            total -= 1
        }
        for priority in byPriority.reversed() where total < width {
            for i in columns.indices where shown.contains(i) && columns[i].priority == priority && widths[i] < content[i] && total < width {
                let grant = min(content[i] - widths[i], width - total)
                widths[i] += grant
                total += grant
            }
        }
        if total < width, let last = shown.max() { widths[last] += width - total }
        return widths
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height >= 3, rect.width >= 4 else { return }
        surface.fill(rect)
        surface.box(rect, title: title, focused: focused)
        let inner = rect.inset(1)
        let visible = Self.visibleRows(in: rect)
        let rows = source.rows(in: state.offset..<(state.offset + visible))
        let widths = columnWidths(for: rows, width: inner.width)
        // Header.
        var x = inner.x
        for (i, column) in columns.enumerated() where widths[i] > 0 {
            var label = column.title
            if sortColumn == i { label += sortDescending ? " ▼" : " ▲" }
            surface.text(label, at: Point(x: x, y: inner.y), width: widths[i], style: Style(.title),
                         alignRight: column.alignRight)
            x += widths[i] + 1
        }
        // Rows.
        for (r, row) in rows.enumerated() {
            let y = inner.y + 1 + r
            let selected = state.offset + r == state.selectedIndex
            var style = row.style
            if selected { style = focused ? Style(.selection, bold: row.style.bold) : Style(row.style.role, reverse: true) }
            if selected { surface.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            x = inner.x
            for (i, column) in columns.enumerated() where widths[i] > 0 {
                let text = i < row.cells.count ? row.cells[i] : ""
                surface.text(text, at: Point(x: x, y: y), width: widths[i], style: style, pad: selected,
                             alignRight: column.alignRight)
                x += widths[i] + 1
            }
        }
        if source.count == 0 {
            // Wrapped to the table's width: a sentence naming a host or a cause must not be cut off.
            let lines = emptyText.split(separator: "\n")
                .flatMap { TextWrap.lines(String($0), width: max(1, inner.width)) }
            for (i, line) in lines.enumerated() where i + 1 < inner.height {
                surface.text(line, at: Point(x: inner.x, y: inner.y + 1 + i), width: inner.width, style: Style(.dim))
            }
        }
        // Position indicator on the bottom edge: "12/340".
        if source.count > visible, rect.width > 12 {
            let label = " \(state.selectedIndex + 1)/\(source.count) "
            let w = DisplayWidth.of(label)
            surface.put(label, at: Point(x: rect.maxX - w - 2, y: rect.maxY - 1), style: Style(.dim))
        }
    }
}
