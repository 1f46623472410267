import Directory

/// Who a bearer token belongs to; throws `TokenRejection` for a missing,
/// malformed, unknown, expired or disabled token.
///
/// The endpoint uses the `Directory` (Grafana's rules: PBKDF2 on first sight,
/// then a cached lookup that still honours revocation). The protocol exists so
/// the benchmark can measure what that check costs, against a check that
/// always succeeds (`console-bench serve --auth always`).
public protocol TokenAuthenticator: Sendable {
    func authenticate(bearer: String?) throws -> ServiceAccount
}

extension Directory: TokenAuthenticator {}
