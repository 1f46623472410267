import Foundation

/// Step 2: the `enableSCIM` toggle in Grafana's ini (`FeatureToggleStep`
/// edits the file), then a check that Grafana has it on.
public enum ToggleStep: GuideStep {
    public static let step = SetupStep.toggle

    public static func inputs(in context: GuideContext) -> [SetupInput] {
        context.answers.target == .selfHosted ? [.iniPath] : []
    }

    /// The file's own problems show when it is planned (`plan`).
    public static func problems(in context: GuideContext) -> [SetupInput: String] { [:] }

    /// The ini to edit: the embedded endpoint's; for a self-hosted Grafana the
    /// path given, else nil (Grafana runs elsewhere); none for Grafana Cloud.
    public static func path(for answers: SetupAnswers, embeddedIni: String) -> String? {
        answers.togglePath(embeddedIni: embeddedIni)
    }

    /// Where a self-hosted Grafana's ini usually is on this machine: the first that exists.
    public static func usualPath() -> String? { FeatureToggleStep.foundConfigFiles().first }

    /// What the edit would change (the review shows its diff).
    public static func plan(path: String) throws(FeatureToggleStep.Failure) -> FeatureToggleStep.Change {
        try FeatureToggleStep.plan(path: path)
    }

    /// Writes the change (keeping the previous file) and says what was done;
    /// a self-hosted Grafana is told to restart when the file changed.
    public static func apply(_ change: FeatureToggleStep.Change, target: GrafanaTarget.Kind,
                             now: Date = Date()) throws(FeatureToggleStep.Failure) -> [StepReport.Line] {
        guard !change.isEmpty else { return [.init(.ok, "\(change.path) already has everything; nothing written.")] }
        let backup = try FeatureToggleStep.apply(change, now: now)
        var lines: [StepReport.Line] = [.init(.ok, "Wrote \(change.path)" + (backup.map { "; the previous file is kept as \($0)." } ?? "."))]
        if target == .selfHosted {
            lines.append(.init(.info, "Restart Grafana now for the change to take effect (for example: sudo systemctl restart grafana-server), then check again."))
        }
        return lines
    }

    /// What Grafana Cloud's admin does instead of editing a file.
    public static var cloudLines: [StepReport.Line] { FeatureToggleStep.cloudInstructions.map { .init(.info, $0) } }

    /// Asks Grafana whether the toggle is on.
    public static func verify(_ client: GrafanaClient) async -> StepReport {
        await GrafanaConnection.verifyToggle(client)
    }

    /// The step's result: what was done (`done`), then Grafana's answer. A
    /// real Grafana may need a restart (or is Cloud, which may not list the
    /// toggle): not yet on is a warning there, and only the embedded
    /// endpoint's fails the step. A self-hosted Grafana is also told how to
    /// set the toggle by environment variable.
    public static func result(done: [StepReport.Line], verified: StepReport, target: GrafanaTarget.Kind,
                              grafanaVersion: String?) -> StepReport {
        var lines = done
        var verifyLines = verified.lines
        if target != .embedded {
            verifyLines = verifyLines.map { .init($0.level == .fail ? .warn : $0.level, $0.text) }
            if target == .selfHosted {
                lines += FeatureToggleStep.environmentInstructions(version: grafanaVersion).map { .init(.info, $0) }
            }
        }
        return StepReport(lines + verifyLines)
    }
}
