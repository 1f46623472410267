/// A one-line chart of recent values with block characters, or ASCII on
/// terminals that cannot show them.
public struct Sparkline: Sendable {
    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public static let ascii: [Character] = ["_", ".", ",", "-", "~", "+", "*", "#"]

    public var values: [Double]
    public var useASCII: Bool

    public init(values: [Double], useASCII: Bool = false) {
        self.values = values
        self.useASCII = useASCII
    }

    /// The last `width` values as characters, scaled so the largest is the top block.
    public func render(width: Int) -> String {
        guard width > 0 else { return "" }
        let shown = Array(values.suffix(width))
        let top = shown.max() ?? 0
        let glyphs = useASCII ? Self.ascii : Self.blocks
        let body = shown.map { v -> Character in
            guard top > 0, v > 0 else { return " " }
            // Any positive value shows at least the lowest block.
            let level = Int((v / top * Double(glyphs.count)).rounded(.up)) - 1
            return glyphs[min(max(level, 0), glyphs.count - 1)]
        }
        return String(repeating: " ", count: width - body.count) + String(body)
    }
}
