/// An answer the guide asks for. The wizard shows each as a field; `scim-console
/// setup` takes each as a flag. A step's problems are keyed by these, so a
/// problem lands on the field (or names the flag) it is about.
public enum SetupInput: Hashable, CaseIterable, Sendable {
    case target, grafanaURL, authMode, adminUser, secret, orgID, tls, iniPath
    case accountName, role, tokenName
    case host, stackID, org
    /// The token the connector test sends, when it was not made in this session.
    case pastedToken
    /// For a real Grafana: relay Okta through the console, or watch only; and the relay's public host.
    case consoleMode, relayHost
}
