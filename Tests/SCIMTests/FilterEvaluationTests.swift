import Testing
@testable import SCIM

@Suite("Filter evaluation")
struct FilterEvaluationTests {
    let alice: JSONValue = [
        "schemas": [.string(SchemaURN.user), .string(SchemaURN.enterpriseUser)],
        "id": "2819c223", "externalId": "00uAbC", "userName": "Alice@Example.com",
        "name": ["givenName": "Alice", "familyName": "Smith"],
        "displayName": "Alice Smith", "active": true, "title": "Engineer",
        "emails": [
            ["value": "alice@example.com", "type": "work", "primary": true],
            ["value": "alice@home.example", "type": "home"],
        ],
        .init(stringLiteral: SchemaURN.enterpriseUser): ["employeeNumber": "701984", "department": "R&D"],
        "meta": ["created": "2026-01-02T03:04:05Z", "lastModified": "2026-06-01T00:00:00.500Z"],
    ]

    func matches(_ f: String) throws -> Bool {
        try Filter.parse(f).matches(alice, type: .user)
    }

    @Test func userNameIsCaseInsensitive() throws {
        #expect(try matches(#"userName eq "alice@example.com""#))
        #expect(try matches(#"USERNAME eq "ALICE@EXAMPLE.COM""#))
    }

    @Test func idAndExternalIdAreCaseExact() throws {
        #expect(try matches(#"externalId eq "00uAbC""#))
        #expect(try !matches(#"externalId eq "00uabc""#))
        #expect(try !matches(#"id eq "2819C223""#))
    }

    @Test func stringOperators() throws {
        #expect(try matches(#"displayName co "ice sm""#))
        #expect(try matches(#"displayName sw "alice""#))
        #expect(try matches(#"displayName ew "SMITH""#))
        #expect(try matches(#"title gt "E" and title lt "F""#))
        #expect(try matches(#"title ne "Manager""#))
        #expect(try !matches(#"title ne "engineer""#))
    }

    @Test func presence() throws {
        #expect(try matches("title pr"))
        #expect(try !matches("nickName pr"))
        #expect(try matches("not (nickName pr)"))
    }

    @Test func multiValuedMatchesAnyValue() throws {
        #expect(try matches(#"emails co "home.example""#))
        #expect(try matches(#"emails.value eq "ALICE@EXAMPLE.COM""#))
        #expect(try matches(#"emails.type eq "home""#))
    }

    @Test func valuePathMatchesWithinOneElement() throws {
        #expect(try matches(#"emails[type eq "work" and primary eq true]"#))
        // Each condition holds for some element, but not for the same one.
        #expect(try !matches(#"emails[type eq "home" and primary eq true]"#))
        #expect(try matches(#"emails[type eq "work"].value eq "alice@example.com""#))
    }

    @Test func extensionAttributes() throws {
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#))
        #expect(try matches(#"department eq "r&d""#))
    }

    @Test func booleansAndDates() throws {
        #expect(try matches("active eq true"))
        #expect(try !matches("active eq false"))
        #expect(try matches(#"meta.created lt "2026-01-02T04:00:00+01:00""#) == false)
        #expect(try matches(#"meta.created lt "2026-01-02T03:04:06Z""#))
        #expect(try matches(#"meta.lastModified ge "2026-06-01T00:00:00.5Z""#))
    }

    @Test func logic() throws {
        #expect(try matches(#"title eq "x" or userName sw "alice""#))
        #expect(try !matches(#"title eq "x" and userName sw "alice""#))
        #expect(try matches(#"not (title eq "x") and (active eq true or title eq "y")"#))
    }

    @Test func nullLiteral() throws {
        #expect(try matches("nickName eq null"))
        #expect(try !matches("title eq null"))
        #expect(try matches("title ne null"))
    }
}
