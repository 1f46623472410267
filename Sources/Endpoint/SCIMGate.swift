import Directory
import GrafanaConfig
import Hummingbird
import SCIM

/// What stands in front of every SCIM route, in Grafana's order: the feature
/// toggle (off: 404, as if the API did not exist), a malformed namespace
/// (404), the bearer token (401), the token's role (403), and a namespace
/// other than this endpoint's (403 `authn.invalid-namespace`).
struct SCIMGate: Sendable {
    let configuration: EndpointConfiguration
    let toggles: ToggleWatcher
    let authenticator: any TokenAuthenticator
    let served: ServedNamespace
    let limiter: RateLimiter?

    @discardableResult
    func check(_ request: Request, context: EndpointContext) throws -> ServiceAccount {
        guard toggles.scimEnabled else {
            throw SCIMError(status: 404, detail: """
                SCIM is not enabled: the feature toggle enableSCIM is not on in \(configuration.iniPath). \
                Add "enableSCIM = true" under [feature_toggles], or start with "scim-console serve --enable-scim".
                """)
        }
        let text = context.parameters.get("namespace") ?? ""
        let namespace: GrafanaNamespace
        switch GrafanaNamespace.parse(text) {
        case .success(let ns): namespace = ns
        case .failure(let error): throw SCIMError(status: 404, detail: error.description)
        }
        let bearer = Self.bearer(request)
        let account = try authenticator.authenticate(bearer: bearer)
        if let limiter, let bearer, let wait = limiter.take(bearer: bearer) {
            // Okta honours Retry-After and retries the request later.
            throw SCIMError(status: 429, detail: "Too many requests for this token (limit \(limiter.perSecond) per second); retry in \(wait) s.",
                            headers: [("Retry-After", String(wait))])
        }
        guard account.role == "Admin" else {
            throw SCIMError(status: 403, detail: """
                The service account "\(account.name)" has role \(account.role); SCIM provisioning needs role Admin.
                """)
        }
        guard namespace == served.current else {
            throw GrafanaAPIError(status: 403, message: "invalid namespace", messageID: "authn.invalid-namespace")
        }
        return account
    }

    /// The token of an `Authorization: Bearer …` header; nil when absent.
    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        // On bytes: Character-wise splitting and Foundation's trimming were a visible
        // share of every request. Blanks around the scheme and the token are skipped.
        func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        var rest = header.utf8[...]
        while let b = rest.first, isBlank(b) { rest = rest.dropFirst() }
        guard let space = rest.firstIndex(where: isBlank),
              Substring(rest[..<space]).equalsIgnoringCase("bearer") else { return "" }
        var token = rest[space...]
        while let b = token.first, isBlank(b) { token = token.dropFirst() }
        while let b = token.last, isBlank(b) { token = token.dropLast() }
        return String(Substring(token))
    }
}
