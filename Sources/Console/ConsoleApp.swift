import Directory
import Foundation
import Setup
import TerminalUI

/// What reaches the console from other tasks: directory changes, the
/// wizard's finished network work, and the live pane's.
public enum ConsoleMessage: Sendable {
    case directory(DirectoryEvent)
    case wizard(WizardResult)
    case pane(PaneNote)
    /// The mirrored Grafana's read moved on (the header shows how far).
    case mirrorState
}

/// The whole app: the setup wizard until the guide is done, then the live pane.
public final class ConsoleApp: TerminalApp {
    public typealias Message = ConsoleMessage

    enum Screen {
        case wizard(SetupWizard)
        case live(LivePane)
    }

    private(set) var screen: Screen
    private let makePane: () -> LivePane
    /// Runs the wizard's network work off the terminal thread; the host posts
    /// the result back as `.wizard(result)`.
    public var runWork: (@escaping WizardWork) -> Void = { _ in }
    /// Runs the live pane's work off the terminal thread; the host posts the
    /// note back as `.pane(note)`.
    public var runPaneWork: (@escaping @Sendable () async -> PaneNote) -> Void = { _ in }

    /// Starts in the wizard when one is given, else in the live pane.
    public init(wizard: SetupWizard?, makeLivePane: @escaping () -> LivePane) {
        makePane = makeLivePane
        screen = wizard.map { .wizard($0) } ?? .live(makeLivePane())
        if let pane = livePane { connect(pane) }
    }

    /// A new live pane, its work run by `runPaneWork`.
    func makeLivePane() -> LivePane {
        connect(makePane())
    }

    @discardableResult
    private func connect(_ pane: LivePane) -> LivePane {
        pane.startWork = { [weak self] work in self?.runPaneWork(work) }
        return pane
    }

    public var wizard: SetupWizard? {
        if case .wizard(let w) = screen { return w }
        return nil
    }

    public var livePane: LivePane? {
        if case .live(let p) = screen { return p }
        return nil
    }

    public func handle(_ event: TerminalEvent<ConsoleMessage>, context: TerminalContext) -> AppStep {
        switch screen {
        case .wizard(let wizard):
            defer { for work in wizard.takeWork() { runWork(work) } }
            switch event {
            case .key(let key):
                switch wizard.handle(key, context: context) {
                case .continue: return .continue
                case .quit: return .quit(0)
                case .finished:
                    let pane = makeLivePane()
                    if wizard.answers.target == .embedded {
                        pane.say("Setup is complete: Okta's requests will show here as they arrive.", .ok, Date())
                    } else {
                        // The relay and the mirror start with the console: this run shows the embedded endpoint.
                        let verb = wizard.answers.mode == .relay ? "relays to" : "watches"
                        pane.say("Setup of \(wizard.answers.grafanaURL) is complete. Quit and start scim-console again: from now on it \(verb) that Grafana.",
                                 .info, Date())
                    }
                    screen = .live(pane)
                    return .continue
                }
            case .message(.wizard(let result)):
                wizard.receive(result)
                return .continue
            case .mouse(_, _, let button):
                if button == .wheelUp || button == .wheelDown { wizard.handleWheel(up: button == .wheelUp) }
                return .continue
            case .message(.directory), .message(.pane), .message(.mirrorState), .resize, .tick:
                return .continue
            }
        case .live(let pane):
            switch event {
            case .key(let key): return pane.handle(.key(key), context: context)
            case .message(.directory(let e)): return pane.handle(.message(e), context: context)
            case .message(.wizard), .message(.mirrorState): return .continue
            case .message(.pane(let note)):
                pane.receive(note)
                return .continue
            case .resize(let size): return pane.handle(.resize(size), context: context)
            case .tick: return pane.handle(.tick, context: context)
            case .mouse(let x, let y, let button): return pane.handle(.mouse(x: x, y: y, button: button), context: context)
            }
        }
    }

    public func draw(on surface: Surface, context: TerminalContext) {
        switch screen {
        case .wizard(let wizard): wizard.draw(on: surface, context: context)
        case .live(let pane): pane.draw(on: surface, context: context)
        }
    }

    public func nextTick(after now: Date) -> Date? {
        switch screen {
        case .wizard(let wizard): return wizard.nextTick(after: now)
        case .live(let pane): return pane.nextTick(after: now)
        }
    }
}
