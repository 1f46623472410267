/// The top line: a title on the left, status segments on the right.
public struct HeaderBar: Sendable {
    public var title: String
    public var segments: [Span]

    public init(title: String, segments: [Span] = []) {
        self.title = title
        self.segments = segments
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height > 0 else { return }
        surface.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        let titleText = " \(title) "
        let titleWidth = min(DisplayWidth.of(titleText), rect.width)
        surface.text(titleText, at: Point(x: rect.x, y: rect.y), width: titleWidth, style: Style(.title, reverse: true))
        let available = rect.width - titleWidth - 1
        guard available > 0 else { return }
        // When space is short the leftmost segments go first: the rightmost
        // (LIVE / PAUSED) matter most.
        var shown = segments
        var line = Self.line(shown)
        while DisplayWidth.of(line.plainText) > available, shown.count > 1 {
            shown.removeFirst()
            line = Self.line(shown)
        }
        let width = min(DisplayWidth.of(line.plainText), available)
        line.draw(on: surface, at: Point(x: rect.maxX - width, y: rect.y), width: width)
    }

    static func line(_ segments: [Span]) -> StyledLine {
        var spans: [Span] = []
        for (i, s) in segments.enumerated() {
            if i > 0 { spans.append(Span(" │ ", Style(.dim))) }
            spans.append(s)
        }
        spans.append(Span(" "))
        return StyledLine(spans)
    }
}
