import GrafanaConfig

/// The SCIM connector base URL Okta is given:
/// `https://{host}{sub-path}/apis/scim.grafana.app/v0alpha1/namespaces/{namespace}`,
/// where the sub-path is Grafana's own when it is served from one
/// (`root_url` with `serve_from_sub_path`).
public struct ConnectorURL: Sendable, Equatable, CustomStringConvertible {
    public static let pathPrefix = "/apis/scim.grafana.app/v0alpha1/namespaces"

    /// Where Grafana is reached: scheme, host (with any port), and the sub-path it is served from.
    public struct Base: Sendable, Equatable {
        public var scheme: String
        public var host: String
        /// Empty, or `/grafana`: starts with a slash, never ends with one.
        public var path: String

        public init(scheme: String = "https", host: String, path: String = "") {
            self.scheme = scheme
            self.host = host
            self.path = path
        }
    }

    public var base: Base
    public var namespace: GrafanaNamespace

    public var host: String { base.host }

    public init(base: Base, namespace: GrafanaNamespace) {
        self.base = base
        self.namespace = namespace
    }

    public init(host: String, namespace: GrafanaNamespace) {
        self.init(base: Base(host: host), namespace: namespace)
    }

    public var description: String { "\(base.scheme)://\(base.host)\(base.path)\(Self.pathPrefix)/\(namespace)" }

    /// The first path segments of Grafana's own pages and APIs: a pasted
    /// page's URL (`/d/abc/…`, `/login`) ends its sub-path there.
    static let grafanaRoutes: Set<String> = [
        "a", "d", "d-solo", "dashboard", "dashboards", "explore", "login", "logout", "admin", "org", "alerting",
        "connections", "api", "apis", "plugins", "profile", "datasources", "public", "playlists", "library-panels", "user",
    ]

    /// Where Grafana is reached, from whatever was pasted: a bare host (then
    /// https), or a URL whose scheme is kept and whose path is kept up to
    /// the first of Grafana's own routes; query, fragment, credentials and
    /// trailing slash are dropped.
    /// `https://proxy.example.com/grafana/d/abc?x=1` → https, proxy.example.com, /grafana.
    public static func base(from pasted: String) -> Result<Base, ConnectorURLError> {
        let text = pasted.trimmingCharacters(in: .whitespaces)
        var scheme = "https"
        var rest = Substring(text)
        if let separator = text.range(of: "://") {
            let given = text[..<separator.lowerBound].lowercased()
            if given == "http" || given == "https" { scheme = given }
            rest = text[separator.upperBound...]
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let host: String
        switch ConnectorURL.host(from: String(rest[..<slash])) {
        case .success(let h): host = h
        case .failure(let e): return .failure(e)
        }
        var segments: [Substring] = []
        for segment in rest[slash...].split(separator: "/") {
            if grafanaRoutes.contains(segment.lowercased()) { break }
            segments.append(segment)
        }
        return .success(Base(scheme: scheme, host: host, path: segments.map { "/" + $0 }.joined()))
    }

    /// A whole connector URL, as the wizard shows it and Okta is given:
    /// its base (scheme, host, Grafana's sub-path) and its namespace.
    /// `https://acme.grafana.net/apis/scim.grafana.app/v0alpha1/namespaces/stacks-12345`.
    public static func parse(_ text: String) -> Result<ConnectorURL, ConnectorURLError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let prefix = trimmed.range(of: pathPrefix + "/") else { return .failure(.notAConnectorURL(trimmed)) }
        let namespaceText = trimmed[prefix.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard case .success(let namespace) = GrafanaNamespace.parse(String(namespaceText)) else {
            return .failure(.notAConnectorURL(trimmed))
        }
        switch base(from: String(trimmed[..<prefix.lowerBound])) {
        case .success(let base): return .success(ConnectorURL(base: base, namespace: namespace))
        case .failure(let error): return .failure(error)
        }
    }

    /// The same path on another base (the embedded endpoint's local address, a Grafana URL).
    public static func on(base: String, namespace: GrafanaNamespace) -> String {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        return "\(b)\(pathPrefix)/\(namespace)"
    }

    /// The guide's `resource_name` from whatever was pasted: a bare host, or a
    /// URL whose scheme, path, query and trailing slash are dropped.
    /// `https://acme.grafana.net/a/b/` → `acme.grafana.net`; a port is kept.
    public static func host(from pasted: String) -> Result<String, ConnectorURLError> {
        var s = Substring(pasted.trimmingCharacters(in: .whitespaces))
        if let scheme = s.range(of: "://") { s = s[scheme.upperBound...] }
        if let end = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { s = s[..<end] }
        if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] }  // user:password@ never belongs in it
        let host = s.lowercased()
        guard !host.isEmpty else { return .failure(.emptyHost) }
        let (name, port) = splitPort(host)
        if let port, !(port.allSatisfy(\.isNumber) && (1...65535).contains(Int(port) ?? 0)) {
            return .failure(.badPort(String(port)))
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !name.isEmpty && name.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        guard valid else { return .failure(.badHost(host)) }
        return .success(host)
    }

    private static func splitPort(_ host: String) -> (Substring, Substring?) {
        guard let colon = host.lastIndex(of: ":") else { return (Substring(host), nil) }
        return (host[..<colon], host[host.index(after: colon)...])
    }

    /// The namespace from the guide's inputs: a Cloud stack id, or a self-hosted org id.
    public static func namespace(stackID: String?, org: String?) -> Result<GrafanaNamespace, ConnectorURLError> {
        let stack = stackID?.trimmingCharacters(in: .whitespaces) ?? ""
        let orgText = org?.trimmingCharacters(in: .whitespaces) ?? ""
        if !stack.isEmpty {
            guard orgText.isEmpty else { return .failure(.bothStackAndOrg) }
            guard stack.count <= 18, stack.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(stack), n > 0 else {
                return .failure(.badStackID(stack))
            }
            return .success(.stack(n))
        }
        if orgText.isEmpty || orgText == "default" { return .success(.org(1)) }
        if case .success(let ns) = GrafanaNamespace.parse(orgText) { return .success(ns) }
        guard orgText.count <= 18, orgText.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(orgText), n > 0 else {
            return .failure(.badOrg(orgText))
        }
        return .success(.org(n))
    }
}

/// Why a connector URL cannot be built, as a sentence for under the field.
public enum ConnectorURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyHost, emptyStackID, badHost(String), badPort(String), badStackID(String), badOrg(String), bothStackAndOrg
    case notAConnectorURL(String)

    public var description: String {
        switch self {
        case .emptyHost: return "Enter the Grafana host, for example acme.grafana.net (a pasted URL is fine)."
        case .emptyStackID: return "Enter the stack id: the number in your Grafana Cloud stack's details (grafana.com › My Account), like 12345."
        case .badHost(let h): return "\"\(h)\" is not a host name: use letters, digits, dots and dashes, like grafana.example.com."
        case .badPort(let p): return "\"\(p)\" is not a port: use a number from 1 to 65535."
        case .badStackID(let s): return "\"\(s)\" is not a stack id: it is the number in your Grafana Cloud stack's details, like 12345."
        case .badOrg(let o): return "\"\(o)\" is not an org: use its number (1 for the main org) or default / org-N."
        case .bothStackAndOrg: return "Give a stack id (Grafana Cloud) or an org (self-hosted), not both."
        case .notAConnectorURL(let u):
            return "\"\(u)\" is not a connector URL: it ends in \(ConnectorURL.pathPrefix)/NAMESPACE (default, org-N or stacks-N), as the wizard shows it."
        }
    }
}
