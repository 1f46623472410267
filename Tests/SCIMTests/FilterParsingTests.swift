import Testing
@testable import SCIM

@Suite("Filter parsing")
struct FilterParsingTests {
    @Test func simpleComparison() throws {
        #expect(try Filter.parse(#"userName eq "bjensen""#)
            == .compare(AttributePath(attribute: "userName"), .eq, "bjensen"))
    }

    @Test func operatorsAndKeywordsIgnoreCase() throws {
        #expect(try Filter.parse(#"userName EQ "x" AND active Eq TRUE"#)
            == .and(.compare(AttributePath(attribute: "userName"), .eq, "x"),
                    .compare(AttributePath(attribute: "active"), .eq, true)))
    }

    @Test func everyOperator() throws {
        for op in ComparisonOperator.allCases {
            #expect(try Filter.parse("title \(op.rawValue) \"x\"") == .compare(AttributePath(attribute: "title"), op, "x"))
        }
        #expect(try Filter.parse("title pr") == .present(AttributePath(attribute: "title")))
    }

    @Test func literals() throws {
        #expect(try Filter.parse("x eq 42") == .compare(AttributePath(attribute: "x"), .eq, 42))
        #expect(try Filter.parse("x eq -1.5") == .compare(AttributePath(attribute: "x"), .eq, .number(-1.5)))
        #expect(try Filter.parse("x eq false") == .compare(AttributePath(attribute: "x"), .eq, false))
        #expect(try Filter.parse("x eq null") == .compare(AttributePath(attribute: "x"), .eq, .null))
        #expect(try Filter.parse(#"x eq "a \"quoted\" \u00e9""#)
            == .compare(AttributePath(attribute: "x"), .eq, "a \"quoted\" é"))
    }

    @Test func andBindsTighterThanOr() throws {
        let f = try Filter.parse(#"a eq "1" or b eq "2" and c eq "3""#)
        #expect(f == .or(.compare(AttributePath(attribute: "a"), .eq, "1"),
                         .and(.compare(AttributePath(attribute: "b"), .eq, "2"),
                              .compare(AttributePath(attribute: "c"), .eq, "3"))))
    }

    @Test func parenthesesOverridePrecedence() throws {
        let f = try Filter.parse(#"(a eq "1" or b eq "2") and c eq "3""#)
        #expect(f == .and(.or(.compare(AttributePath(attribute: "a"), .eq, "1"),
                              .compare(AttributePath(attribute: "b"), .eq, "2")),
                          .compare(AttributePath(attribute: "c"), .eq, "3")))
    }

    @Test func notNeedsParentheses() throws {
        #expect(try Filter.parse(#"not (a eq "1")"#) == .not(.compare(AttributePath(attribute: "a"), .eq, "1")))
        #expect(try Filter.parse(#"not(a pr)"#) == .not(.present(AttributePath(attribute: "a"))))
        #expect(throws: SCIMError.self) { try Filter.parse(#"not a eq "1""#) }
    }

    @Test func subAttributesAndURNs() throws {
        #expect(try Filter.parse(#"name.familyName co "O'Malley""#)
            == .compare(AttributePath(attribute: "name", subAttribute: "familyName"), .co, "O'Malley"))
        #expect(try Filter.parse(#"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "B""#)
            == .compare(AttributePath(schema: SchemaURN.user, attribute: "name", subAttribute: "givenName"), .sw, "B"))
        #expect(try Filter.parse(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7""#)
            == .compare(AttributePath(schema: SchemaURN.enterpriseUser, attribute: "employeeNumber"), .eq, "7"))
    }

    @Test func valuePaths() throws {
        let f = try Filter.parse(#"emails[type eq "work" and primary eq true]"#)
        #expect(f == .valuePath(AttributePath(attribute: "emails"),
                                .and(.compare(AttributePath(attribute: "type"), .eq, "work"),
                                     .compare(AttributePath(attribute: "primary"), .eq, true))))
        let g = try Filter.parse(#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#)
        guard case .and(_, .valuePath(let p, _)) = g else { Issue.record("not a value path: \(g)"); return }
        #expect(p.attribute == "emails")
    }

    @Test func dateLiteralsAreStrings() throws {
        #expect(try Filter.parse(#"meta.lastModified gt "2011-05-13T04:42:34Z""#)
            == .compare(AttributePath(attribute: "meta", subAttribute: "lastModified"), .gt, "2011-05-13T04:42:34Z"))
    }

    @Test(arguments: [
        (#"userName eq"#, "character 12"),
        (#"userName zz "x""#, "character 10"),
        (#"userName eq "x"#, "not closed"),
        (#"(userName eq "x""#, "expected \")\""),
        (#"userName eq bjensen"#, "double quotes"),
        (#"userName eq "x" and"#, "attribute name"),
        ("", "empty"),
        (#"emails[type eq "work""#, "expected \"]\""),
    ])
    func badFiltersSayWhereTheyBroke(filter: String, expected: String) {
        do {
            _ = try Filter.parse(filter)
            Issue.record("\(filter) parsed")
        } catch {
            #expect(error.status == 400)
            #expect(error.scimType == .invalidFilter)
            #expect(error.detail.contains(expected), "\(error.detail)")
        }
    }

    /// The short path for `attrPath op "text"` gives the full parser's filter or
    /// leaves the text to it; it never accepts what the full parser refuses.
    @Test func theShortPathAgreesWithTheFullParser() throws {
        let texts = [
            #"userName eq "bjensen@example.com""#, #"userName EQ "Zoë Ångström""#, #"displayName eq """#,
            #"externalId Sw "00u""#, #"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x""#,
            #"name.givenName co "Ba""#, #"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            #"emails.value ne "a b c""#, "userName eq \"tab\there\"", #"id eq "a\"b""#, #"id eq "a\\b""#,
            #"userName eq "a" and active eq "b""#, #"userName  eq "x""#, #"userName eq  "x""#, #"userName eq "x" "#,
            #" userName eq "x""#, #"userName pr "x""#, #"userName zz "x""#, #"userName eq "x"#, #"userName eq x"#,
            #"not eq "x""#, #"and eq "x""#, #"emails[type eq "work"]"#, #"(userName eq "x")"#,
            #"user(Name eq "x""#, #"userName eq "x"y""#, #".x eq "y""#, #"a..b eq "y""#, #"ünïcödé eq "y""#,
            #"userName eq "x"]"#, "userName eq", "userName", "",
        ]
        var taken = 0
        for text in texts {
            var parser = FilterParser(text: text)
            let full = Result { () throws(SCIMError) in try parser.parseWholeFilter() }
            guard let short = Filter.simpleComparison(text) else { continue }
            taken += 1
            #expect(try full.get() == short, "\(text)")
        }
        #expect(taken >= 9)
    }
}
