#if !FUZZING  // the fuzz targets compile SCIM and JSONTokens as one module (Tests/Fuzz/run.sh)
import JSONTokens
#endif

/// A strict RFC 8259 parser straight from UTF-8 bytes to `JSONValue`, on
/// the package's one JSON scanner (`JSONLexer`): the lexer checks each
/// string, number and literal; the parser owns the grammar above them
/// (members, elements, depth) and builds the values.
///
/// Why not `JSONDecoder`: every user served is a stored document parsed
/// again, and going through `Decodable` (a `JSONMap`, then a `try?` cascade
/// per value) was a tenth of the CPU of a filtered GET. This parser makes
/// one pass and builds the tree directly. It accepts exactly RFC 8259 JSON,
/// as Grafana's Go `encoding/json` does: no trailing comma, no comments, no
/// leading zeros. A leading UTF-8 byte order mark is skipped, which RFC 8259
/// §8.1 allows a parser. A differential fuzz target (`Tests/Fuzz/run.sh 60
/// json`) checks acceptance against a grammar-only recognizer and each
/// accepted tree against `JSONDecoder`'s.
struct JSONParser {
    /// Deeper documents are refused rather than recursed into (as `JSONDecoder` does past 512).
    static let maxDepth = 512

    struct Failure: Error, Equatable {
        var reason: String
        var offset: Int
        var description: String { "\(reason) at byte \(offset)" }

        init(_ failure: JSONLexer.Failure) {
            reason = failure.reason
            offset = failure.offset
        }
    }

    private var lexer: JSONLexer
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        lexer = JSONLexer(bytes)
    }

    private var bytes: UnsafeBufferPointer<UInt8> { lexer.bytes }
    private var index: Int {
        get { lexer.index }
        set { lexer.index = newValue }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes)
        // A UTF-8 byte order mark is tolerated, as JSONDecoder tolerates it.
        parser.lexer.skipByteOrderMark()
        parser.lexer.skipWhitespace()
        let value = try parser.value()
        parser.lexer.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("Unexpected text after the JSON value") }
        return value
    }

    private func failure(_ reason: String, at offset: Int? = nil) -> Failure {
        Failure(JSONLexer.Failure(reason, at: offset ?? index))
    }

    /// Reads one token with the lexer, its failure as the parser's.
    private mutating func token() throws(Failure) -> JSONLexer.Token {
        do { return try lexer.next() } catch { throw Failure(error) }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("Unexpected end of the document") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        default: break
        }
        switch try token() {
        case .string(let range, let escaped): return .string(try string(range, escaped: escaped))
        case .number(let range): return .number(try number(range))
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        case .end: throw failure("Unexpected end of the document", at: lexer.tokenStart)
        default: throw failure("Unexpected character", at: lexer.tokenStart)
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("Too many nested arrays or objects") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var members: [String: JSONValue] = [:]
        lexer.skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            lexer.skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("Expected a member name") }
            guard case .string(let range, let escaped) = try token() else { throw failure("Expected a member name") }
            let key = try string(range, escaped: escaped)
            lexer.skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("Expected ':'") }
            index += 1
            lexer.skipWhitespace()
            // A repeated name keeps its first value, as JSONDecoder does.
            let member = try value()
            if members[key] == nil { members[key] = member }
            lexer.skipWhitespace()
            guard index < bytes.count else { throw failure("Unexpected end of the document") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw failure("Expected ',' or '}'")
        }
        depth -= 1
        return .object(members)
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var items: [JSONValue] = []
        lexer.skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            lexer.skipWhitespace()
            items.append(try value())
            lexer.skipWhitespace()
            guard index < bytes.count else { throw failure("Unexpected end of the document") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw failure("Expected ',' or ']'")
        }
        depth -= 1
        return .array(items)
    }

    /// A string token's text: escape-free strings are their bytes as they
    /// are; the text must be valid UTF-8.
    private func string(_ range: Range<Int>, escaped: Bool) throws(Failure) -> String {
        let text: String?
        if escaped {
            let decoded: [UInt8]
            do { decoded = try lexer.unescaped(range) } catch { throw Failure(error) }
            text = String(validating: decoded, as: UTF8.self)
        } else {
            text = String(validating: UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]),
                          as: UTF8.self)
        }
        guard let text else { throw failure("Invalid UTF-8 in a string", at: range.upperBound - 1) }
        return text
    }

    /// A number token's value, finite as a Double.
    private func number(_ range: Range<Int>) throws(Failure) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw failure("Number \(text) is out of range", at: range.lowerBound)
        }
        return value
    }
}
