import Foundation

/// A Grafana service account: the identity Okta's token belongs to.
public struct ServiceAccount: Sendable, Equatable {
    public var id: Int64
    public var uid: String
    public var name: String
    public var login: String
    /// `None`, `Viewer`, `Editor` or `Admin`; the Okta guide asks for Admin.
    public var role: String
    public var isDisabled: Bool
    public var created: Date
    public var updated: Date
    public var tokenCount: Int

    public static let roles = ["None", "Viewer", "Editor", "Admin"]
}

/// What is known of a token after creation: never its key.
public struct TokenInfo: Sendable, Equatable {
    public var id: Int64
    public var serviceAccountID: Int64
    public var name: String
    public var created: Date
    public var expires: Date?
    public var lastUsed: Date?

    public func hasExpired(at now: Date = Date()) -> Bool {
        expires.map { $0 <= now } ?? false
    }
}

/// A token just created: the key is here once, to show to the admin, and is not stored.
public struct NewToken: Sendable {
    public var info: TokenInfo
    public var key: String
}

/// Why a presented token was refused; each says what to do about it.
public enum TokenRejection: Error, Sendable, Equatable {
    case missing, malformed, unknown, expired, disabled

    public var detail: String {
        switch self {
        case .missing:
            return "Authentication required: send \"Authorization: Bearer <service account token>\"."
        case .malformed:
            return "The bearer token is not a Grafana service account token (glsa_…); check what was pasted into Okta."
        case .unknown:
            return "The service account token is not valid: it was revoked or never issued. Create a new token."
        case .expired:
            return "The service account token has expired. Create a new token and update Okta."
        case .disabled:
            return "The service account that owns this token is disabled."
        }
    }
}
