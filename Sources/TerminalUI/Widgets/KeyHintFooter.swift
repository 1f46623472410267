/// The footer: the keys that work here, which change with context.
public struct KeyHintFooter: Sendable {
    public var bindings: [KeyBinding]

    public init(_ bindings: [KeyBinding]) { self.bindings = bindings }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height > 0 else { return }
        surface.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        var spans: [Span] = [Span(" ")]
        for b in bindings where b.inFooter {
            spans.append(Span(b.keys, Style(.keyHint)))
            spans.append(Span(" \(b.action)  "))
        }
        StyledLine(spans).draw(on: surface, at: Point(x: rect.x, y: rect.y), width: rect.width)
    }
}
