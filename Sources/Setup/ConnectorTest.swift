import Foundation
import SCIM

/// Step 6 of the guide: what Okta's "Test Connector Configuration" does,
/// plus a request with a wrong token that must be refused.
public enum ConnectorTest {
    public struct Check: Sendable, Equatable {
        public var name: String
        public var request: String
        public var passed: Bool
        /// What came back.
        public var detail: String
        /// On failure, the likely cause (Grafana's troubleshooting guide).
        public var cause: String?
    }

    /// Runs the checks against `scimBase` (the connector URL, or its local
    /// twin for the embedded endpoint) with `token`.
    public static func run(_ client: GrafanaClient, scimBase: String, token: String) async -> [Check] {
        var checks: [Check] = []
        checks.append(await listCheck(client, name: "List users, as Okta's Test Connector does",
                                      url: "\(scimBase)/Users?startIndex=1&count=2", token: token))
        checks.append(await listCheck(client, name: "List groups, as Okta does before pushing groups",
                                      url: "\(scimBase)/Groups?startIndex=1&count=100", token: token))
        checks.append(await wrongTokenCheck(client, url: "\(scimBase)/Users?startIndex=1&count=1"))
        return checks
    }

    static func shortPath(_ url: String) -> String {
        guard let r = url.range(of: "/Users") ?? url.range(of: "/Groups") else { return url }
        return "GET …" + url[r.lowerBound...]
    }

    static func listCheck(_ client: GrafanaClient, name: String, url: String, token: String) async -> Check {
        var check = Check(name: name, request: shortPath(url), passed: false, detail: "", cause: nil)
        let answer: GrafanaClient.Answer
        do {
            answer = try await client.send(.GET, "", authorization: "Bearer \(token)", absoluteURL: url)
        } catch {
            check.detail = "no answer"
            check.cause = error.description
            return check
        }
        guard answer.status == 200 else {
            check.detail = "\(answer.status): \(answer.message)"
            check.cause = cause(url: url, answer)
            return check
        }
        guard let json = answer.json, json[attribute: "schemas"]?.arrayValue?.contains(.string(SchemaURN.listResponse)) == true,
            let total = json[attribute: "totalResults"]?.numberValue
        else {
            check.detail = "200, but not a SCIM ListResponse"
            check.cause = cause(url: url, answer)
            return check
        }
        check.passed = true
        check.detail = "200, totalResults \(Int(total))"
        return check
    }

    static func wrongTokenCheck(_ client: GrafanaClient, url: String) async -> Check {
        var check = Check(name: "A wrong token is refused", request: shortPath(url) + " (wrong token)",
                          passed: false, detail: "", cause: nil)
        // Well-formed, so the refusal is about the token and not its shape.
        let wrong = "glsa_" + String(repeating: "0", count: 32) + "_00000000"
        do {
            let answer = try await client.send(.GET, "", authorization: "Bearer \(wrong)", absoluteURL: url)
            check.passed = answer.status == 401
            check.detail = "\(answer.status)"
            if !check.passed {
                check.cause = answer.status == 200
                    ? "The endpoint accepted a token it never issued: anyone could provision users. Do not connect Okta to it."
                    : cause(url: url, answer)
            }
        } catch {
            check.detail = "no answer"
            check.cause = error.description
        }
        return check
    }

    /// The checks as report lines: each check, what was sent and what came back, and a likely cause.
    public static func report(_ checks: [Check]) -> StepReport {
        var report = StepReport()
        for check in checks {
            report.add(check.passed ? .ok : .fail, check.name)
            report.add(.info, "\(check.request) → \(check.detail)")
            if let cause = check.cause { report.add(.info, "Likely cause: \(cause)") }
        }
        return report
    }

    /// The likely cause of a failed check, and what to do: `FailureExplanations`, as Okta would meet it.
    static func cause(url: String, _ answer: GrafanaClient.Answer) -> String {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        return FailureExplanations.explain(method: "GET", path: path, status: answer.status,
                                           body: String(decoding: answer.body, as: UTF8.self))?.line
            ?? "Unexpected status \(answer.status): \(answer.message)"
    }
}
