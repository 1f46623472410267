/// An in-memory surface: a grid of cells that knows display widths (a wide
/// character fills its cell and marks the next as its continuation), and can
/// dump itself as plain text or as text with style marks, for tests.
public final class CellGrid: Surface {
    struct Cell: Equatable {
        /// The character shown, "" for the right half of a wide character.
        var text: String = " "
        var style: Style = .normal
    }

    public private(set) var size: Size
    private var cells: [[Cell]]
    public private(set) var cursor: Point?

    public init(width: Int, height: Int) {
        size = Size(width: width, height: height)
        cells = Array(repeating: Array(repeating: Cell(), count: width), count: height)
    }

    public func clear() {
        cells = Array(repeating: Array(repeating: Cell(), count: size.width), count: size.height)
        cursor = nil
    }

    public func setCursor(_ point: Point?) { cursor = point }

    public func put(_ text: String, at point: Point, style: Style) {
        guard point.y >= 0, point.y < size.height else { return }
        // One access to the row for the whole text: each `cells[y][x]` of a class's
        // property is an exclusivity check of its own.
        Self.put(text, x: point.x, style: style, width: size.width, into: &cells[point.y])
    }

    private static func put(_ text: String, x start: Int, style: Style, width: Int, into row: inout [Cell]) {
        var x = start
        if DisplayWidth.isPrintableASCII(text) {
            for byte in text.utf8 {
                if x >= width { break }
                if x >= 0 {
                    clearWide(at: x, in: &row)
                    row[x] = Cell(text: asciiText[Int(byte) - 0x20], style: style)
                }
                x += 1
            }
            return
        }
        for c in text {
            let w = DisplayWidth.of(c)
            if w == 0 {
                // A combining mark joins the character before it.
                if x > 0, x - 1 < width { row[x - 1].text.append(c) }
                continue
            }
            if x + w > width { break }
            if x >= 0 {
                clearWide(at: x, in: &row)
                row[x] = Cell(text: String(c), style: style)
                if w == 2 {
                    clearWide(at: x + 1, in: &row)
                    row[x + 1] = Cell(text: "", style: style)
                }
            }
            x += w
        }
    }

    /// Each printable ASCII character as a one-character string, made once.
    private static let asciiText: [String] = (0x20..<0x7F).map { String(UnicodeScalar(UInt8($0))) }

    /// Overwriting half of a wide character blanks its other half, as terminals do.
    private static func clearWide(at x: Int, in row: inout [Cell]) {
        if row[x].text.isEmpty, x > 0 { row[x - 1].text = " " }
        if x + 1 < row.count, row[x + 1].text.isEmpty, DisplayWidth.of(row[x].text) == 2 {
            row[x + 1].text = " "
        }
    }

    /// One line of text per row, trailing spaces kept.
    public func line(_ y: Int) -> String {
        cells[y].map(\.text).joined()
    }

    /// The whole grid as text, rows joined by newlines, trailing spaces trimmed.
    public func dump() -> String {
        (0..<size.height).map { line($0).trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    /// The grid as text with `[role]…[/]` marks where the style is not normal;
    /// `*` after the role name for bold, `!` for reverse.
    public func dumpStyled() -> String {
        (0..<size.height).map { y in
            var out = ""
            var current = Style.normal
            for cell in cells[y] where !cell.text.isEmpty {
                if cell.style != current {
                    if current != .normal { out += "[/]" }
                    if cell.style != .normal {
                        out += "[\(cell.style.role.rawValue)\(cell.style.bold ? "*" : "")\(cell.style.reverse ? "!" : "")]"
                    }
                    current = cell.style
                }
                out += cell.text
            }
            if current != .normal { out += "[/]" }
            return out.trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    /// The style of the cell at a position.
    public func style(at point: Point) -> Style { cells[point.y][point.x].style }

    /// Whether any row contains `text`.
    public func contains(_ text: String) -> Bool {
        (0..<size.height).contains { line($0).contains(text) }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
