/// Step 6: Okta's "Test Connector Configuration", run from here: the SCIM
/// requests Okta makes, with the token, against the namespace's URL.
public enum ConnectorTestStep: GuideStep {
    public static let step = SetupStep.test

    public static func inputs(in context: GuideContext) -> [SetupInput] {
        context.tokenMade ? [] : [.pastedToken]
    }

    public static func problems(in context: GuideContext) -> [SetupInput: String] {
        guard !context.tokenMade, context.pastedToken.trimmingCharacters(in: .whitespaces).isEmpty else { return [:] }
        return [.pastedToken: "Paste the token from step 3 (it is not kept across restarts), or go back and create a new one."]
    }

    /// Where the test sends its requests: where this machine reaches Grafana
    /// (the embedded endpoint's local address, or the Grafana URL), under the
    /// namespace's path. Nil when the namespace is not valid.
    public static func scimBase(_ answers: SetupAnswers, grafanaBase: String) -> String? {
        guard case .success(let namespace) = answers.namespace else { return nil }
        return ConnectorURL.on(base: grafanaBase, namespace: namespace)
    }

    /// Runs the checks.
    public static func run(_ client: GrafanaClient, scimBase: String, token: String) async -> [ConnectorTest.Check] {
        await ConnectorTest.run(client, scimBase: scimBase, token: token)
    }

    /// The step's result, from the checks.
    public static func report(_ checks: [ConnectorTest.Check]) -> StepReport { ConnectorTest.report(checks) }
}
