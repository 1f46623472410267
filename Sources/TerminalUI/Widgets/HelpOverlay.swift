/// The help overlay, generated from the key bindings so it is never out of date.
public struct HelpOverlay: Sendable {
    public var sections: [(title: String, bindings: [KeyBinding])]

    public init(sections: [(title: String, bindings: [KeyBinding])]) { self.sections = sections }

    public var lines: [StyledLine] {
        var out: [StyledLine] = []
        let keyWidth = sections.flatMap(\.bindings).map { DisplayWidth.of($0.keys) }.max() ?? 4
        for (i, section) in sections.enumerated() {
            if i > 0 { out.append(StyledLine("")) }
            out.append(StyledLine(section.title, Style(.title)))
            for b in section.bindings {
                out.append(StyledLine([Span("  " + DisplayWidth.fit(b.keys, to: keyWidth) + "  ", Style(.keyHint)),
                                       Span(b.action)]))
            }
        }
        out.append(StyledLine(""))
        out.append(StyledLine("Esc or ? closes this help", Style(.dim)))
        return out
    }

    /// The box the help takes on `screen`: as tall as its lines, at most the screen less a line above and below.
    public func rect(in screen: Rect) -> Rect {
        let body = lines
        let width = min(screen.width - 4, (body.map { DisplayWidth.of($0.plainText) }.max() ?? 20) + 6)
        return screen.centered(width: width, height: min(screen.height - 2, body.count + 2))
    }

    /// Draws the help in `rect` (from `rect(in:)`), scrolled to line `offset`.
    public func draw(on surface: Surface, in rect: Rect, offset: Int = 0) {
        let body = lines
        let scrolled = DetailPane.scrolled(offset, by: 0, lineCount: body.count, rect: rect)
        DetailPane(title: body.count > rect.height - 2 ? "Help — ↑↓ PgDn scroll" : "Help", lines: body, offset: scrolled,
                   focused: true).draw(on: surface, in: rect)
    }
}
