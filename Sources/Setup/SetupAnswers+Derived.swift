import Foundation
import GrafanaConfig

/// What follows from the answers: the namespace, the connector URL, the
/// Grafana target — computed one way for the wizard and the headless command.
extension SetupAnswers {
    /// The namespace: a stack for Cloud; otherwise the org (embedded: stack if given, else org).
    public var namespace: Result<GrafanaNamespace, ConnectorURLError> {
        switch target {
        case .cloud:
            if stackID.trimmingCharacters(in: .whitespaces).isEmpty { return .failure(.emptyStackID) }
            return ConnectorURL.namespace(stackID: stackID, org: nil)
        case .selfHosted: return ConnectorURL.namespace(stackID: nil, org: org.isEmpty ? orgID : org)
        case .embedded: return ConnectorURL.namespace(stackID: stackID, org: org)
        }
    }

    /// Where Okta reaches Grafana: the typed host, else the Grafana URL (not for embedded).
    public var connectorBase: Result<ConnectorURL.Base, ConnectorURLError>? {
        let typed = host.trimmingCharacters(in: .whitespaces)
        if !typed.isEmpty { return ConnectorURL.base(from: typed) }
        if target != .embedded, !grafanaURL.isEmpty { return ConnectorURL.base(from: grafanaURL) }
        return nil
    }

    /// The connector URL Okta gets, or a template naming what is missing.
    public var connectorURL: String {
        guard case .success(let ns) = namespace else { return "" }
        if case .success(let b)? = connectorBase { return ConnectorURL(base: b, namespace: ns).description }
        return "https://YOUR-PUBLIC-HOST\(ConnectorURL.pathPrefix)/\(ns)"
    }

    /// How the console follows a real Grafana: as chosen, else watch only.
    public var mode: ConsoleMode { consoleMode ?? .watch }

    /// The URL Okta is given: the relay's (its public host, Grafana's path)
    /// when the console relays, else `connectorURL`.
    public var oktaConnectorURL: String {
        guard target != .embedded, mode == .relay, let relayHost, case .success(let ns) = namespace,
              case .success(let base) = ConnectorURL.base(from: relayHost) else { return connectorURL }
        return ConnectorURL(base: base, namespace: ns).description
    }

    /// A real Grafana's own connector URL, where this machine reaches it
    /// (its URL, not the public host): what the console relays to or watches.
    public var grafanaConnectorURL: ConnectorURL? {
        guard target != .embedded, case .success(let ns) = namespace,
              case .success(let base) = ConnectorURL.base(from: grafanaURL) else { return nil }
        return ConnectorURL(base: base, namespace: ns)
    }

    /// Has a public host been given (the embedded endpoint may not have one yet)?
    public var hasPublicHost: Bool {
        if case .success? = connectorBase { return true }
        return false
    }

    /// Why Okta may not be able to use the connector URL, though it is well formed:
    /// plain http, or a host only this machine can reach.
    public var connectorURLWarning: String? {
        guard case .success(let b)? = connectorBase else { return nil }
        let name = b.host.split(separator: ":").first.map(String.init) ?? b.host
        if name == "localhost" || name.hasPrefix("127.") || name == "0.0.0.0" {
            return "Okta cannot reach \(name): it is this machine. Enter the public host Okta reaches Grafana at (a tunnel or reverse proxy)."
        }
        if b.scheme == "http" {
            return "Okta calls only HTTPS URLs, and this one is http: put an HTTPS proxy in front of Grafana and enter its host."
        }
        return nil
    }

    /// The ini file the toggle step edits: the embedded endpoint's own; for a
    /// self-hosted Grafana the path given (nil when none: Grafana runs
    /// elsewhere); none for Grafana Cloud.
    public func togglePath(embeddedIni: String) -> String? {
        switch target {
        case .embedded: return embeddedIni
        case .cloud: return nil
        case .selfHosted:
            let typed = iniPath.trimmingCharacters(in: .whitespaces)
            return typed.isEmpty ? nil : (typed as NSString).expandingTildeInPath
        }
    }

    /// The org id for Grafana's `X-Grafana-Org-Id` header (self-hosted; Cloud and embedded use 1).
    public var apiOrgID: Int {
        guard target == .selfHosted else { return 1 }
        return Int(orgID.trimmingCharacters(in: .whitespaces)) ?? 1
    }

    /// The Grafana to talk to. Embedded: its local URL and generated admin password.
    public func grafanaTarget(secret: String, embeddedURL: String, embeddedPassword: String) -> GrafanaTarget {
        switch target {
        case .embedded:
            return GrafanaTarget(kind: .embedded, baseURL: embeddedURL,
                                 credentials: .basic(user: "admin", password: embeddedPassword))
        case .selfHosted, .cloud:
            return GrafanaTarget(kind: target, baseURL: grafanaURL,
                                 credentials: useToken ? .token(secret) : .basic(user: adminUser, password: secret),
                                 orgID: apiOrgID, verifyTLS: verifyTLS)
        }
    }
}

extension SetupProgress {
    /// The real Grafana a finished guide set the console to follow, and how
    /// (the mode chosen at its last step); nil for the embedded endpoint, an
    /// unfinished guide, or one finished before the choice was offered.
    public var followedGrafana: (mode: ConsoleMode, target: ConnectorURL, verifyTLS: Bool)? {
        guard finished != nil, let mode = answers.consoleMode, let target = answers.grafanaConnectorURL else { return nil }
        return (mode, target, answers.verifyTLS)
    }
}
