import Foundation
import GrafanaConfig
import Setup
import TerminalUI

/// The wizard's keys: fields, reviews, results, scrolling, quitting, copying.
extension SetupWizard {
    // MARK: keys

    public func handle(_ key: Key, context: TerminalContext) -> Outcome {
        if var dialog = quitDialog {
            switch dialog.handle(key) {
            case .pending: quitDialog = dialog
            case .cancelled: quitDialog = nil
            case .confirmed:
                save()
                return .quit
            }
            return .continue
        }
        if key == .ctrl("q") || key == .function(10) { return askQuit() }
        if var path = savePath {
            switch key {
            case .escape: savePath = nil
            case .enter: saveToken(to: path.text)
            default:
                path.handle(key)
                savePath = path
            }
            return .continue
        }
        switch phase {
        case .working:
            if key == .escape { cancelWork() }
            return .continue
        case .form:
            return handleForm(key, context: context)
        case .review:
            switch key {
            case .enter: apply()
            case .escape: phase = .form; scroll = 0
            default: self.scroll(key)
            }
            return .continue
        case .result:
            return handleResult(key, context: context)
        }
    }

    func handleForm(_ key: Key, context: TerminalContext) -> Outcome {
        let f = fields
        switch key {
        case .escape:
            goBack()
            return .continue
        case .enter:
            // A field with a problem keeps the focus: what is typed next must go to it, not the next field.
            if focus < f.count - 1, let field = focusedField, errors[field] != nil {
                touched.insert(field)
                say("Fix the fields marked ✗ first.", .error)
            } else if focus >= f.count - 1 {
                submit()
            } else {
                focus += 1
            }
            return .continue
        case .tab:
            focus = f.isEmpty ? 0 : (focus + 1) % f.count
            return .continue
        case .backTab:
            focus = max(0, focus - 1)
            return .continue
        case .ctrl("y"):
            copyForStep(context: context)
            return .continue
        default:
            break
        }
        guard let field = focusedField else {
            if case .char("c") = key { copyForStep(context: context) } else { scroll(key) }
            return .continue
        }
        if field.isChoice {
            if !editChoice(field, key) {
                if key == .down { focus = min(f.count - 1, focus + 1) }
            }
        } else if !editText(field, key) {
            if key == .down { focus = min(f.count - 1, focus + 1) }
            if key == .up { focus = max(0, focus - 1) }
        }
        return .continue
    }

    func handleResult(_ key: Key, context: TerminalContext) -> Outcome {
        switch key {
        case .enter:
            return advance()
        case .escape:
            phase = .form
            scroll = 0
        case .char("q"):
            return askQuit()
        case .char("r") where step == .serviceAccount, .ctrl("r") where step == .serviceAccount:
            tokenView.handle(.ctrl("r"))
        case .char("s") where step == .serviceAccount && token != nil:
            savePath = TextFieldState((store.dataDirectoryPath as NSString).appendingPathComponent("okta-scim.token"))
        case .char("r") where step == .test:
            startConnectorTest()
        case .char("v") where step == .toggle:
            startToggleVerification(prefix: report.lines.filter { !$0.text.hasPrefix("enableSCIM is") })
        case .char("c") where step == .connectorURL || step == .serviceAccount:
            copyForStep(context: context)
        default: self.scroll(key)
        }
        return .continue
    }

    /// Scrolling a review, result or field-less step that is longer than its
    /// pane (the drawing clamps it to the end).
    func scroll(_ key: Key) {
        switch key {
        case .pageDown, .char(" "), .ctrl("f"): scroll += 10
        case .pageUp, .ctrl("b"): scroll = max(0, scroll - 10)
        case .down, .char("j"): scroll += 1
        case .up, .char("k"): scroll = max(0, scroll - 1)
        case .home, .char("g"): scroll = 0
        case .end, .char("G"): scroll = Int.max / 2
        default: break
        }
    }

    /// The mouse wheel scrolls what the keys scroll.
    func handleWheel(up: Bool) {
        guard quitDialog == nil, savePath == nil else { return }
        scroll = max(0, scroll + (up ? -3 : 3))
    }

    /// Quits, asking first when the token made in this step would be lost:
    /// it is shown once and kept nowhere unless saved.
    func askQuit() -> Outcome {
        if step == .serviceAccount, token != nil, answers.tokenFile.isEmpty {
            quitDialog = ConfirmDialog(title: "Quit", target: "Quit without keeping the token?",
                                       consequence: "The token is shown only here and is not saved anywhere: c copies it, s saves it to a file. Quit anyway, and you will need a new one.",
                                       confirmLabel: "Quit")
            return .continue
        }
        save()
        return .quit
    }

    /// Esc while working: the result of the work, when it comes, is ignored.
    func cancelWork() {
        workGeneration += 1
        workStarted = nil
        phase = .form
        say("Cancelled; nothing more will be done with that request's answer.", .info)
    }

    /// Queues network work, showing it as running.
    func startWork(_ body: @escaping @Sendable () async -> WizardOutcome) {
        workGeneration += 1
        let generation = workGeneration
        phase = .working
        workStarted = clock()
        work.append { WizardResult(generation: generation, outcome: await body()) }
    }

    func copyForStep(context: TerminalContext) {
        switch step {
        case .connectorURL, .okta:
            guard errors.isEmpty else { say("Fix the fields marked ✗ first: there is no URL to copy yet.", .warn); return }
            context.copyToClipboard(step == .okta ? answers.oktaConnectorURL : answers.connectorURL)
            say("Sent the connector URL to the terminal's clipboard (OSC 52); if your terminal ignores that, select it on screen.", .ok)
        case .serviceAccount:
            if let token {
                context.copyToClipboard(token.key)
                say("Sent the token to the terminal's clipboard (OSC 52); if your terminal ignores that, s saves it to a file.", .ok)
            }
        default:
            say("Nothing to copy on this step.", .info)
        }
    }
}
