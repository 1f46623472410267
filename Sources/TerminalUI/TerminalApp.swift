import Foundation

/// An app the runner drives: it gets every event on the runner's one
/// thread, and draws a frame on demand. All its state lives on that thread.
public protocol TerminalApp: AnyObject {
    associatedtype Message: Sendable

    /// Handles an event; return `.quit(status)` to stop the runner.
    func handle(_ event: TerminalEvent<Message>, context: TerminalContext) -> AppStep
    /// Draws the whole frame.
    func draw(on surface: Surface, context: TerminalContext)
    /// When the app next needs a `.tick` (an expiring status message, a fading highlight); nil for never.
    func nextTick(after now: Date) -> Date?
}

public enum AppStep: Sendable, Equatable {
    case `continue`
    case quit(Int32)
}

/// What an app may ask of the terminal while handling an event.
public final class TerminalContext {
    public internal(set) var size: Size
    public let theme: Theme
    /// Block characters may not show: fall back to ASCII (sparklines).
    public let asciiOnly: Bool
    var pendingOutput: [String] = []

    init(size: Size, theme: Theme, asciiOnly: Bool) {
        self.size = size
        self.theme = theme
        self.asciiOnly = asciiOnly
    }

    /// For tests and the in-memory surface.
    public static func offscreen(size: Size, theme: Theme = .builtInDefault) -> TerminalContext {
        TerminalContext(size: size, theme: theme, asciiOnly: false)
    }

    /// Copies text to the clipboard (OSC 52) after the next frame is drawn.
    public func copyToClipboard(_ text: String) {
        let inTmux = ProcessInfo.processInfo.environment["TMUX"] != nil
        pendingOutput.append(Clipboard.sequence(for: text, insideTmux: inTmux))
    }

    /// The escape sequences queued since the last frame (taken by the runner).
    public func takePendingOutput() -> [String] {
        defer { pendingOutput = [] }
        return pendingOutput
    }
}

/// Options for starting the terminal.
public struct TerminalOptions: Sendable {
    public var theme: Theme
    public var mouse: Bool
    /// Frames per second at most; events arriving faster are coalesced into one frame.
    public var maxFramesPerSecond: Double

    public init(theme: Theme = .builtInDefault, mouse: Bool = false, maxFramesPerSecond: Double = 20) {
        self.theme = theme
        self.mouse = mouse
        self.maxFramesPerSecond = maxFramesPerSecond
    }
}

public enum TerminalError: Error, CustomStringConvertible, Equatable {
    case notATerminal
    case unknownTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "scim-console needs a terminal, but stdin or stdout is not one. To run without a terminal, use `scim-console serve` (and `scim-console users list`)."
        case .unknownTerminal(let term):
            return "The terminal type \"\(term)\" is unknown and xterm-256color did not work either; set TERM to a type this system knows (for example xterm-256color)."
        }
    }
}
