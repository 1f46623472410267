/// What a piece of text is, for the theme to colour: widgets name roles,
/// never colours, so a theme file can restyle everything.
public enum Role: String, Sendable, CaseIterable, Hashable {
    case normal
    case title
    case keyHint = "key_hint"
    case selection
    case borderFocused = "border_focused"
    case borderUnfocused = "border_unfocused"
    case ok, warn, error
    case rowNew = "row_new"
    case rowChanged = "row_changed"
    case rowDeactivated = "row_deactivated"
    case dim
}

/// A role plus emphasis a widget adds on top (a selected row stays its role's colour, reversed).
public struct Style: Sendable, Equatable, Hashable {
    public var role: Role
    public var bold: Bool
    public var reverse: Bool

    public init(_ role: Role = .normal, bold: Bool = false, reverse: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
    }

    public static let normal = Style()
    public static func role(_ r: Role) -> Style { Style(r) }
}
