/// A colour as theme files name it: the terminal's default, one of the 16
/// named colours, or a 256-colour index.
public enum ThemeColor: Sendable, Equatable {
    case terminalDefault
    case indexed(Int)

    static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright_black": 8, "gray": 8, "grey": 8, "bright_red": 9, "bright_green": 10, "bright_yellow": 11,
        "bright_blue": 12, "bright_magenta": 13, "bright_cyan": 14, "bright_white": 15,
    ]

    public init?(name: String) {
        let lowered = name.lowercased().replacingOccurrences(of: "-", with: "_")
        if lowered == "default" || lowered == "none" {
            self = .terminalDefault
        } else if let n = Self.names[lowered] {
            self = .indexed(n)
        } else if let n = Int(lowered), (0...255).contains(n) {
            self = .indexed(n)
        } else {
            return nil
        }
    }
}

/// Text attributes a theme may give a role.
public struct ThemeAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let bold = ThemeAttributes(rawValue: 1)
    public static let dim = ThemeAttributes(rawValue: 2)
    public static let reverse = ThemeAttributes(rawValue: 4)
    public static let underline = ThemeAttributes(rawValue: 8)
    public static let italic = ThemeAttributes(rawValue: 16)

    static let names: [String: ThemeAttributes] = [
        "bold": .bold, "dim": .dim, "reverse": .reverse, "underline": .underline, "italic": .italic,
    ]
}

/// How one role looks.
public struct RoleAppearance: Sendable, Equatable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: ThemeAttributes

    public init(_ foreground: ThemeColor = .terminalDefault, _ background: ThemeColor = .terminalDefault,
                _ attributes: ThemeAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A theme: an appearance per role. Roles a theme file leaves out look as in the built-in default.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var roles: [Role: RoleAppearance]

    public init(name: String, roles: [Role: RoleAppearance]) {
        self.name = name
        self.roles = roles
    }

    public func appearance(_ role: Role) -> RoleAppearance {
        roles[role] ?? Theme.builtInDefault.roles[role] ?? RoleAppearance()
    }

    /// Whether this theme uses colour at all (monochrome themes use only attributes).
    public var usesColor: Bool {
        roles.values.contains { $0.foreground != .terminalDefault || $0.background != .terminalDefault }
    }

    /// Used when no theme file can be found: reads on dark and light
    /// terminals alike, because it keeps the terminal's own background.
    public static let builtInDefault = Theme(name: "default", roles: [
        .normal: RoleAppearance(),
        .title: RoleAppearance(.indexed(6), .terminalDefault, .bold),
        .keyHint: RoleAppearance(.indexed(3), .terminalDefault, .bold),
        .selection: RoleAppearance(.terminalDefault, .terminalDefault, .reverse),
        .borderFocused: RoleAppearance(.indexed(6)),
        .borderUnfocused: RoleAppearance(.terminalDefault, .terminalDefault, .dim),
        .ok: RoleAppearance(.indexed(2)),
        .warn: RoleAppearance(.indexed(3)),
        .error: RoleAppearance(.indexed(1), .terminalDefault, .bold),
        .rowNew: RoleAppearance(.indexed(2), .terminalDefault, .bold),
        .rowChanged: RoleAppearance(.indexed(3)),
        .rowDeactivated: RoleAppearance(.terminalDefault, .terminalDefault, .dim),
        .dim: RoleAppearance(.terminalDefault, .terminalDefault, .dim),
    ])

    /// Bold and reverse only, for `NO_COLOR` and terminals without colours.
    public static let monochrome = Theme(name: "monochrome", roles: [
        .normal: RoleAppearance(),
        .title: RoleAppearance(.terminalDefault, .terminalDefault, .bold),
        .keyHint: RoleAppearance(.terminalDefault, .terminalDefault, .bold),
        .selection: RoleAppearance(.terminalDefault, .terminalDefault, .reverse),
        .borderFocused: RoleAppearance(.terminalDefault, .terminalDefault, .bold),
        .borderUnfocused: RoleAppearance(),
        .ok: RoleAppearance(),
        .warn: RoleAppearance(.terminalDefault, .terminalDefault, .bold),
        .error: RoleAppearance(.terminalDefault, .terminalDefault, [.bold, .reverse]),
        .rowNew: RoleAppearance(.terminalDefault, .terminalDefault, .bold),
        .rowChanged: RoleAppearance(.terminalDefault, .terminalDefault, .bold),
        .rowDeactivated: RoleAppearance(),
        .dim: RoleAppearance(),
    ])
}
