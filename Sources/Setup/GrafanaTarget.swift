import Foundation

/// Where Grafana is: the embedded endpoint inside scim-console, or a real
/// Grafana (self-hosted or Cloud) at a URL, with the credentials to call it.
public struct GrafanaTarget: Sendable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case embedded, selfHosted = "self-hosted", cloud
    }

    /// How the console authenticates to Grafana's HTTP API.
    public enum Credentials: Sendable, Equatable {
        case basic(user: String, password: String)
        case token(String)

        var header: String {
            switch self {
            case .basic(let user, let password):
                return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            case .token(let token):
                return "Bearer " + token
            }
        }
    }

    public var kind: Kind
    /// `scheme://host[:port]`, no trailing slash.
    public var baseURL: String
    public var credentials: Credentials
    public var orgID: Int
    public var verifyTLS: Bool

    public init(kind: Kind, baseURL: String, credentials: Credentials, orgID: Int = 1, verifyTLS: Bool = true) {
        self.kind = kind
        var url = baseURL.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.credentials = credentials
        self.orgID = orgID
        self.verifyTLS = verifyTLS
    }

    /// Checks a typed Grafana URL: http or https, with a host.
    public static func validate(url: String) -> String? {
        let t = url.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return "Enter Grafana's URL, for example https://grafana.example.com or https://acme.grafana.net." }
        guard let u = URL(string: t), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = u.host, !host.isEmpty
        else { return "\"\(t)\" is not a URL: start with https:// (or http://) and the host, like https://grafana.example.com." }
        return nil
    }

    /// Grafana Cloud stacks live under grafana.net.
    public static func looksLikeCloud(url: String) -> Bool {
        guard let host = URL(string: url.trimmingCharacters(in: .whitespaces))?.host?.lowercased() else { return false }
        return host.hasSuffix(".grafana.net") || host.hasSuffix(".grafana-dev.net")
    }
}
