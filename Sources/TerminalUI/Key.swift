/// A key press, decoded from whatever the terminal sent.
public enum Key: Sendable, Equatable, Hashable, CustomStringConvertible {
    case char(Character)
    /// Ctrl plus a letter (`ctrl("a")` is Ctrl-A).
    case ctrl(Character)
    case alt(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, tab, backTab, escape, backspace, delete, insert
    case function(Int)

    public var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(c.uppercased())"
        case .alt(let c): return "Alt-\(c)"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .function(let n): return "F\(n)"
        }
    }

    /// Decodes a control character as typed (Tab, Enter, Ctrl-letters, Backspace, Esc).
    public static func fromControl(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(code + 96)!))
        default: return nil
        }
    }
}

/// A key and what it does, for footers and the generated help overlay.
public struct KeyBinding: Sendable, Equatable {
    public var keys: String
    public var action: String
    /// Shown in the footer too, not only in help.
    public var inFooter: Bool
    /// Never gives way in a narrow footer (help, quit).
    public var keep: Bool

    public init(_ keys: String, _ action: String, inFooter: Bool = true, keep: Bool = false) {
        self.keys = keys
        self.action = action
        self.inFooter = inFooter
        self.keep = keep
    }
}

/// What reaches an app: keys, resizes, ticks, and events from other tasks.
public enum TerminalEvent<Message: Sendable>: Sendable {
    case key(Key)
    case resize(Size)
    case tick
    case message(Message)
    case mouse(x: Int, y: Int, button: MouseButton)
}

public enum MouseButton: Sendable, Equatable {
    case left, wheelUp, wheelDown
}
