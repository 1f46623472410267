import JSONTokens
import Testing

struct JSONLexerTests {
    private func tokens(_ text: String) throws -> [JSONLexer.Token] {
        var text = text
        return try text.withUTF8 { bytes in
            var lexer = JSONLexer(bytes)
            var out: [JSONLexer.Token] = []
            while true {
                let token = try lexer.next()
                out.append(token)
                if token == .end { return out }
            }
        }
    }

    @Test func readsEachTokenWithItsRange() throws {
        #expect(try tokens(#" {"a\n": [-1.5e3, true, false, null]} "#) == [
            .beginObject, .string(2..<7, escaped: true), .colon, .beginArray, .number(10..<16), .comma, .true, .comma,
            .false, .comma, .null, .endArray, .endObject, .end,
        ])
    }

    @Test func refusesWhatRFC8259Refuses() {
        for (text, reason, offset) in [
            ("01", "Number with a leading zero", 1), ("-", "Invalid number", 1), (#""\x""#, "Invalid escape sequence", 2),
            (#""\u12g4""#, #"Invalid \u escape"#, 5), ("\"a\u{01}\"", "Unescaped control character in a string", 2),
            ("nul", "Unexpected end of the document", 0), ("nulL", "Invalid literal", 0), ("'a'", "Unexpected character", 0),
        ] {
            #expect(throws: JSONLexer.Failure(reason, at: offset), "\(text)") { try tokens(text) }
        }
    }

    @Test func decodesEscapesAndJoinsSurrogatePairs() throws {
        var text = #""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#
        let decoded = try text.withUTF8 { bytes in
            var lexer = JSONLexer(bytes)
            guard case .string(let range, escaped: true) = try lexer.next() else { return [UInt8]() }
            return try lexer.unescaped(range)
        }
        #expect(String(decoding: decoded, as: UTF8.self) == "a\"\\/\u{08}\u{0C}\n\r\té😀")
    }
}
