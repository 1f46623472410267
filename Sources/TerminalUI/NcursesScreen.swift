import CNcursesw
import Foundation

/// The real terminal, through ncurses. Only the runner thread touches it,
/// because ncurses is not thread-safe.
final class NcursesScreen: Surface {
    private var screen: OpaquePointer?
    private(set) var size = Size(width: 80, height: 24)
    private var attributes: [Role: (attr: attr_t, pair: Int16)] = [:]
    private(set) var hasColors = false
    /// The colours the terminal has (COLORS), once colour has started.
    private(set) var colorCount = 0
    private(set) var theme: Theme
    private(set) var utf8 = true
    private var cursor: Point?

    init(theme: Theme) { self.theme = theme }

    /// Takes over the terminal. Refuses when stdin or stdout is not a TTY,
    /// and uses `newterm` (not `initscr`, which exits on an unknown TERM),
    /// retrying with xterm-256color.
    func start(mouse: Bool) throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        setlocale(LC_ALL, "")
        if cn_codeset_is_utf8() == 0 {
            if setlocale(LC_ALL, "C.UTF-8") == nil { utf8 = false }
        }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? "xterm-256color"
        screen = newterm(term, cn_stdout(), cn_stdin())
        if screen == nil { screen = newterm("xterm-256color", cn_stdout(), cn_stdin()) }
        guard let screen else { throw TerminalError.unknownTerminal(term) }
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        // Flow control would swallow Ctrl-S and Ctrl-Q (the wizard's quit key);
        // turn it off for our session. ncurses restores the saved shell mode on exit.
        var modes = termios()
        if tcgetattr(0, &modes) == 0 {
            modes.c_iflag &= ~tcflag_t(IXON)
            tcsetattr(0, TCSANOW, &modes)
            def_prog_mode()
        }
        keypad(cn_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if mouse { mousemask(cn_all_mouse_events(), nil); mouseinterval(0) }
        // COLORS is 0 until start_color() has read the terminal's description.
        if theme.usesColor, has_colors(), start_color() == cn_ok(), cn_colors() >= 8 {
            use_default_colors()
            hasColors = true
            colorCount = Int(cn_colors())
        }
        if !hasColors { theme = .monochrome }
        buildAttributes()
        updateSize()
    }

    func stop() {
        guard screen != nil else { return }
        curs_set(1)
        endwin()
        delscreen(screen)
        screen = nil
    }

    func updateSize() {
        var y: Int32 = 0, x: Int32 = 0
        cn_getmaxyx(cn_stdscr(), &y, &x)
        size = Size(width: Int(x), height: Int(y))
    }

    /// A theme whose `normal` role has a background owns the screen's
    /// background: erased cells and every role without a background of its
    /// own take it, so the theme reads the same on dark and light terminals.
    private func buildAttributes() {
        var pair: Int16 = 1
        let screenBackground = theme.appearance(.normal).background
        for role in Role.allCases {
            var look = theme.appearance(role)
            if look.background == .terminalDefault {
                look.background = screenBackground
                look.fallback.background = theme.appearance(.normal).fallback.background
            }
            var attr = cn_a_normal()
            if look.attributes.contains(.bold) { attr |= cn_a_bold() }
            if look.attributes.contains(.dim) { attr |= cn_a_dim() }
            if look.attributes.contains(.reverse) { attr |= cn_a_reverse() }
            if look.attributes.contains(.underline) { attr |= cn_a_underline() }
            if look.attributes.contains(.italic) { attr |= cn_a_italic() }
            var usePair: Int16 = 0
            if hasColors, look.foreground != .terminalDefault || look.background != .terminalDefault {
                let colors = look.colorIndexes(onTerminalWith: colorCount)
                init_pair(pair, Int16(colors.foreground), Int16(colors.background))
                usePair = pair
                pair += 1
            }
            attributes[role] = (attr, usePair)
        }
        if hasColors, screenBackground != .terminalDefault, let normal = attributes[.normal] {
            _ = cn_set_background(normal.pair)
        }
    }

    // MARK: Surface

    func clear() {
        erase()
        cursor = nil
    }

    func setCursor(_ point: Point?) { cursor = point }

    func put(_ text: String, at point: Point, style: Style) {
        guard point.y >= 0, point.y < size.height, point.x < size.width else { return }
        // Clip to the screen edge by display width: ncurses would wrap.
        var scalars: [wchar_t] = []
        var x = max(0, point.x)
        var skip = max(0, -point.x)
        if DisplayWidth.isPrintableASCII(text) {
            // One cell per byte (see `DisplayWidth.isPrintableASCII`).
            scalars = text.utf8.dropFirst(skip).prefix(max(0, size.width - x)).map { wchar_t($0) }
        } else {
            for c in text {
                let w = DisplayWidth.of(c)
                if skip > 0 { skip -= max(w, 0); continue }
                if x + w > size.width { break }
                for s in c.unicodeScalars { scalars.append(wchar_t(bitPattern: s.value)) }
                x += w
            }
        }
        guard !scalars.isEmpty else { return }
        var look = attributes[style.role] ?? (cn_a_normal(), 0)
        if style.bold { look.attr |= cn_a_bold() }
        if style.reverse { look.attr |= cn_a_reverse() }
        _ = cn_put(Int32(point.y), Int32(max(0, point.x)), scalars, Int32(scalars.count), look.attr, look.pair)
    }

    /// Shows the frame drawn since `clear()`.
    func present() {
        if let cursor, cursor.x < size.width, cursor.y < size.height {
            move(Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        refresh()
    }

    /// Writes escape sequences ncurses does not know about (OSC 52).
    func writeRaw(_ text: String) {
        cn_fflush_stdout()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
    }

    // MARK: input

    enum Input {
        case key(Key)
        case resize
        case mouse(x: Int, y: Int, button: MouseButton)
    }

    /// Every pending input, without waiting.
    func readAvailable() -> [Input] {
        nodelay(cn_stdscr(), true)
        var inputs: [Input] = []
        var pendingEscape = false
        while true {
            var ch: wint_t = 0
            let result = wget_wch(cn_stdscr(), &ch)
            if result == cn_err() { break }
            if result == cn_key_code_yes() {
                pendingEscape = false
                if let input = decodeKeyCode(Int32(ch)) { inputs.append(input) }
                continue
            }
            let code = UInt32(ch)
            if pendingEscape {
                pendingEscape = false
                if code == 27 {
                    inputs.append(.key(.escape))
                    pendingEscape = true
                } else if let scalar = Unicode.Scalar(code), code >= 32 {
                    inputs.append(.key(.alt(Character(scalar))))
                } else if let k = Key.fromControl(code) {
                    inputs.append(.key(.escape))
                    inputs.append(.key(k))
                }
                continue
            }
            if code == 27 { pendingEscape = true; continue }
            if let k = Key.fromControl(code) {
                inputs.append(.key(k))
            } else if let scalar = Unicode.Scalar(code), code >= 32 {
                inputs.append(.key(.char(Character(scalar))))
            }
        }
        if pendingEscape { inputs.append(.key(.escape)) }
        return inputs
    }

    private func decodeKeyCode(_ code: Int32) -> Input? {
        switch code {
        case cn_key_resize(): return .resize
        case cn_key_up(): return .key(.up)
        case cn_key_down(): return .key(.down)
        case cn_key_left(): return .key(.left)
        case cn_key_right(): return .key(.right)
        case cn_key_home(): return .key(.home)
        case cn_key_end(): return .key(.end)
        case cn_key_ppage(): return .key(.pageUp)
        case cn_key_npage(): return .key(.pageDown)
        case cn_key_backspace(): return .key(.backspace)
        case cn_key_dc(): return .key(.delete)
        case cn_key_ic(): return .key(.insert)
        case cn_key_enter(): return .key(.enter)
        case cn_key_btab(): return .key(.backTab)
        case cn_key_mouse():
            var event = MEVENT()
            guard getmouse(&event) == cn_ok() else { return nil }
            let b = event.bstate
            if b & cn_button4_pressed() != 0 { return .mouse(x: Int(event.x), y: Int(event.y), button: .wheelUp) }
            if b & cn_button5_pressed() != 0 { return .mouse(x: Int(event.x), y: Int(event.y), button: .wheelDown) }
            if b & cn_button1_clicked() != 0 { return .mouse(x: Int(event.x), y: Int(event.y), button: .left) }
            return nil
        default:
            for n in 1...12 where code == cn_key_f(Int32(n)) { return .key(.function(n)) }
            return nil
        }
    }
}
