import Directory
import Foundation
import GrafanaConfig
import Setup
import TerminalUI

/// The setup wizard: Grafana's "Configure SCIM with Okta" guide as screens.
/// Each step is a form, then (for steps that change something) a review of
/// exactly what will happen, then the result. The steps' logic is the
/// `Setup` module's; this type holds only what is on screen and where the
/// admin is. Network work runs off the terminal thread (`takeWork`) and comes
/// back as a `WizardResult`.
public final class SetupWizard {
    public enum Outcome: Equatable { case `continue`, quit, finished }

    enum Phase: Equatable { case form, review, working, result }

    let store: SetupProgressStore
    let embedded: EmbeddedGrafanaInfo
    /// Where the console will serve the SCIM API, for the local URL shown.
    let localBaseURL: String
    var progress: SetupProgress
    var phase: Phase = .form
    var focus = 0
    var texts: [WizardField: TextFieldState] = [:]
    var touched: Set<WizardField> = []
    var showAllErrors = false
    /// The Grafana password or token for a real Grafana: memory only.
    var secret = TextFieldState("", masked: true)
    /// The token made in step 2: memory only (shown once, copyable, savable).
    var token: CreatedToken?
    var tokenView = TextFieldState("", masked: true)
    var pastedToken = TextFieldState("", masked: true)
    /// Step 2's "save the token" path, while it is being typed.
    var savePath: TextFieldState?
    var tokenNameProblem: String?
    var toggleChange: FeatureToggleStep.Change?
    var toggleProblem: String?
    var report = StepReport()
    var checks: [ConnectorTest.Check] = []
    var status: StatusMessage?
    var scroll = 0
    /// Whether the review or result drawn last was longer than its pane (so scrolling is offered).
    var overflowing = false
    /// Asked before quitting would lose the token just made.
    var quitDialog: ConfirmDialog?
    /// When the network work now running began, for the elapsed time shown.
    var workStarted: Date?
    /// Bumped when work is started or cancelled: a result from older work is ignored.
    var workGeneration = 0
    var work: [WizardWork] = []
    var clock: () -> Date = Date.init

    public init(store: SetupProgressStore, embedded: EmbeddedGrafanaInfo, localBaseURL: String) {
        self.store = store
        self.embedded = embedded
        self.localBaseURL = localBaseURL
        progress = store.load() ?? SetupProgress()
        progress.finished = nil
        for field in WizardField.allCases where !field.isChoice && !field.isMasked {
            texts[field] = TextFieldState(progress.answers.text(of: field))
        }
        prepareStep()
        if progress.step != .grafana {
            say("Resumed at step \(progress.step.number) of \(SetupStep.count); Esc goes back.", .info)
        }
    }

    public var step: SetupStep { progress.step }
    var answers: SetupAnswers { progress.answers }

    /// Network work queued since the last call, for the host to run.
    public func takeWork() -> [WizardWork] {
        defer { work = [] }
        return work
    }

    func say(_ text: String, _ level: StatusMessage.Level, lasting: Double = 6) {
        status = StatusMessage(text, level: level, now: clock(), lasting: lasting)
    }

    func save() {
        do { try store.save(progress) } catch { say("Could not save the wizard's progress: \(StorageErrorText.sentence(error))", .error) }
    }

    // MARK: fields

    /// What the current step's inputs and problems depend on.
    var guideContext: GuideContext {
        GuideContext(answers: answers, secret: secret.text, tokenMade: token != nil, pastedToken: pastedToken.text)
    }

    /// The fields of the current step, in order.
    var fields: [WizardField] { step.guide.inputs(in: guideContext) }

    var focusedField: WizardField? {
        let f = fields
        return f.isEmpty ? nil : f[min(focus, f.count - 1)]
    }

    /// Every problem of the current step's inputs, by field: the step's own,
    /// and the ini file's when it could not be planned.
    var errors: [WizardField: String] {
        var result = step.guide.problems(in: guideContext)
        if step == .toggle, let toggleProblem { result[.iniPath] = toggleProblem }
        return result
    }

    /// The error shown under a field: once it was edited, or after Next was tried.
    func shownError(_ field: WizardField) -> String? {
        guard showAllErrors || touched.contains(field) else { return nil }
        return errors[field]
    }

    func textState(_ field: WizardField) -> TextFieldState {
        switch field {
        case .secret: return secret
        case .pastedToken: return pastedToken
        default: return texts[field] ?? TextFieldState()
        }
    }

    func editText(_ field: WizardField, _ key: Key) -> Bool {
        var state = textState(field)
        guard state.handle(key) else { return false }
        switch field {
        case .secret: secret = state
        case .pastedToken: pastedToken = state
        default:
            texts[field] = state
            progress.answers.setText(state.text, of: field)
        }
        touched.insert(field)
        if field == .iniPath { toggleProblem = nil }
        if field == .tokenName { tokenNameProblem = nil }
        return true
    }

    func editChoice(_ field: WizardField, _ key: Key) -> Bool {
        var list = ChoiceList(options: options(field), selected: answers.choice(of: field))
        guard list.handle(key) else { return false }
        progress.answers.setChoice(list.selected, of: field)
        if field == .target, answers.target == .cloud {
            // Cloud admins sign in through grafana.com: a service account token is what they have.
            progress.answers.useToken = true
            if answers.grafanaURL.isEmpty {
                texts[.grafanaURL] = TextFieldState("https://")
                progress.answers.grafanaURL = "https://"
            }
        }
        return true
    }

    func options(_ field: WizardField) -> [String] {
        switch field {
        case .target: return WizardField.targetOptions
        case .authMode: return WizardField.authOptions
        case .tls: return WizardField.tlsOptions
        case .role: return ServiceAccountStep.roles
        case .consoleMode: return WizardField.modeOptions
        default: return []
        }
    }

    // MARK: moving between steps

    func goBack() {
        guard let previous = step.previous else {
            say("This is the first step. Ctrl-Q quits; your answers are kept for next time.", .info)
            return
        }
        move(to: previous)
        // A step already done shows what it did; Enter moves on without doing it again.
        if progress.isApplied(previous), let saved = progress.reports[previous.rawValue] {
            report = StepReport(restoring: saved)
            phase = .result
        }
    }

    func move(to step: SetupStep) {
        progress.step = step
        phase = .form
        focus = 0
        scroll = 0
        showAllErrors = false
        touched = []
        report = StepReport()
        save()
        prepareStep()
    }

    /// What a step shows before any input: the toggle step reads its ini file at once.
    func prepareStep() {
        if step == .toggle, answers.target == .embedded { planToggle() }
        // A self-hosted Grafana's ini: the first of the usual places that exists here.
        if step == .toggle, answers.target == .selfHosted, answers.iniPath.isEmpty,
            let found = ToggleStep.usualPath()
        {
            progress.answers.iniPath = found
            texts[.iniPath] = TextFieldState(found)
        }
        // Step 0's org is step 3's default for a self-hosted Grafana.
        if step == .connectorURL, answers.target == .selfHosted, answers.org.isEmpty {
            progress.answers.org = answers.orgID
            texts[.org] = TextFieldState(answers.orgID)
        }
    }

    /// From a result: on to the next step, or finish after the last.
    func advance() -> Outcome {
        switch step {
        case .test:
            guard !checks.isEmpty, checks.allSatisfy(\.passed) else {
                say("Some checks failed: fix the cause shown, then r runs them again (Esc edits the token).", .warn)
                return .continue
            }
            progress.finished = clock()
            save()
            return .finished
        case .toggle where !report.ok && answers.target == .embedded:
            say("The embedded endpoint does not have enableSCIM on yet; v checks again.", .warn)
            return .continue
        case .grafana where !report.ok:
            say("Grafana could not be reached with these answers; Esc to change them.", .warn)
            return .continue
        case .serviceAccount where token == nil && !progress.isApplied(.serviceAccount):
            say("No token was created; Esc to change the names and try again.", .warn)
            return .continue
        default:
            move(to: step.next!)
            return .continue
        }
    }

    /// Next from a form: validate, then review (or go straight on when nothing changes).
    func submit() {
        if step == .toggle, togglePath != nil { planToggle() }
        guard errors.isEmpty else {
            showAllErrors = true
            focus = fields.firstIndex { errors[$0] != nil } ?? focus
            say("Fix the fields marked ✗ first.", .error)
            return
        }
        save()
        scroll = 0
        status = nil
        switch step {
        case .grafana:
            startConnectionCheck()
        case .toggle:
            if answers.target == .cloud {
                startToggleVerification(prefix: ToggleStep.cloudLines)
            } else {
                phase = .review
            }
        case .serviceAccount, .connectorURL:
            phase = .review
        case .okta:
            mark(.okta, OktaStep.shown)
            move(to: .test)
        case .test:
            startConnectorTest()
        }
    }

    func mark(_ step: SetupStep, _ report: StepReport) {
        progress.record(step, report)
        save()
    }

    /// The ini this step edits; nil for Cloud, or a self-hosted Grafana whose file is elsewhere.
    var togglePath: String? { ToggleStep.path(for: answers, embeddedIni: embedded.iniPath) }

    /// A self-hosted Grafana whose ini is not on this machine: no path given.
    var hasNoLocalFile: Bool { answers.target == .selfHosted && togglePath == nil }

    func planToggle() {
        toggleChange = nil
        toggleProblem = nil
        guard let path = togglePath else { return }
        do {
            toggleChange = try ToggleStep.plan(path: path)
        } catch {
            toggleProblem = error.description
            if answers.target == .embedded { say(error.description, .error, lasting: 15) }
        }
    }

    /// Enter on a review: do it.
    func apply() {
        scroll = 0
        switch step {
        case .toggle:
            guard let change = toggleChange else {
                if hasNoLocalFile {
                    startToggleVerification(prefix: [.init(.info, "No file edited here: set the toggle where Grafana runs (the environment variable below, or its grafana.ini), restart Grafana, then press v to check.")])
                }
                return
            }
            let lines: [StepReport.Line]
            do {
                lines = try ToggleStep.apply(change, target: answers.target, now: clock())
            } catch {
                toggleProblem = error.description
                showAllErrors = true
                phase = .form
                say(error.description, .error, lasting: 15)
                return
            }
            startToggleVerification(prefix: lines)
        case .serviceAccount:
            startServiceAccount()
        case .connectorURL:
            let endpoint = ConnectorURLStep.EmbeddedEndpoint(serve: embedded.serve, saveNamespace: store.saveNamespace,
                                                             localBase: localBaseURL)
            guard let r = ConnectorURLStep.apply(answers, embedded: endpoint) else { return }
            report = r
            phase = .result
            if r.ok { mark(.connectorURL, r) }
        default:
            break
        }
    }

}

extension SetupProgressStore {
    /// The data directory, for default file paths (the token file).
    var dataDirectoryPath: String { (databasePath as NSString).deletingLastPathComponent }
}
