/// A confirmation that names its target and the consequence. Focus starts
/// on Cancel; `y`, or Enter on the confirm button, confirms; Esc and `n`
/// cancel, as does Enter on Cancel.
public struct ConfirmDialog: Sendable, Equatable {
    public enum Focus: Sendable { case cancel, confirm }
    public enum Outcome: Sendable, Equatable { case confirmed, cancelled, pending }

    public var title: String
    public var target: String
    public var consequence: String
    public var confirmLabel: String
    public private(set) var focus: Focus = .cancel

    public init(title: String, target: String, consequence: String, confirmLabel: String = "Confirm") {
        self.title = title
        self.target = target
        self.consequence = consequence
        self.confirmLabel = confirmLabel
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .char("y"), .char("Y"): return .confirmed
        case .char("n"), .char("N"), .escape: return .cancelled
        case .tab, .backTab, .left, .right, .char("h"), .char("l"):
            focus = focus == .cancel ? .confirm : .cancel
            return .pending
        case .enter:
            return focus == .cancel ? .cancelled : .confirmed
        default:
            return .pending
        }
    }

    /// The box on `screen`, its wrapped lines, and where its two buttons are.
    func layout(in screen: Rect) -> (rect: Rect, lines: [String], cancel: Rect, confirm: Rect) {
        let body = [target, "", consequence]
        let width = min(screen.width - 4, max(44, body.map { DisplayWidth.of($0) }.max()! + 6))
        let wrapped = body.flatMap { Self.wrap($0, width: width - 4) }
        let rect = screen.centered(width: width, height: wrapped.count + 6)
        let y = rect.maxY - 2
        let cancelWidth = DisplayWidth.of(cancelLabel)
        return (rect, wrapped, Rect(x: rect.x + 2, y: y, width: cancelWidth, height: 1),
                Rect(x: rect.x + 2 + cancelWidth + 2, y: y, width: DisplayWidth.of(confirmButton), height: 1))
    }

    private var cancelLabel: String { "[ Cancel (n) ]" }
    private var confirmButton: String { "[ \(confirmLabel) (y) ]" }

    /// A click at (x, y) on `screen`: on a button, what pressing it does.
    public func click(x: Int, y: Int, in screen: Rect) -> Outcome {
        let l = layout(in: screen)
        if l.cancel.contains(Point(x: x, y: y)) { return .cancelled }
        if l.confirm.contains(Point(x: x, y: y)) { return .confirmed }
        return .pending
    }

    public func draw(on surface: Surface, in screen: Rect) {
        let (rect, wrapped, _, _) = layout(in: screen)
        surface.fill(rect)
        surface.box(rect, title: title, focused: true)
        for (i, line) in wrapped.enumerated() {
            surface.text(line, at: Point(x: rect.x + 2, y: rect.y + 2 + i), width: rect.width - 4,
                         style: i == 0 ? Style(.title) : .normal)
        }
        let y = rect.maxY - 2
        let cancel = cancelLabel
        let confirm = confirmButton
        let cx = rect.x + 2
        surface.put(cancel, at: Point(x: cx, y: y), style: focus == .cancel ? Style(.selection) : .normal)
        surface.put(confirm, at: Point(x: cx + DisplayWidth.of(cancel) + 2, y: y),
                    style: focus == .confirm ? Style(.error, reverse: true) : Style(.warn))
    }

    /// Wraps text at spaces to `width` cells (see `TextWrap`).
    public static func wrap(_ text: String, width: Int) -> [String] {
        TextWrap.lines(text, width: width)
    }
}
