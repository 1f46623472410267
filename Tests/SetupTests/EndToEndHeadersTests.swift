import Testing
@testable import Setup

/// What a relay passes on and a resent request carries: the exchange's
/// headers, not the connection's, nor those the `Connection` header names.
@Suite("End-to-end headers")
struct EndToEndHeadersTests {
    @Test func connectionHeadersStayBehind() {
        let fields: [(name: String, value: String)] = [
            ("Host", "relay.example.com"), ("Authorization", "Bearer glsa_x"), ("Connection", "keep-alive, X-Trace"),
            ("Keep-Alive", "timeout=5"), ("X-Trace", "abc"), ("Transfer-Encoding", "chunked"), ("Content-Length", "12"),
            ("Content-Type", "application/scim+json"), ("TE", "trailers"), ("User-Agent", "Okta SCIM Client 1.0.0"),
        ]
        let passed = EndToEndHeaders.of(fields).map(\.name)
        #expect(passed == ["Authorization", "Content-Type", "User-Agent"])
    }
}
