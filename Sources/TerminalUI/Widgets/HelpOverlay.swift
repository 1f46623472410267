/// The help overlay, generated from the key bindings so it is never out of date.
public struct HelpOverlay: Sendable {
    public var sections: [(title: String, bindings: [KeyBinding])]
    /// Keys wider than this go on a line of their own, the words below them.
    static let keyColumn = 16

    public init(sections: [(title: String, bindings: [KeyBinding])]) { self.sections = sections }

    /// The help's lines for a box `width` cells wide inside: keys in a
    /// column, their words wrapped beside them.
    public func lines(width: Int = 80) -> [StyledLine] {
        var out: [StyledLine] = []
        let keyWidth = min(Self.keyColumn, sections.flatMap(\.bindings).map { DisplayWidth.of($0.keys) }.max() ?? 4)
        let textWidth = max(10, width - keyWidth - 4)
        for (i, section) in sections.enumerated() {
            if i > 0 { out.append(StyledLine("")) }
            out.append(StyledLine(section.title, Style(.title)))
            for b in section.bindings {
                var words = TextWrap.lines(b.action, width: textWidth)
                if DisplayWidth.of(b.keys) > keyWidth {
                    out.append(StyledLine([Span("  " + b.keys, Style(.keyHint))]))
                } else {
                    let first = words.isEmpty ? "" : words.removeFirst()
                    out.append(StyledLine([Span("  " + DisplayWidth.fit(b.keys, to: keyWidth) + "  ", Style(.keyHint)), Span(first)]))
                }
                for rest in words { out.append(StyledLine(String(repeating: " ", count: keyWidth + 4) + rest)) }
            }
        }
        out.append(StyledLine(""))
        out.append(StyledLine("Esc or ? closes this help", Style(.dim)))
        return out
    }

    /// The box the help takes on `screen`: at most 78 wide, as tall as its
    /// lines, at most the screen less two lines above and below (the footer stays in view).
    public func rect(in screen: Rect) -> Rect {
        let width = min(screen.width - 4, 78)
        return screen.centered(width: width, height: min(screen.height - 4, lines(width: width - 2).count + 2))
    }

    /// Draws the help centred on `screen`, scrolled to line `offset`.
    public func draw(on surface: Surface, in screen: Rect, offset: Int = 0) {
        let rect = rect(in: screen)
        let body = lines(width: rect.width - 2)
        let scrolled = DetailPane.scrolled(offset, by: 0, lineCount: body.count, rect: rect)
        DetailPane(title: body.count > rect.height - 2 ? "Help — ↑↓ PgDn scroll" : "Help", lines: body, offset: scrolled,
                   focused: true).draw(on: surface, in: rect)
    }
}
