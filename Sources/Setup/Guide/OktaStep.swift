/// Step 5: what to enter in Okta's SCIM connection settings. Nothing is
/// applied; the step is done once shown.
public enum OktaStep: GuideStep {
    public static let step = SetupStep.okta

    public static func inputs(in context: GuideContext) -> [SetupInput] { [] }
    public static func problems(in context: GuideContext) -> [SetupInput: String] { [:] }

    /// The settings, each with the value to enter; `tokenHint` says where the token is.
    public static func items(_ answers: SetupAnswers, tokenHint: String) -> [OktaChecklist.Item] {
        OktaChecklist.items(connectorURL: answers.oktaConnectorURL, tokenHint: tokenHint)
    }

    /// What the step records once shown.
    public static let shown = StepReport([.init(.ok, "Okta settings shown.")])
}
