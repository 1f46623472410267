/// The top line: a title on the left, status segments on the right.
///
/// When the segments do not fit, they give way by their `drop` rank, the
/// lowest first; a segment without one never gives way. If the line is
/// still too long, segments that have a shorter form take it, left to
/// right. What never gives way is cut last, from its own end, so the line
/// is always whole.
public struct HeaderBar: Sendable {
    public struct Segment: Sendable {
        public var span: Span
        /// The order in which segments give way when space is short (lowest first); nil: never.
        public var drop: Int?
        /// What the segment says when even the segments that give way are gone and space is still short.
        public var short: Span?

        public init(_ span: Span, drop: Int? = nil, short: Span? = nil) {
            self.span = span
            self.drop = drop
            self.short = short
        }
    }

    public var title: String
    public var segments: [Segment]

    public init(title: String, segments: [Segment]) {
        self.title = title
        self.segments = segments
    }

    /// Segments that give way from the left: the rightmost matter most.
    public init(title: String, segments: [Span] = []) {
        self.init(title: title, segments: segments.enumerated().map { Segment($1, drop: $0 == segments.count - 1 ? nil : $0) })
    }

    /// The segments that fit in `available` cells.
    public func fitting(_ available: Int) -> [Span] {
        var shown = segments
        while DisplayWidth.of(Self.line(shown.map(\.span)).plainText) > available,
            let victim = shown.indices.filter({ shown[$0].drop != nil }).min(by: { shown[$0].drop! < shown[$1].drop! })
        {
            shown.remove(at: victim)
        }
        for i in shown.indices where DisplayWidth.of(Self.line(shown.map(\.span)).plainText) > available {
            if let short = shown[i].short { shown[i].span = short }
        }
        return shown.map(\.span)
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height > 0 else { return }
        surface.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        let titleText = " \(title) "
        let titleWidth = min(DisplayWidth.of(titleText), rect.width)
        surface.text(titleText, at: Point(x: rect.x, y: rect.y), width: titleWidth, style: Style(.title, reverse: true))
        let available = rect.width - titleWidth - 1
        guard available > 0 else { return }
        let line = Self.line(fitting(available))
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
