/// What a step did, line by line, for the wizard's result panel and the
/// headless `setup` command's output alike.
public struct StepReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable, CustomStringConvertible {
        public enum Level: String, Sendable, Equatable { case info, ok, warn, fail }
        public var level: Level
        public var text: String

        public init(_ level: Level, _ text: String) {
            self.level = level
            self.text = text
        }

        public var description: String {
            switch level {
            case .info: return "  \(text)"
            case .ok: return "✓ \(text)"
            case .warn: return "! \(text)"
            case .fail: return "✗ \(text)"
            }
        }
    }

    public var lines: [Line] = []

    public init(_ lines: [Line] = []) { self.lines = lines }

    /// A report read back from its printed lines (saved progress keeps them so).
    public init(restoring printed: [String]) {
        lines = printed.map { text in
            let level: Line.Level = switch text.first {
            case "✓": .ok
            case "!": .warn
            case "✗": .fail
            default: .info
            }
            return Line(level, String(text.dropFirst(2)))
        }
    }

    /// True when no line failed.
    public var ok: Bool { !lines.contains { $0.level == .fail } }

    public mutating func add(_ level: Line.Level, _ text: String) { lines.append(Line(level, text)) }
}
