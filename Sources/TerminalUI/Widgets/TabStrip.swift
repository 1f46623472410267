/// Numbered tabs (`1 Users  2 Teams  3 Requests`), the selected one highlighted.
public struct TabStrip: Sendable {
    public var tabs: [String]
    public var selected: Int

    public init(tabs: [String], selected: Int) {
        self.tabs = tabs
        self.selected = selected
    }

    /// Each tab's label and the columns it takes in `rect`.
    func labels(in rect: Rect) -> [(label: String, columns: Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var x = rect.x + 1
        for (i, name) in tabs.enumerated() {
            let label = " \(i + 1) \(name) "
            let w = DisplayWidth.of(label)
            guard x + w <= rect.maxX else { break }
            out.append((label, x..<(x + w)))
            x += w + 1
        }
        return out
    }

    /// The tab drawn at column `x` of `rect`, for a mouse click.
    public func tab(at x: Int, in rect: Rect) -> Int? {
        labels(in: rect).firstIndex { $0.columns.contains(x) }
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height > 0 else { return }
        surface.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        for (i, tab) in labels(in: rect).enumerated() {
            surface.put(tab.label, at: Point(x: tab.columns.lowerBound, y: rect.y),
                        style: i == selected ? Style(.selection, bold: true) : Style(.dim))
        }
    }
}
