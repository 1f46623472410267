import CNcursesw
import Foundation
import Synchronization

/// The write end of the runner's wake-up pipe, for signal handlers, which
/// may only do async-signal-safe things such as `write(2)`.
nonisolated(unsafe) private var wakeFD: Int32 = -1
/// The signal that asked us to stop, if any (set from the handler).
private let stopSignal = Atomic<Int32>(0)

private func onStopSignal(_ signal: Int32) {
    stopSignal.store(signal, ordering: .relaxed)
    var byte: UInt8 = 1
    _ = write(wakeFD, &byte, 1)
}

/// ncurses' own SIGWINCH handler, which `onResizeSignal` calls first.
nonisolated(unsafe) private var ncursesResizeHandler: (@convention(c) (Int32) -> Void)?

/// A resize must wake the runner wherever the kernel delivers the signal:
/// on another thread, `poll` on the runner's would sleep on until a key.
private func onResizeSignal(_ signal: Int32) {
    ncursesResizeHandler?(signal)
    var byte: UInt8 = 2
    _ = write(wakeFD, &byte, 1)
}

private func onCrashSignal(_ signal: Int32) {
    // Best effort: give the terminal back before dying, then die as asked.
    endwin()
    Foundation.signal(signal, SIG_DFL)
    raise(signal)
}

/// Runs a `TerminalApp`: the one owner of every ncurses call. Keys, resizes,
/// ticks and messages from other tasks all arrive here on one thread;
/// redraws are coalesced and capped, and when nothing happens it sleeps in
/// `poll` without a timeout, using no CPU.
public final class TerminalRunner<App: TerminalApp>: @unchecked Sendable {
    // @unchecked: `app` and `screen` are used only by the thread inside
    // `run()`; the only cross-thread entry point is `post`, which goes
    // through the mutex-protected inbox and the pipe.
    private let app: App
    private let options: TerminalOptions
    private let inbox = Mutex<[App.Message]>([])
    private var pipeFDs: [Int32] = [-1, -1]

    public init(app: App, options: TerminalOptions) {
        self.app = app
        self.options = options
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            pipeFDs = fds
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        for fd in pipeFDs where fd >= 0 { close(fd) }
    }

    /// Delivers a message to the app from any thread or task.
    public func post(_ message: App.Message) {
        inbox.withLock { $0.append(message) }
        var byte: UInt8 = 0
        _ = write(pipeFDs[1], &byte, 1)
    }

    /// Takes the terminal, runs until the app quits or a stop signal
    /// arrives, and always restores the terminal. Returns the exit status.
    public func run() throws -> Int32 {
        let screen = NcursesScreen(theme: options.theme)
        wakeFD = pipeFDs[1]
        stopSignal.store(0, ordering: .relaxed)
        let oldInt = signal(SIGINT, onStopSignal)
        let oldTerm = signal(SIGTERM, onStopSignal)
        let oldHup = signal(SIGHUP, onStopSignal)
        for s in [SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGTRAP] { signal(s, onCrashSignal) }
        defer {
            screen.stop()
            signal(SIGINT, oldInt)
            signal(SIGTERM, oldTerm)
            signal(SIGHUP, oldHup)
            for s in [SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGTRAP] { signal(s, SIG_DFL) }
        }
        try screen.start(mouse: options.mouse)
        let oldWinch = signal(SIGWINCH, onResizeSignal)
        ncursesResizeHandler = oldWinch.flatMap { unsafeBitCast($0, to: Int.self) > 1 ? $0 : nil }
        defer { signal(SIGWINCH, oldWinch) }
        let context = TerminalContext(size: screen.size, theme: screen.theme, asciiOnly: !screen.utf8)
        let frameInterval = 1.0 / max(1, options.maxFramesPerSecond)
        var lastFrame = Date.distantPast
        var dirty = true
        var nextTick = app.nextTick(after: Date())

        func deliver(_ event: TerminalEvent<App.Message>) -> Int32? {
            if case .quit(let status) = app.handle(event, context: context) { return status }
            dirty = true
            return nil
        }

        while true {
            let now = Date()
            if dirty, now.timeIntervalSince(lastFrame) >= frameInterval {
                screen.clear()
                app.draw(on: screen, context: context)
                screen.present()
                for output in context.takePendingOutput() { screen.writeRaw(output) }
                lastFrame = now
                dirty = false
                nextTick = app.nextTick(after: now)
            }
            var deadlines: [Date] = []
            if dirty { deadlines.append(lastFrame.addingTimeInterval(frameInterval)) }
            if let nextTick { deadlines.append(nextTick) }
            let timeout: Int32 = deadlines.min().map { Int32(max(0, ($0.timeIntervalSinceNow * 1000).rounded(.up))) } ?? -1

            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: pipeFDs[0], events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, timeout)  // EINTR (SIGWINCH) simply falls through to reading input.

            let signal = stopSignal.load(ordering: .relaxed)
            if signal != 0 { return 128 + signal }

            if fds[1].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 256)
                while read(pipeFDs[0], &buffer, buffer.count) > 0 {}
                for message in inbox.withLock({ box -> [App.Message] in defer { box = [] }; return box }) {
                    if let status = deliver(.message(message)) { return status }
                }
            }
            for input in screen.readAvailable() {
                let event: TerminalEvent<App.Message>
                switch input {
                case .key(let key): event = .key(key)
                case .mouse(let x, let y, let button): event = .mouse(x: x, y: y, button: button)
                case .resize:
                    screen.updateSize()
                    context.size = screen.size
                    event = .resize(screen.size)
                }
                if let status = deliver(event) { return status }
            }
            if let tick = nextTick, tick <= Date() {
                nextTick = nil
                if let status = deliver(.tick) { return status }
            }
        }
    }
}
