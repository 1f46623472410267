import Testing
@testable import Setup

/// The table of likely causes: each Grafana answer Okta counts as a failure
/// finds its row, and answers Okta accepts find none.
@Suite("Failure explanations")
struct FailureExplanationTests {
    static let users = "/apis/scim.grafana.app/v0alpha1/namespaces/stacks-12345/Users"

    struct Case: Sendable, CustomStringConvertible {
        var method = "GET"
        var path = FailureExplanationTests.users
        var status: Int
        var body = ""
        /// Text the cause must hold; nil: no explanation.
        var says: String?
        var description: String { "\(method) \(path) \(status)" }
    }

    static let cases: [Case] = [
        Case(status: 403, body: #"{"message":"invalid namespace","messageId":"authn.invalid-namespace"}"#, says: "namespace does not match"),
        Case(status: 401, body: #"{"message":"invalid API key"}"#, says: "wrong, expired or revoked"),
        Case(status: 403, body: #"{"message":"You'll need additional permissions to perform this action. Permissions needed: users:write"}"#,
             says: "Permissions needed: users:write"),
        Case(status: 404, body: #"{"message":"Not found"}"#, says: "enableSCIM feature toggle is off"),
        Case(path: users + "/0b6d", status: 404, body: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"}"#, says: nil),
        Case(method: "POST", status: 409, body: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness"}"#,
             says: "login already exists"),
        Case(status: 429, says: "rate limiting"),
        Case(status: 502, body: #"{"detail":"The relay could not reach Grafana at g.example.com: refused"}"#, says: "could not reach Grafana"),
        Case(status: 504, body: #"{"detail":"Grafana at g.example.com did not answer within 30 s (the relay's --relay-timeout)"}"#,
             says: "relay's timeout"),
        Case(status: 500, says: "failed on its side"),
        Case(method: "POST", status: 201, body: "{}", says: "with its id"),
        Case(method: "POST", status: 201, body: #"{"id":"0b6d","userName":"ada"}"#, says: nil),
        Case(status: 200, body: "<html>login</html>", says: "ListResponse"),
        Case(status: 200, body: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"#,
             says: nil),
        Case(method: "PATCH", path: users + "/0b6d", status: 204, says: nil),
    ]

    @Test(arguments: cases)
    func eachAnswerFindsItsRow(_ c: Case) {
        let why = FailureExplanations.explain(method: c.method, path: c.path, status: c.status, body: c.body)
        if let says = c.says {
            #expect(why?.cause.contains(says) == true, "\(why?.line ?? "none")")
            #expect(why?.line.hasSuffix(".") == true && why?.fix.isEmpty == false)
        } else {
            #expect(why == nil, "\(why?.line ?? "")")
        }
    }

    @Test func theTableMarksWhatItsLineCanTell() {
        #expect(FailureExplanations.mayExplain(method: "GET", path: Self.users, status: 401))
        #expect(!FailureExplanations.mayExplain(method: "GET", path: Self.users + "/0b6d", status: 404), "a user that is gone is an answer")
        #expect(!FailureExplanations.mayExplain(method: "POST", path: Self.users, status: 201), "a 2xx is judged by its body")
    }
}
