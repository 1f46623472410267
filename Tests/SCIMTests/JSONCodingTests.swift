import Foundation
import SCIM
import Testing

/// The hand-written JSON reader and writer: what they accept, refuse and
/// produce. (`Tests/Fuzz/run.sh SECONDS json` compares the reader with
/// RFC 8259's grammar on generated inputs.)
@Suite("JSON coding")
struct JSONCodingTests {
    @Test(arguments: [
        (#"{"a":[1,-0.5,2e3,1E+2,true,false,null],"b":{},"c":[]}"#,
         JSONValue.object(["a": [1, -0.5, 2000, 100, true, false, nil], "b": .object([:]), "c": .array([])])),
        (#" "x" "#, JSONValue.string("x")),
        (#""\"\\\/\b\f\n\r\t""#, JSONValue.string("\"\\/\u{08}\u{0C}\n\r\t")),
        (#""caf\u00e9 \ud83d\ude00 zoë""#, JSONValue.string("café 😀 zoë")),
        (#"{"a":1,"a":2}"#, JSONValue.object(["a": 1])),  // a repeated name keeps its first value, as JSONDecoder
        ("\u{FEFF}{}", JSONValue.object([:])),
        ("0e9", JSONValue.number(0)),
        ("12345678901234567890", JSONValue.number(12345678901234567890)),
    ])
    func accepts(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONCoding.parse(text) == expected)
        #expect(try JSONCoding.parse(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("", "Unexpected end of the document at byte 0"),
        ("[1,,]", "Unexpected character at byte 3"),
        ("{,}", "Expected a member name at byte 1"),
        (#"{"a" 1}"#, "Expected ':' at byte 5"),
        ("[1 2]", "Expected ',' or ']' at byte 3"),
        ("true false", "Unexpected text after the JSON value at byte 5"),
        ("01", "Number with a leading zero at byte 1"),
        ("1.", "Invalid number at byte 2"),
        ("1e400", "Number 1e400 is out of range at byte 0"),
        ("NaN", "Unexpected character at byte 0"),
        (#""\ud800""#, "Unpaired UTF-16 surrogate at byte 7"),
        (#""\x""#, "Invalid escape sequence at byte 2"),
        ("\"a\u{01}\"", "Unescaped control character in a string at byte 2"),
        ("\"abc", "Unterminated string at byte 4"),
        ("tru", "Unexpected end of the document at byte 0"),
        // Strict RFC 8259, as Grafana's Go encoding/json: no trailing comma.
        ("[1,]", "Unexpected character at byte 3"),
        (#"{"a":1,}"#, "Expected a member name at byte 7"),
        (#"{"userName":"x",}"#, "Expected a member name at byte 16"),
    ])
    func refusesWithWhereAndWhy(_ text: String, _ reason: String) {
        #expect(throws: SCIMError.invalidSyntax("The request body is not valid JSON: \(reason).")) {
            try JSONCoding.parse(text)
        }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: SCIMError.self) { try JSONCoding.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: SCIMError.self) { try JSONCoding.parse(Array(repeating: UInt8(ascii: "["), count: 513)) }
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONCoding.parse(fine) }
    }

    @Test func writesSCIMOrderAndEscapes() throws {
        let value: JSONValue = [
            "meta": ["resourceType": "User"], "zeta": "z\u{2028}\u{01}\"\\\n", "id": "1",
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "zoë", "n": 1.5, "i": 42,
        ]
        #expect(JSONCoding.serialize(value) == #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"zoë","i":42,"n":1.5,"zeta":"z\u2028\u0001\"\\\n","meta":{"resourceType":"User"}}
            """#)
        #expect(try JSONCoding.parse(JSONCoding.serialize(value)) == value)
        #expect(JSONCoding.serialize(["a": [1]], pretty: true) == "{\n  \"a\": [\n    1\n  ]\n}")
    }

    @Test func formatsDatesAsSCIMWritesThem() {
        #expect(SCIMDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(SCIMDate.format(Date(timeIntervalSince1970: 1_000_000_000.5)) == "2001-09-09T01:46:40.500Z")
        #expect(SCIMDate.format(Date(timeIntervalSince1970: 1_796_000_000.25)) == "2026-11-30T00:53:20.250Z")
        #expect(!SCIMDate.format(Date(timeIntervalSince1970: 1e300)).isEmpty, "out of range: no trap")
        let now = Date()
        #expect(abs(SCIMDate.parse(SCIMDate.format(now))!.timeIntervalSince(now)) < 0.002)  // milliseconds, truncated
    }

    /// The calendar arithmetic agrees with the C library's `gmtime_r` on every
    /// day from year 1 to 9999 (leap years, centuries, before 1970) and on
    /// random instants, to the millisecond.
    @Test func formatsDatesAsTheCLibraryDoes() {
        func reference(_ date: Date) -> String {
            let seconds = date.timeIntervalSince1970
            let whole = seconds.rounded(.down)
            var time = time_t(whole)
            var parts = tm()
            gmtime_r(&time, &parts)
            let millis = Int(((seconds - whole) * 1000).rounded(.down))
            func pad(_ v: Int32, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
            return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
                + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
        }
        var mismatches: [String] = []
        for day in stride(from: -719_162, to: 2_932_896, by: 1) where day % 7 == 0 || abs(day) < 800 {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400 + 86_399.999)
            if SCIMDate.format(date) != reference(date) { mismatches.append("\(SCIMDate.format(date)) \(reference(date))") }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -62_135_596_000 ..< 253_402_300_000, using: &generator))
            if SCIMDate.format(date) != reference(date) { mismatches.append("\(SCIMDate.format(date)) \(reference(date))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
