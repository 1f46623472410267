/// A single-choice list: one option selected, ↑/↓ to move.
public struct ChoiceList: Sendable, Equatable {
    public var options: [String]
    public var details: [String]
    public var selected: Int

    public init(options: [String], details: [String] = [], selected: Int = 0) {
        self.options = options
        self.details = details
        self.selected = min(max(0, selected), max(0, options.count - 1))
    }

    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .up, .char("k"): selected = max(0, selected - 1)
        case .down, .char("j"): selected = min(options.count - 1, selected + 1)
        case .home: selected = 0
        case .end: selected = options.count - 1
        default: return false
        }
        return true
    }

    public func draw(on surface: Surface, in rect: Rect, focused: Bool) {
        for (i, option) in options.enumerated() where i < rect.height {
            let mark = i == selected ? "(•) " : "( ) "
            let isSel = i == selected
            let style = isSel ? (focused ? Style(.selection) : Style(.title)) : Style.normal
            var line = mark + option
            if i < details.count, !details[i].isEmpty { line += "  — " + details[i] }
            surface.text(line, at: Point(x: rect.x, y: rect.y + i), width: rect.width, style: style, pad: isSel)
        }
    }
}
