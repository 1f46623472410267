import Foundation
import GrafanaConfig
import Setup
import TerminalUI

/// The wizard's network work: started off the terminal thread (`takeWork`),
/// shown with a spinner, cancellable, and its results received back.
extension SetupWizard {
    // MARK: network work

    func target() -> GrafanaTarget {
        answers.grafanaTarget(secret: secret.text, embeddedURL: embedded.baseURL, embeddedPassword: embedded.adminPassword)
    }

    func startConnectionCheck() {
        let target = target()
        startWork { await withClient(target) { client in
            let (report, health) = await GrafanaStep.check(client)
            return .connection(report, health)
        } }
    }

    func startToggleVerification(prefix: [StepReport.Line]) {
        let target = target()
        report = StepReport(prefix)
        startWork { await withClient(target) { client in .toggleVerified(await ToggleStep.verify(client)) } }
    }

    func startServiceAccount() {
        let target = target()
        let answers = self.answers
        startWork { await withClient(target) { client -> WizardOutcome in
            do throws(GrafanaClientError) {
                let (outcome, report) = try await ServiceAccountStep.run(client, name: answers.serviceAccountName,
                                                                         role: answers.role, tokenName: answers.tokenName)
                return WizardOutcome.serviceAccount(.success(outcome), report)
            } catch {
                return WizardOutcome.serviceAccount(.failure(error), StepReport([.init(.fail, error.description)]))
            }
        } }
    }

    var testToken: String { token?.key ?? pastedToken.text.trimmingCharacters(in: .whitespaces) }

    /// Where the connector test sends its requests: the address this machine reaches Grafana at.
    var testBase: String { ConnectorTestStep.scimBase(answers, grafanaBase: target().baseURL) ?? "" }

    func startConnectorTest() {
        let target = target()
        let base = testBase
        let token = testToken
        checks = []
        startWork { await withClient(target) { client in .connectorChecks(await ConnectorTestStep.run(client, scimBase: base, token: token)) } }
    }

    /// A finished piece of network work.
    public func receive(_ result: WizardResult) {
        guard result.generation == workGeneration, phase == .working else { return }
        workStarted = nil
        scroll = 0
        switch result.outcome {
        case .connection(let r, let health):
            report = r
            phase = .result
            if let health { progress.grafanaVersion = health.version }
            if r.ok { mark(.grafana, r) }
        case .toggleVerified(let verify):
            report = ToggleStep.result(done: report.lines, verified: verify, target: answers.target,
                                       grafanaVersion: progress.grafanaVersion)
            phase = .result
            if report.ok { mark(.toggle, report) }
        case .serviceAccount(let outcome, let r):
            switch outcome {
            case .success(.created(_, _, let created)):
                token = created
                // A file saved for an earlier token does not hold this one.
                progress.answers.tokenFile = ""
                tokenView = TextFieldState(created.key, masked: true)
                report = r
                phase = .result
                mark(.serviceAccount, StepReport(r.lines))
            case .success(.tokenNameTaken(_, let proposal)):
                tokenNameProblem = "A token named \"\(answers.tokenName)\" exists on this account; \"\(proposal)\" is free: Enter uses it."
                texts[.tokenName] = TextFieldState(proposal)
                progress.answers.tokenName = proposal
                showAllErrors = true
                phase = .form
                focus = fields.firstIndex(of: .tokenName) ?? 0
            case .failure:
                report = r
                phase = .result
            }
        case .connectorChecks(let c):
            checks = c
            phase = .result
            var r = ConnectorTestStep.report(c)
            if r.ok { r.lines += ConnectorTestStep.modeLines(answers) }
            report = r
            if r.ok { mark(.test, r) }
        }
    }

    func saveToken(to path: String) {
        guard let token else { savePath = nil; return }
        do {
            try TokenFile.save(token, to: path)
            progress.answers.tokenFile = path
            save()
            savePath = nil
            say("Saved the token to \(path) (mode 0600).", .ok)
        } catch {
            say(error.description, .error, lasting: 10)
        }
    }

    /// When the status line next needs a redraw.
    func nextTick(after now: Date) -> Date? {
        // The spinner and elapsed time move while work runs.
        if phase == .working { return now.addingTimeInterval(0.1) }
        guard let status, status.expires > now else { return nil }
        return status.expires
    }

    var visibleStatus: StatusMessage? {
        guard let status, status.expires > clock() else { return nil }
        return status
    }
}
