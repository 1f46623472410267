import Foundation

/// A scrollable pane of styled lines (request bodies, resources as JSON).
public struct DetailPane {
    public var title: String
    public var lines: [StyledLine]
    public var offset: Int
    public var focused: Bool

    public init(title: String, lines: [StyledLine], offset: Int = 0, focused: Bool = false) {
        self.title = title
        self.lines = lines
        self.offset = offset
        self.focused = focused
    }

    /// The offset after scrolling by `delta` lines in a pane of `rect`.
    public static func scrolled(_ offset: Int, by delta: Int, lineCount: Int, rect: Rect) -> Int {
        let visible = max(1, rect.height - 2)
        return min(max(0, offset + delta), max(0, lineCount - visible))
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height >= 3 else { return }
        surface.fill(rect)
        surface.box(rect, title: title, focused: focused)
        let inner = rect.inset(1)
        let start = min(max(0, offset), max(0, lines.count - 1))
        for (i, line) in lines.dropFirst(start).prefix(inner.height).enumerated() {
            line.draw(on: surface, at: Point(x: inner.x, y: inner.y + i), width: inner.width)
        }
        if lines.count > inner.height, rect.width > 12 {
            let label = " \(min(start + inner.height, lines.count))/\(lines.count) "
            surface.put(label, at: Point(x: rect.maxX - DisplayWidth.of(label) - 2, y: rect.maxY - 1), style: Style(.dim))
        }
    }
}
