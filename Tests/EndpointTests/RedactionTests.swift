@testable import Endpoint
import SCIM
import Testing

/// What the request log keeps of a body: stored as sent when it cannot hold a
/// secret, redacted whenever it might.
@Suite("Redaction of logged bodies")
struct RedactionTests {
    static let plain = [
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@example.com","active":true}"#,
        #"{ "userName" : "bob",  "name": {"givenName": "Bob"}, "emails": [ {"value": "b@example.com"} ] }"#,
        #"{"Operations":[{"op":"add","path":"members","value":[{"value":"2819c223"}]}]}"#,
        "[1, 2.5, null, false, \"x\"]",
    ]

    @Test func bodiesWithoutSecretsAreStoredAsSent() throws {
        for text in Self.plain {
            let bytes = Array(text.utf8)
            #expect(Redaction.cannotHoldSecret(bytes, secretKeys: ["password"]))
            let stored = Redaction.body(bytes)
            #expect(stored == text)
            // The same document the parse-and-redact path would have stored.
            let slow = JSONCoding.serialize(Redaction.redact(try JSONCoding.parse(bytes), secretKeys: ["password"]))
            #expect(try JSONCoding.parse(Array(stored.utf8)) == JSONCoding.parse(Array(slow.utf8)))
        }
    }

    /// Text with other than ASCII takes the full path, and is kept there.
    @Test func bodiesBeyondASCIIAreParsed() throws {
        let text = #"{"displayName":"Zoë Ångström","note":"ünïcödé ✓"}"#
        #expect(!Redaction.cannotHoldSecret(Array(text.utf8), secretKeys: ["password"]))
        #expect(try JSONCoding.parse(Array(Redaction.body(Array(text.utf8)).utf8)) == JSONCoding.parse(Array(text.utf8)))
        // `lowercased()` makes a Kelvin sign a "k": this key is the Grafana API's "key".
        let kelvin = "{\"\u{212A}ey\":\"glsb_secret\"}"
        #expect(!Redaction.body(Array(kelvin.utf8), secretKeys: ["password", "key"]).contains("glsb_secret"))
    }

    @Test func anythingThatMightHoldASecretIsRedacted() throws {
        let secret = "Hunter2!"
        let risky = [
            #"{"userName":"a","password":"Hunter2!"}"#,
            #"{"userName":"a","PassWord":"Hunter2!"}"#,
            #"{"userName":"a","pass\u0077ord":"Hunter2!"}"#,
            #"{"Operations":[{"op":"replace","path":"password","value":"Hunter2!"}]}"#,
            #"{"Operations":[{"op":"replace","value":{"password":"Hunter2!"}}]}"#,
        ]
        for text in risky {
            let bytes = Array(text.utf8)
            #expect(!Redaction.cannotHoldSecret(bytes, secretKeys: ["password"]))
            let stored = Redaction.body(bytes)
            #expect(!stored.contains(secret), "\(text) was stored as \(stored)")
            #expect(stored.contains(Redaction.marker))
        }
        // The Grafana API's token key, and a token pasted into a body that is not JSON.
        #expect(!Redaction.body(Array(#"{"name":"t","key":"glsa_abc_123"}"#.utf8), secretKeys: ["password", "key"]).contains("glsa_abc"))
        #expect(!Redaction.body(Array("token glsa_abc_123".utf8)).contains("glsa_abc"))
        // A key that only contains a secret's name as part of another word is handled by the
        // full path, which keeps it.
        let near = #"{"passwordHint":"blue"}"#
        #expect(!Redaction.cannotHoldSecret(Array(near.utf8), secretKeys: ["password"]))
        #expect(Redaction.body(Array(near.utf8)).contains("blue"))
    }

    @Test func longBodiesAreCutOnEitherPath() {
        let long = "{\"userName\":\"" + String(repeating: "a", count: Redaction.bodyLimit + 10) + "\"}"
        let stored = Redaction.body(Array(long.utf8))
        #expect(stored.hasPrefix(String(long.prefix(Redaction.bodyLimit))))
        #expect(stored.hasSuffix("[truncated: \(long.utf8.count) bytes in all]"))
    }
}

/// What the request log keeps of a credential header: its scheme, never the credential.
@Suite("Redaction of logged headers")
struct HeaderRedactionTests {
    func logged(_ name: String, _ value: String) -> String {
        var line = ""
        Redaction.appendHeader(name: name, value: value, to: &line)
        return line
    }

    @Test func theSchemeIsKeptTheCredentialNever() {
        let token = "glsa_AbCdEfGhIjKlMnOpQrStUvWxYz012345_1a2b3c4d"
        #expect(logged("Authorization", "Bearer \(token)") == "Authorization: Bearer [redacted]")
        #expect(logged("authorization", "  Basic dXNlcjpwYXNz") == "authorization: Basic [redacted]")
        #expect(logged("Proxy-Authorization", "Bearer \(token)") == "Proxy-Authorization: Bearer [redacted]")
        // A token sent bare, or after something that is no scheme, is not mistaken for one.
        #expect(logged("Authorization", token) == "Authorization: [redacted]")
        #expect(logged("Authorization", "\(token) extra") == "Authorization: [redacted]")
        #expect(logged("Authorization", "") == "Authorization: [redacted]")
        #expect(logged("Cookie", "grafana_session=abc") == "Cookie: [redacted]")
        #expect(logged("User-Agent", "Okta SCIM Client 1.0.0") == "User-Agent: Okta SCIM Client 1.0.0")
    }
}
