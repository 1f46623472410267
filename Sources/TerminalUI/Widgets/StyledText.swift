/// A run of text in one style.
public struct Span: Sendable, Equatable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// A line made of styled spans.
public struct StyledLine: Sendable, Equatable {
    public var spans: [Span]
    public init(_ spans: [Span]) { self.spans = spans }
    public init(_ text: String, _ style: Style = .normal) { self.spans = [Span(text, style)] }

    public var plainText: String { spans.map(\.text).joined() }

    /// The line cut into lines of at most `width` cells, styles kept; each
    /// continuation starts under the line's own indentation, two cells in,
    /// so a wrapped JSON value still reads as part of its member.
    public func wrapped(width: Int) -> [StyledLine] {
        guard width > 4, DisplayWidth.of(plainText) > width else { return [self] }
        let indent = String(repeating: " ", count: min(width / 2, plainText.prefix { $0 == " " }.count + 2))
        var lines: [StyledLine] = []
        var current: [Span] = []
        var used = 0
        for span in spans {
            var run = ""
            for c in span.text {
                let w = DisplayWidth.of(c)
                if used + w > width {
                    if !run.isEmpty { current.append(Span(run, span.style)) }
                    lines.append(StyledLine(current))
                    current = [Span(indent)]
                    used = indent.count
                    run = ""
                }
                run.append(c)
                used += w
            }
            if !run.isEmpty { current.append(Span(run, span.style)) }
        }
        if !current.isEmpty { lines.append(StyledLine(current)) }
        return lines
    }

    /// Draws the line at `point` within `width` cells, clipping the last visible span with `…`.
    public func draw(on surface: Surface, at point: Point, width: Int) {
        var x = point.x
        let end = point.x + width
        let total = DisplayWidth.of(plainText)
        for (i, span) in spans.enumerated() {
            let remaining = end - x
            guard remaining > 0 else { break }
            let w = DisplayWidth.of(span.text)
            let isLast = i == spans.count - 1
            if w > remaining || (!isLast && total > width && w == remaining) {
                surface.text(span.text + (isLast ? "" : "…"), at: Point(x: x, y: point.y), width: remaining, style: span.style)
                break
            }
            surface.put(span.text, at: Point(x: x, y: point.y), style: span.style)
            x += w
        }
    }
}
