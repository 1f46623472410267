import Foundation
import Testing
@testable import SCIM

/// `equalsIgnoringCase` replaces Foundation's `caseInsensitiveCompare` on names;
/// it must never answer differently.
@Suite("Case-insensitive names")
struct CaseInsensitiveTests {
    static let words = [
        "", "a", "A", "@", "`", "[", "{", "schemas", "SCHEMAS", "Schemas", "schema", "schemass", "userName",
        "USERNAME", "username ", "urn:ietf:params:scim:schemas:core:2.0:User", "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER",
        "é", "É", "e\u{301}", "straße", "STRASSE", "ﬀ", "ff", "FF", "ǅ", "ǆ", "Ǆ", "ΣΑΣ", "σας", "ß", "ss", "k", "\u{212A}",
        "name\u{0}", "name", "1", "!", "ı", "I", "i",
    ]

    @Test func agreesWithFoundationOnEveryPair() {
        for a in Self.words {
            for b in Self.words {
                #expect(a.equalsIgnoringCase(b) == (a.caseInsensitiveCompare(b) == .orderedSame), "\(a.debugDescription) vs \(b.debugDescription)")
            }
        }
    }

    @Test func asciiLettersOnlyFoldTheirOwnCase() {
        // Pairs that differ in bit 0x20 but are not letters: "@" and "`", "[" and "{".
        #expect(!"@".equalsIgnoringCase("`"))
        #expect(!"[".equalsIgnoringCase("{"))
        #expect("Filter".equalsIgnoringCase("fILTER"))
        #expect(!"filter".equalsIgnoringCase("filters"))
    }
}
