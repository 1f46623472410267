import Foundation

/// A message for the status line; it disappears at `expires`.
public struct StatusMessage: Sendable, Equatable {
    public enum Level: Sendable { case info, ok, warn, error }
    public var text: String
    public var level: Level
    public var expires: Date

    public init(_ text: String, level: Level = .info, now: Date = Date(), lasting seconds: Double = 5) {
        self.text = text
        self.level = level
        self.expires = now.addingTimeInterval(seconds)
    }

    public var style: Style {
        switch level {
        case .info: return .normal
        case .ok: return Style(.ok)
        case .warn: return Style(.warn)
        case .error: return Style(.error)
        }
    }
}

/// The status line: the current message until it expires, else nothing.
public struct StatusLine: Sendable {
    public var message: StatusMessage?
    public init(_ message: StatusMessage?) { self.message = message }

    public func draw(on surface: Surface, in rect: Rect, now: Date) {
        guard rect.height > 0 else { return }
        surface.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        guard let message, message.expires > now else { return }
        surface.text(" " + message.text, at: Point(x: rect.x, y: rect.y), width: rect.width, style: message.style)
    }
}
