/// Numbered tabs (`1 Users  2 Teams  3 Requests`), the selected one highlighted.
public struct TabStrip: Sendable {
    public var tabs: [String]
    public var selected: Int

    public init(tabs: [String], selected: Int) {
        self.tabs = tabs
        self.selected = selected
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height > 0 else { return }
        surface.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        var x = rect.x + 1
        for (i, name) in tabs.enumerated() {
            let label = " \(i + 1) \(name) "
            let w = DisplayWidth.of(label)
            guard x + w <= rect.maxX else { break }
            surface.put(label, at: Point(x: x, y: rect.y), style: i == selected ? Style(.selection, bold: true) : Style(.dim))
            x += w + 1
        }
    }
}
