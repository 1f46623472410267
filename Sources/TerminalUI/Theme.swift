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

    /// The colour to draw on a terminal with `colors` colours: itself when
    /// the terminal has it, else the nearest of the terminal's first 8 or 16
    /// (by the xterm palette's RGB values). -1 is the terminal's default.
    public func index(onTerminalWith colors: Int) -> Int {
        switch self {
        case .terminalDefault: return -1
        case .indexed(let n) where n < colors: return n
        case .indexed(let n):
            let available = colors >= 16 ? 16 : 8
            if n < 16 { return n % 8 }
            let rgb = Self.rgb(n)
            return (0..<available).min { Self.distance(Self.rgb($0), rgb) < Self.distance(Self.rgb($1), rgb) }!
        }
    }

    /// The xterm palette: the 16 system colours, the 6×6×6 cube, the 24 greys.
    static func rgb(_ n: Int) -> (Int, Int, Int) {
        let system = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
                      (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
                      (255, 0, 255), (0, 255, 255), (255, 255, 255)]
        if n < 16 { return system[n] }
        if n >= 232 { let g = 8 + 10 * (n - 232); return (g, g, g) }
        let levels = [0, 95, 135, 175, 215, 255]
        let c = n - 16
        return (levels[c / 36], levels[(c / 6) % 6], levels[c % 6])
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }

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

/// How one role looks. A role drawn in one of the 256 colours names what
/// it falls back to on a terminal with 8 or 16 (`fallback`); without one,
/// the nearest of the 16 is taken.
public struct RoleAppearance: Sendable, Equatable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: ThemeAttributes
    /// Colours from the 16 for terminals with fewer than 256.
    public var fallback: (foreground: ThemeColor?, background: ThemeColor?)

    public init(_ foreground: ThemeColor = .terminalDefault, _ background: ThemeColor = .terminalDefault,
                _ attributes: ThemeAttributes = [], fallback: (foreground: ThemeColor?, background: ThemeColor?) = (nil, nil)) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.fallback = fallback
    }

    public static func == (a: RoleAppearance, b: RoleAppearance) -> Bool {
        a.foreground == b.foreground && a.background == b.background && a.attributes == b.attributes
            && a.fallback.foreground == b.fallback.foreground && a.fallback.background == b.fallback.background
    }

    /// The colour indexes to draw with on a terminal with `colors` colours (-1: the terminal's default).
    public func colorIndexes(onTerminalWith colors: Int) -> (foreground: Int, background: Int) {
        func pick(_ color: ThemeColor, _ fallback: ThemeColor?) -> Int {
            if colors < 256, case .indexed(let n) = color, n >= 16, let fallback { return fallback.index(onTerminalWith: colors) }
            return color.index(onTerminalWith: colors)
        }
        return (pick(foreground, fallback.foreground), pick(background, fallback.background))
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

    /// Used when no theme file can be found (the same as `Themes/default.yaml`):
    /// keeps the terminal's own background and draws in mid-tones that read
    /// on black and on white, each with a standard colour to fall back to.
    public static let builtInDefault = Theme(name: "default", roles: [
        .normal: RoleAppearance(),
        .title: RoleAppearance(.indexed(37), .terminalDefault, .bold, fallback: (.indexed(6), nil)),
        .keyHint: RoleAppearance(.indexed(136), .terminalDefault, .bold, fallback: (.indexed(3), nil)),
        .selection: RoleAppearance(.indexed(16), .indexed(37), fallback: (.indexed(0), .indexed(6))),
        .borderFocused: RoleAppearance(.indexed(37), fallback: (.indexed(6), nil)),
        .borderUnfocused: RoleAppearance(.terminalDefault, .terminalDefault, .dim),
        .ok: RoleAppearance(.indexed(28), fallback: (.indexed(2), nil)),
        .warn: RoleAppearance(.indexed(136), fallback: (.indexed(3), nil)),
        .error: RoleAppearance(.indexed(160), .terminalDefault, .bold, fallback: (.indexed(1), nil)),
        .rowNew: RoleAppearance(.indexed(28), .terminalDefault, .bold, fallback: (.indexed(2), nil)),
        .rowChanged: RoleAppearance(.indexed(136), fallback: (.indexed(3), nil)),
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
