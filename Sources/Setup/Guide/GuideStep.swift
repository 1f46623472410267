/// One step of the guide, as the wizard and `scim-console setup` both drive
/// it: what it asks for and what is wrong with the answers, here; what it
/// plans, applies and reports, in the step's own type (each step's work has
/// its own shape: a file edit, a Grafana request, a test run). A step is
/// changed in one place and both drivers follow.
public protocol GuideStep {
    /// Which step of the guide this is.
    static var step: SetupStep { get }
    /// What the step asks for, in order, given the answers so far.
    static func inputs(in context: GuideContext) -> [SetupInput]
    /// What is wrong with the answers, by input; empty when the step may go ahead.
    static func problems(in context: GuideContext) -> [SetupInput: String]
}

/// What a step's inputs and problems depend on: the answers, and what is
/// held only in memory (the Grafana secret, the token).
public struct GuideContext: Sendable {
    public var answers: SetupAnswers
    /// The Grafana password or token, for a real Grafana.
    public var secret: String
    /// Whether a token was made in this session (the connector test then needs none pasted).
    public var tokenMade: Bool
    /// A token pasted for the connector test.
    public var pastedToken: String

    public init(answers: SetupAnswers, secret: String = "", tokenMade: Bool = false, pastedToken: String = "") {
        self.answers = answers
        self.secret = secret
        self.tokenMade = tokenMade
        self.pastedToken = pastedToken
    }
}

extension SetupStep {
    /// The step's type.
    public var guide: any GuideStep.Type {
        switch self {
        case .grafana: GrafanaStep.self
        case .toggle: ToggleStep.self
        case .serviceAccount: ServiceAccountStep.self
        case .connectorURL: ConnectorURLStep.self
        case .okta: OktaStep.self
        case .test: ConnectorTestStep.self
        }
    }
}

extension SetupProgress {
    /// Records that `step` was applied, and what it reported (shown again when the admin comes back to it).
    public mutating func record(_ step: SetupStep, _ report: StepReport) {
        applied.insert(step.rawValue)
        reports[step.rawValue] = report.lines.map(\.description)
    }
}
