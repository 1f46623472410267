/// An editable line of text: cursor movement, Home/End, the Emacs keys
/// Ctrl-A/E/K/U/W, paste (many characters at once), and masking for secrets
/// with a reveal key (Ctrl-R).
public struct TextFieldState: Sendable, Equatable {
    public private(set) var text: String
    /// Cursor position, in characters.
    public private(set) var cursor: Int
    public var masked: Bool
    public private(set) var revealed = false

    public init(_ text: String = "", masked: Bool = false) {
        self.text = text
        self.cursor = text.count
        self.masked = masked
    }

    public mutating func set(_ text: String) {
        self.text = text
        cursor = text.count
    }

    /// Applies a key; returns false when the key is not the field's to handle.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        var chars = Array(text)
        switch key {
        case .char(let c):
            chars.insert(c, at: cursor)
            cursor += 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(chars.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = chars.count
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return true }
            chars.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < chars.count else { return true }
            chars.remove(at: cursor)
        case .ctrl("k"):
            chars.removeSubrange(cursor..<chars.count)
        case .ctrl("u"):
            chars.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrl("w"):
            var start = cursor
            while start > 0, chars[start - 1] == " " { start -= 1 }
            while start > 0, chars[start - 1] != " " { start -= 1 }
            chars.removeSubrange(start..<cursor)
            cursor = start
        case .ctrl("r") where masked:
            revealed.toggle()
        default:
            return false
        }
        text = String(chars)
        return true
    }

    /// Inserts pasted text at the cursor, dropping line breaks.
    public mutating func paste(_ pasted: String) {
        for c in pasted where c != "\n" && c != "\r" { handle(.char(c)) }
    }

    /// What is shown: the text, or bullets while masked and not revealed.
    public var shown: String {
        masked && !revealed ? String(repeating: "•", count: text.count) : text
    }
}

/// A labelled text field with its validation message under it.
public struct TextField {
    public var label: String
    public var state: TextFieldState
    public var focused: Bool
    public var error: String?
    public var hint: String?

    public init(label: String, state: TextFieldState, focused: Bool, error: String? = nil, hint: String? = nil) {
        self.label = label
        self.state = state
        self.focused = focused
        self.error = error
        self.hint = hint
    }

    /// Rows the field takes: label + input, and one more for an error or hint.
    public var height: Int { error != nil || hint != nil ? 3 : 2 }

    /// Draws the field; the surface cursor is placed in it when focused.
    public func draw(on surface: Surface, at point: Point, width: Int) {
        surface.text(label, at: point, width: width, style: Style(focused ? .title : .normal))
        let inputY = point.y + 1
        let fieldWidth = max(1, width - 2)
        surface.put("[", at: Point(x: point.x, y: inputY), style: Style(focused ? .borderFocused : .borderUnfocused))
        surface.put("]", at: Point(x: point.x + width - 1, y: inputY), style: Style(focused ? .borderFocused : .borderUnfocused))
        // Scroll horizontally so the cursor is always visible.
        let chars = Array(state.shown)
        var start = 0
        func widthOf(_ r: Range<Int>) -> Int { DisplayWidth.of(String(chars[r])) }
        while widthOf(start..<state.cursor) > fieldWidth - 1 { start += 1 }
        var end = start
        while end < chars.count, widthOf(start..<(end + 1)) <= fieldWidth { end += 1 }
        surface.text(String(chars[start..<end]), at: Point(x: point.x + 1, y: inputY), width: fieldWidth,
                     style: focused ? Style(.normal, bold: true) : .normal, pad: true)
        if focused {
            surface.setCursor(Point(x: point.x + 1 + widthOf(start..<state.cursor), y: inputY))
        }
        if let error {
            surface.text("✗ " + error, at: Point(x: point.x, y: inputY + 1), width: width, style: Style(.error))
        } else if let hint {
            surface.text(hint, at: Point(x: point.x, y: inputY + 1), width: width, style: Style(.dim))
        }
    }
}
