/// The footer: the keys that work here, which change with context.
///
/// When they do not fit, bindings give way from the end of the list, except
/// those marked `keep` (help and quit), which are always shown, at the end.
public struct KeyHintFooter: Sendable {
    public var bindings: [KeyBinding]

    public init(_ bindings: [KeyBinding]) { self.bindings = bindings }

    /// The bindings shown in `width` cells.
    public func fitting(_ width: Int) -> [KeyBinding] {
        var shown = bindings.filter(\.inFooter)
        while Self.width(of: shown) > width, let last = shown.lastIndex(where: { !$0.keep }) {
            shown.remove(at: last)
        }
        return shown.filter { !$0.keep } + shown.filter(\.keep)
    }

    static func width(of bindings: [KeyBinding]) -> Int {
        1 + bindings.map { DisplayWidth.of($0.keys) + 1 + DisplayWidth.of($0.action) + 2 }.reduce(0, +) - (bindings.isEmpty ? 0 : 2)
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height > 0 else { return }
        surface.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        var spans: [Span] = [Span(" ")]
        for (i, b) in fitting(rect.width).enumerated() {
            if i > 0 { spans.append(Span("  ")) }
            spans.append(Span(b.keys, Style(.keyHint)))
            spans.append(Span(" \(b.action)"))
        }
        StyledLine(spans).draw(on: surface, at: Point(x: rect.x, y: rect.y), width: rect.width)
    }
}
