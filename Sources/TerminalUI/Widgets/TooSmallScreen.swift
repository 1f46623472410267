/// What is drawn instead of the app when the terminal is smaller than it needs.
public struct TooSmallScreen: Sendable {
    public static let minimum = Size(width: 80, height: 24)

    public static func fits(_ size: Size) -> Bool {
        size.width >= minimum.width && size.height >= minimum.height
    }

    public static func draw(on surface: Surface) {
        let size = surface.size
        surface.clear()
        let lines = [
            "terminal too small: \(size.width)×\(size.height), need \(minimum.width)×\(minimum.height)",
            "enlarge the window, or press q to quit",
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < size.height {
            let w = min(DisplayWidth.of(line), size.width)
            surface.text(line, at: Point(x: max(0, (size.width - w) / 2), y: top + i), width: size.width,
                         style: i == 0 ? Style(.warn) : Style(.dim))
        }
    }
}
