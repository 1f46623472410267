/// Step 6: Okta's "Test Connector Configuration", run from here: the SCIM
/// requests Okta makes, with the token, against the namespace's URL.
public enum ConnectorTestStep: GuideStep {
    public static let step = SetupStep.test

    /// For a real Grafana, how the console follows it afterwards (relay or
    /// watch, and the relay's public host); the token, when none was made here.
    public static func inputs(in context: GuideContext) -> [SetupInput] {
        var inputs: [SetupInput] = []
        if context.answers.target != .embedded {
            inputs.append(.consoleMode)
            if context.answers.mode == .relay { inputs.append(.relayHost) }
        }
        return inputs + (context.tokenMade ? [] : [.pastedToken])
    }

    public static func problems(in context: GuideContext) -> [SetupInput: String] {
        var problems: [SetupInput: String] = [:]
        if context.answers.target != .embedded, context.answers.mode == .relay {
            let host = (context.answers.relayHost ?? "").trimmingCharacters(in: .whitespaces)
            if host.isEmpty {
                problems[.relayHost] = "Enter the public host Okta reaches this console at (a tunnel or reverse proxy in front of it)."
            } else if case .failure(let error) = ConnectorURL.base(from: host) {
                problems[.relayHost] = error.description
            }
        }
        if !context.tokenMade, context.pastedToken.trimmingCharacters(in: .whitespaces).isEmpty {
            problems[.pastedToken] = "Paste the token from step 3 (it is not kept across restarts), or go back and create a new one."
        }
        return problems
    }

    /// What the chosen mode means, for the step's report: where Okta is to
    /// send its requests, and how the console starts from now on.
    public static func modeLines(_ answers: SetupAnswers) -> [StepReport.Line] {
        guard answers.target != .embedded, let grafana = answers.grafanaConnectorURL else { return [] }
        switch answers.mode {
        case .relay:
            return [.init(.info, "Relay: give Okta this connector URL, the console's relay, in place of Grafana's: \(answers.oktaConnectorURL)"),
                    .init(.info, "From its next start, scim-console relays to \(grafana.host) and mirrors its users and teams.")]
        case .watch:
            return [.init(.info, "Watch only: Okta keeps Grafana's connector URL. From its next start, scim-console watches "
                        + "\(grafana.host) and mirrors its users and teams.")]
        }
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
