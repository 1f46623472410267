import Foundation
import SCIM

/// Why an answer Okta counts as a failure most likely came, and what to do
/// about it: Grafana's troubleshooting guide and Okta's behaviour, as one
/// table. The console's Requests tab and the wizard's connector test both
/// read it; a new Grafana behaviour is one more row.
public struct FailureExplanation: Sendable, Equatable {
    public var cause: String
    public var fix: String

    /// The explanation as one line.
    public var line: String { "\(cause): \(fix)." }
}

public enum FailureExplanations {
    /// What an answer must show for a row to apply. Every condition given must hold.
    struct Row: Sendable {
        /// The statuses it covers.
        var status: ClosedRange<Int>
        /// Methods it covers (all when empty).
        var methods: [String] = []
        /// How the path must end (any path when empty): `/Users` is the collection, not one user.
        var pathEndsWith: [String] = []
        /// The SCIM error's `scimType`, when it must be this.
        var scimType: String?
        /// Text one of which the body must contain (case-insensitive; any body when empty).
        var mentions: [String] = []
        /// A 2xx body Okta would reject: what it must hold.
        var expects: Expectation?
        var cause: String
        var fix: String
    }

    /// What Okta reads from a successful answer's body.
    enum Expectation: Sendable {
        /// A SCIM resource with its `id`.
        case resource
        /// A SCIM `ListResponse` with `totalResults`.
        case listResponse
    }

    /// First match wins: the narrower rows come before the broader ones.
    static let rows: [Row] = [
        Row(status: 403...403, mentions: ["invalid-namespace", "invalid namespace"],
            cause: "The connector URL's namespace does not match the token's stack or org",
            fix: "check the stack id (Grafana Cloud: stacks-N) or the org (default for org 1) at the end of the connector URL"),
        Row(status: 401...401,
            cause: "The token is wrong, expired or revoked",
            fix: "create a service account token (setup's step 3) and paste it into Okta's API token field"),
        Row(status: 403...403,
            cause: "The token may not do this ({message}): its service account lacks a permission, or the token is another Grafana's or org's",
            fix: "check that the token comes from this Grafana and org, and give its service account role Admin or the permission Grafana names"),
        Row(status: 404...404, pathEndsWith: ["/Users", "/Groups", "/ServiceProviderConfig", "/Schemas", "/ResourceTypes"],
            cause: "This Grafana serves no SCIM here: the enableSCIM feature toggle is off, or it has no SCIM (Grafana Enterprise and Cloud only)",
            fix: "turn on enableSCIM (setup's step 2), and check the connector URL's host and path"),
        Row(status: 409...409, methods: ["POST", "PUT", "PATCH"], pathEndsWith: ["/Users"], scimType: "uniqueness",
            cause: "A Grafana user with that login already exists, for instance one who signed in with SAML before SCIM",
            fix: "give that Grafana user the email Okta sends, so SCIM links the two (Grafana matches existing users by email), or remove the duplicate"),
        Row(status: 409...409, scimType: "uniqueness",
            cause: "Grafana already has a resource with that name",
            fix: "rename one of them in Okta, or remove the duplicate in Grafana"),
        Row(status: 429...429,
            cause: "Grafana is rate limiting these requests",
            fix: "Okta retries after Retry-After; nothing to do unless it lasts"),
        Row(status: 502...502, mentions: ["relay"],
            cause: "The relay could not reach Grafana",
            fix: "check that Grafana is up and that --relay-to names it"),
        Row(status: 504...504, mentions: ["relay"],
            cause: "Grafana did not answer within the relay's timeout",
            fix: "look at Grafana's load; raise --relay-timeout if it is only slow"),
        Row(status: 500...599,
            cause: "Grafana failed on its side",
            fix: "look at Grafana's server log"),
        Row(status: 200...201, methods: ["POST", "PUT", "PATCH"], expects: .resource,
            cause: "Okta expects the resource back, with its id, and this body has none",
            fix: "Okta counts this as a failure: look at what answered (a proxy or the wrong path)"),
        Row(status: 200...200, methods: ["GET"], pathEndsWith: ["/Users", "/Groups"], expects: .listResponse,
            cause: "Okta expects a SCIM ListResponse with totalResults, and this body is not one",
            fix: "Okta counts this as a failure: look at what answered (a proxy or the wrong path)"),
    ]

    /// The explanation for an answer, if Okta would count it as a failure and a row knows why.
    public static func explain(method: String, path: String, status: Int, body: String) -> FailureExplanation? {
        // Parsed once, and only when a row's line matches: most answers need no row.
        lazy var document = try? JSONCoding.parse(Array(body.utf8))
        for row in rows where row.applies(method: method, path: path, status: status) {
            if let scimType = row.scimType, document?[attribute: "scimType"]?.stringValue != scimType { continue }
            if !row.mentions.isEmpty, !row.mentions.contains(where: { body.range(of: $0, options: .caseInsensitive) != nil }) {
                continue
            }
            if let expects = row.expects, okta(accepts: document, as: expects) { continue }
            let cause = row.cause.contains("{message}")
                ? row.cause.replacingOccurrences(of: "{message}", with: document?[attribute: "detail"]?.stringValue
                    ?? document?[attribute: "message"]?.stringValue ?? String(body.prefix(160)))
                : row.cause
            return FailureExplanation(cause: cause, fix: row.fix)
        }
        return nil
    }

    /// Whether a row may explain an answer with this line (its body unread):
    /// what the Requests table marks. A 2xx is marked only once its body is read.
    public static func mayExplain(method: String, path: String, status: Int) -> Bool {
        rows.contains { $0.expects == nil && $0.applies(method: method, path: path, status: status) }
    }

    static func okta(accepts document: JSONValue?, as expectation: Expectation) -> Bool {
        switch expectation {
        case .resource:
            return document?[attribute: "id"]?.stringValue?.isEmpty == false
        case .listResponse:
            return document?[attribute: "schemas"]?.arrayValue?.contains(.string(SchemaURN.listResponse)) == true
                && document?[attribute: "totalResults"]?.numberValue != nil
        }
    }
}

extension FailureExplanations.Row {
    func applies(method: String, path: String, status: Int) -> Bool {
        self.status.contains(status) && (methods.isEmpty || methods.contains(method))
            && (pathEndsWith.isEmpty || pathEndsWith.contains { path.hasSuffix($0) })
    }
}
