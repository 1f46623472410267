/// Something widgets draw on: the ncurses screen, or an in-memory `CellGrid`
/// that tests read back as text. Drawing outside the surface is clipped.
public protocol Surface: AnyObject {
    var size: Size { get }
    /// Writes `text` starting at `point`, one cell per display column; the
    /// caller has already clipped it to the width it may use.
    func put(_ text: String, at point: Point, style: Style)
    /// Where the terminal cursor should be shown (text fields), or nil to hide it.
    func setCursor(_ point: Point?)
    func clear()
}

extension Surface {
    /// Draws `text` in `width` cells at `point`: clipped with `…`, padded when `pad`.
    public func text(_ text: String, at point: Point, width: Int, style: Style = .normal, pad: Bool = false,
                     alignRight: Bool = false) {
        guard width > 0, point.y >= 0, point.y < size.height else { return }
        let shown = pad || alignRight ? DisplayWidth.fit(text, to: width, alignRight: alignRight)
            : DisplayWidth.clip(text, to: width)
        put(shown, at: point, style: style)
    }

    /// Fills a rectangle with spaces in `style`.
    public func fill(_ rect: Rect, style: Style = .normal) {
        guard rect.width > 0 else { return }
        let blank = String(repeating: " ", count: rect.width)
        for y in rect.y..<rect.maxY { put(blank, at: Point(x: rect.x, y: y), style: style) }
    }

    /// A single-line box around `rect` with an optional title in its top edge.
    public func box(_ rect: Rect, title: String? = nil, focused: Bool = true) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let style = Style(focused ? .borderFocused : .borderUnfocused)
        let inner = rect.width - 2
        put("┌" + String(repeating: "─", count: inner) + "┐", at: Point(x: rect.x, y: rect.y), style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", at: Point(x: rect.x, y: y), style: style)
            put("│", at: Point(x: rect.maxX - 1, y: y), style: style)
        }
        put("└" + String(repeating: "─", count: inner) + "┘", at: Point(x: rect.x, y: rect.maxY - 1), style: style)
        if let title, inner > 4 {
            text(" \(title) ", at: Point(x: rect.x + 2, y: rect.y), width: inner - 2,
                 style: Style(focused ? .title : .borderUnfocused))
        }
    }
}
