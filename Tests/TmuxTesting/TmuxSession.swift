import Foundation

/// A program running in its own tmux server, for end-to-end tests that read
/// the screen as a person would. Each session has a private socket, so tests
/// never touch each other or the developer's tmux; the server is killed when
/// the session is closed or deallocated, even when a test fails.
public final class TmuxSession {
    public enum Failure: Error, CustomStringConvertible {
        case tmuxMissing
        case timeout(String, screen: String)
        case commandFailed(String)

        public var description: String {
            switch self {
            case .tmuxMissing: return "tmux is not installed (apt-get install tmux)"
            case .timeout(let what, let screen): return "timed out waiting for \(what); the screen was:\n\(screen)"
            case .commandFailed(let c): return "tmux command failed: \(c)"
            }
        }
    }

    public let socket: String
    /// Where the wrapper writes the program's exit status and whether the tty was restored.
    private let statusFile: String
    public private(set) var size: (width: Int, height: Int)
    private var closed = false

    /// The marker the wrapper prints after the program exits if the
    /// terminal's settings (stty) are what they were before it started.
    public static let restoredMarker = "TTY-RESTORED"

    /// Starts `command` (argv) in a `width`×`height` window with
    /// `TERM=tmux-256color` and any extra environment.
    public init(_ command: [String], width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || Self.which("tmux") != nil else {
            throw Failure.tmuxMissing
        }
        socket = "scimtest-\(UUID().uuidString.prefix(8))"
        statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).status").path
        size = (width, height)
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", "sleep 100000"])
        try tmux(["set-option", "-g", "remain-on-exit", "on"])
        try tmux(["set-option", "-g", "default-terminal", "tmux-256color"])
        try tmux(["set-option", "-g", "status", "off"])
        try tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
        // The test runner's NO_COLOR (SwiftPM sets it when its output is not a terminal) is
        // not the program's: a test that wants monochrome passes NO_COLOR itself.
        var env = ["TERM=tmux-256color", "LANG=C.UTF-8"]
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { env.append("\(k)=\(v)") }
        let quoted = command.map(Self.shellQuote).joined(separator: " ")
        // `trap : INT` keeps the wrapper alive through a Ctrl-C aimed at the program.
        let wrapper = """
            trap : INT; S=$(stty -g); env -u NO_COLOR \(env.map(Self.shellQuote).joined(separator: " ")) \(quoted); rc=$?; \
            if [ "$(stty -g)" = "$S" ]; then r=\(Self.restoredMarker); else r=TTY-BROKEN; fi; \
            echo "$rc $r" > \(Self.shellQuote(statusFile)); echo "$r"; exit $rc
            """
        try tmux(["respawn-pane", "-k", "-t", "main", "sh", "-c", wrapper])
    }

    deinit { close() }

    /// Kills the tmux server.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: statusFile)
        try? FileManager.default.removeItem(atPath: "\(NSTemporaryDirectory())/tmux-\(getuid())/\(socket)")
    }

    /// The visible screen as text, one line per row.
    public func screen() -> String {
        (try? tmux(["capture-pane", "-p", "-t", "main"])) ?? ""
    }

    /// The visible screen with its SGR escape sequences (`capture-pane -e`),
    /// for tests of colour: each line as tmux writes it.
    public func styledScreen() -> [String] {
        ((try? tmux(["capture-pane", "-p", "-e", "-N", "-t", "main"])) ?? "").components(separatedBy: "\n")
    }

    /// How the first cell of `text` is drawn: its colours as palette indexes
    /// (nil for the terminal's default), reverse and bold.
    public struct CellLook: Equatable, CustomStringConvertible {
        public var foreground: Int?
        public var background: Int?
        public var reverse = false
        public var bold = false
        public var description: String { "fg \(foreground.map(String.init) ?? "default") bg \(background.map(String.init) ?? "default")\(reverse ? " reverse" : "")\(bold ? " bold" : "")" }
    }

    public func look(of text: String) -> CellLook? {
        guard let params = sgr(before: text) else { return nil }
        var look = CellLook()
        var i = 0
        while i < params.count {
            let p = params[i]
            switch p {
            case 1: look.bold = true
            case 22: look.bold = false
            case 7: look.reverse = true
            case 27: look.reverse = false
            case 30...37: look.foreground = p - 30
            case 90...97: look.foreground = p - 90 + 8
            case 39: look.foreground = nil
            case 40...47: look.background = p - 40
            case 100...107: look.background = p - 100 + 8
            case 49: look.background = nil
            case 38, 48:
                if i + 2 < params.count, params[i + 1] == 5 {
                    if p == 38 { look.foreground = params[i + 2] } else { look.background = params[i + 2] }
                    i += 2
                }
            default: break
            }
            i += 1
        }
        return look
    }

    /// Whether any cell on screen is drawn in a colour (SGR 30–37, 40–47, 90–97, 100–107, 38, 48).
    public func drawsColour() -> Bool {
        for line in styledScreen() {
            var rest = Substring(line)
            while let start = rest.range(of: "\u{1B}[") {
                guard let end = rest[start.upperBound...].firstIndex(of: "m") else { break }
                let params = rest[start.upperBound..<end].split(separator: ";").compactMap { Int($0) }
                var i = 0
                while i < params.count {
                    let p = params[i]
                    if (30...37).contains(p) || (40...47).contains(p) || (90...97).contains(p) || (100...107).contains(p) { return true }
                    if p == 38 || p == 48 { return true }
                    i += 1
                }
                rest = rest[rest.index(after: end)...]
            }
        }
        return false
    }

    /// The SGR parameters in effect where `text` starts on the first line
    /// holding it: every parameter set since the last reset, in order
    /// (`[1, 7, 38, 5, 37]`). tmux carries attributes from one line to the
    /// next, so the scan starts at the top of the screen.
    public func sgr(before text: String) -> [Int]? {
        var active: [Int] = []
        for line in styledScreen() {
            var rest = Substring(line)
            while !rest.isEmpty {
                if rest.hasPrefix(text) { return active }
                if rest.hasPrefix("\u{1B}["), let end = rest.firstIndex(of: "m") {
                    let params = rest[rest.index(rest.startIndex, offsetBy: 2)..<end].split(separator: ";", omittingEmptySubsequences: false)
                        .map { Int($0) ?? 0 }
                    for (i, p) in params.enumerated() {
                        if p == 0 && (i == 0 || !(params[i - 1] == 5 || params[i - 1] == 38 || params[i - 1] == 48)) { active = [] } else { active.append(p) }
                    }
                    rest = rest[rest.index(after: end)...]
                } else {
                    rest = rest.dropFirst()
                }
            }
        }
        return nil
    }

    /// Polls the screen until `predicate` holds; no fixed sleeps.
    @discardableResult
    public func waitUntil(_ what: String, timeout: TimeInterval = 10, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure.timeout(what, screen: last)
    }

    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitUntil("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    @discardableResult
    public func waitForAbsence(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitUntil("\"\(text)\" to go away", timeout: timeout) { !$0.contains(text) }
    }

    /// Sends keys by tmux name: "Tab", "Enter", "Escape", "Down", "C-c", "y"…
    public func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "main"] + keys)
    }

    /// Types text literally.
    public func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "main", "-l", text])
    }

    public func resize(width: Int, height: Int) throws {
        size = (width, height)
        try tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits for the program to exit and returns its exit status, which the
    /// wrapper records in a file (simpler to read than tmux's `pane_dead_status`).
    public func waitForExit(timeout: TimeInterval = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
                let status = text.split(separator: " ").first.flatMap({ Int32($0) })
            {
                terminalRestored = text.contains(Self.restoredMarker)
                return status
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure.timeout("the program to exit", screen: screen())
    }

    /// After `waitForExit`: whether the terminal settings were as before the program ran.
    public private(set) var terminalRestored = false

    /// Runs tmux with posix_spawn and waitpid. Foundation's `Process` is not
    /// used here: the server that `new-session` starts outlives the client
    /// and inherits its descriptors, which keeps `Process` from noticing the
    /// client's exit. Output goes through a temporary file for the same reason.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let tmux = Self.which("tmux") ?? "/usr/bin/tmux"
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of this process may leak into tmux: its server outlives the call, and an
        // inherited pipe end (another test's Process) would never see EOF.
        Self.closeFrom(3, &actions)
        let argv = ([tmux, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        // Threads of the test runner block signals; a tmux server inheriting
        // that mask never hears SIGCHLD, so it neither reaps its panes nor
        // finishes `kill-server`. Start it with no signal blocked or ignored.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawn(&pid, tmux, &actions, &attributes, argv, environ) == 0 else {
            throw Failure.commandFailed(arguments.joined(separator: " "))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw Failure.commandFailed(arguments.joined(separator: " ")) }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not import.
    private static func closeFrom(_ fd: Int32, _ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            // Older glibc: close what is open now.
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
                if let n = Int32(entry), n >= fd { posix_spawn_file_actions_addclose(&actions, n) }
            }
            return
        }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, fd)
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func shellQuote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The package's build folder holding an executable built for the tests.
    public static func builtExecutable(_ name: String, file: String = #filePath) -> String {
        let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/\(name)").path
    }
}
