import GrafanaConfig
import Setup

/// What the wizard knows of the embedded endpoint running in this process.
public struct EmbeddedGrafanaInfo: Sendable {
    /// Where this machine reaches it, `http://127.0.0.1:9310`.
    public var baseURL: String
    /// The generated admin password (basic auth on `/api`).
    public var adminPassword: String
    /// The ini file whose `enableSCIM` gates its SCIM routes.
    public var iniPath: String
    /// Makes the endpoint answer for a namespace (the connector URL step's choice).
    public var serve: @Sendable (GrafanaNamespace) -> Void

    public init(baseURL: String, adminPassword: String, iniPath: String, serve: @escaping @Sendable (GrafanaNamespace) -> Void) {
        self.baseURL = baseURL
        self.adminPassword = adminPassword
        self.iniPath = iniPath
        self.serve = serve
    }
}

/// The outcome of a step's network work.
public enum WizardOutcome: Sendable {
    case connection(StepReport, GrafanaHealth?)
    case toggleVerified(StepReport)
    case serviceAccount(Result<ServiceAccountStep.Outcome, GrafanaClientError>, StepReport)
    case connectorChecks([ConnectorTest.Check])
}

/// A finished piece of network work, delivered back to the wizard as a
/// message; `generation` tells a cancelled piece's late answer from the current one.
public struct WizardResult: Sendable {
    public var generation: Int
    public var outcome: WizardOutcome
}

/// A piece of network work the wizard asks its host to run off the terminal thread.
public typealias WizardWork = @Sendable () async -> WizardResult

/// Runs `body` with a client for `target`, shutting the client down afterwards.
func withClient<T: Sendable>(_ target: GrafanaTarget, _ body: (GrafanaClient) async -> T) async -> T {
    let client = GrafanaClient(target: target)
    let result = await body(client)
    await client.shutdown()
    return result
}
