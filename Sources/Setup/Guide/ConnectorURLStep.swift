import Directory
import GrafanaConfig

/// Step 4: the connector URL Okta gets, from the public host and the namespace
/// (a Cloud stack id, or a self-hosted org). For the embedded endpoint,
/// applying it also makes the endpoint serve that namespace.
public enum ConnectorURLStep: GuideStep {
    public static let step = SetupStep.connectorURL

    public static func inputs(in context: GuideContext) -> [SetupInput] {
        switch context.answers.target {
        case .embedded: [.host, .stackID, .org]
        case .selfHosted: [.host, .org]
        case .cloud: [.host, .stackID]
        }
    }

    public static func problems(in context: GuideContext) -> [SetupInput: String] {
        let a = context.answers
        var problems: [SetupInput: String] = [:]
        if case .failure(let e)? = a.connectorBase { problems[.host] = e.description }
        if a.target != .embedded, a.connectorBase == nil { problems[.host] = ConnectorURLError.emptyHost.description }
        if case .failure(let e) = a.namespace {
            switch e {
            case .badOrg: problems[.org] = e.description
            default: problems[.stackID] = e.description
            }
        }
        return problems
    }

    /// The embedded endpoint, for a connector URL applied to it.
    public struct EmbeddedEndpoint {
        /// Makes the running endpoint serve a namespace.
        public var serve: (GrafanaNamespace) -> Void
        /// Keeps the namespace for the next start.
        public var saveNamespace: (String) throws -> Void
        /// Where this machine reaches the endpoint (`http://127.0.0.1:8080`).
        public var localBase: String

        public init(serve: @escaping (GrafanaNamespace) -> Void, saveNamespace: @escaping (String) throws -> Void,
                    localBase: String) {
            self.serve = serve
            self.saveNamespace = saveNamespace
            self.localBase = localBase
        }
    }

    /// The URL and what Okta needs of it; for the embedded endpoint
    /// (`embedded`), it serves the namespace from now on. Nil when the
    /// answers have problems (`problems`).
    public static func apply(_ answers: SetupAnswers, embedded: EmbeddedEndpoint?) -> StepReport? {
        guard case .success(let namespace) = answers.namespace else { return nil }
        var report = StepReport([.init(.ok, "Connector URL: \(answers.connectorURL)")])
        if let warning = answers.connectorURLWarning { report.add(.warn, warning) }
        if answers.target == .embedded, let embedded {
            embedded.serve(namespace)
            do { try embedded.saveNamespace(namespace.description) } catch {
                report.add(.fail, "Could not save the namespace: \(StorageErrorText.sentence(error))")
            }
            report.add(.ok, "The embedded endpoint now answers for namespace \(namespace) at \(ConnectorURL.on(base: embedded.localBase, namespace: namespace)).")
            report.add(.warn, "Okta needs a public HTTPS address: put a tunnel or reverse proxy in front of that local URL\(answers.hasPublicHost ? "" : ", and give its host as the public host").")
        }
        return report
    }
}
