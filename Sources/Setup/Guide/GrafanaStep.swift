/// Step 1: which Grafana, and how to sign in to it; then a check that it answers.
public enum GrafanaStep: GuideStep {
    public static let step = SetupStep.grafana

    public static func inputs(in context: GuideContext) -> [SetupInput] {
        let a = context.answers
        guard a.target != .embedded else { return [.target] }
        return [.target, .grafanaURL, .authMode] + (a.useToken ? [] : [.adminUser]) + [.secret]
            + (a.target == .selfHosted ? [.orgID] : []) + [.tls]
    }

    public static func problems(in context: GuideContext) -> [SetupInput: String] {
        let a = context.answers
        guard a.target != .embedded else { return [:] }
        var problems: [SetupInput: String] = [:]
        if let e = GrafanaTarget.validate(url: a.grafanaURL) { problems[.grafanaURL] = e }
        if !a.useToken, a.adminUser.trimmingCharacters(in: .whitespaces).isEmpty {
            problems[.adminUser] = "Enter the Grafana admin's login (often admin)."
        }
        if a.target == .selfHosted {
            let t = a.orgID.trimmingCharacters(in: .whitespaces)
            if !(t.allSatisfy(\.isNumber) && (Int(t) ?? 0) >= 1 && t.count <= 18) {
                problems[.orgID] = "The org id is a number: 1 for the main org (Administration › Organizations lists them)."
            }
        }
        if context.secret.isEmpty {
            problems[.secret] = a.useToken ? "Paste a service account token with role Admin (glsa_…)." : "Enter the admin's password."
        }
        return problems
    }

    /// Whether Grafana answers with these credentials, and its version.
    public static func check(_ client: GrafanaClient) async -> (StepReport, GrafanaHealth?) {
        await GrafanaConnection.check(client)
    }
}
