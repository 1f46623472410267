/// RFC 8259 JSON, one token at a time, straight from UTF-8 bytes: the one
/// scanner under every reader of JSON text in the package. `JSONParser`
/// builds values from its tokens, `DocumentText` finds a stored document's
/// top-level members with it, and the console's `JSONHighlighter`
/// re-indents and colours what was sent by it.
///
/// Strict as RFC 8259 is: a string has no raw control character and only
/// the escapes the RFC names (each `\u` with four hex digits); a number is
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. What a token
/// means is left to its reader: a string token is its range (quotes
/// included) and whether it has escapes (`unescaped` decodes them); a
/// number token is its range. The grammar above tokens (members, depth,
/// trailing commas) is the reader's too.
public struct JSONLexer {
    public enum Token: Equatable, Sendable {
        case beginObject, endObject, beginArray, endArray, colon, comma
        /// A string, its quotes included; `escaped` when it has a backslash.
        case string(Range<Int>, escaped: Bool)
        case number(Range<Int>)
        case `true`, `false`, null
        /// No more text (only whitespace was left).
        case end
    }

    /// Why the text is not JSON, and where.
    public struct Failure: Error, Equatable, Sendable {
        public var reason: String
        public var offset: Int

        public init(_ reason: String, at offset: Int) {
            self.reason = reason
            self.offset = offset
        }
    }

    public let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next token is looked for.
    public var index: Int
    /// Where the last token read began.
    public var tokenStart = 0

    @inlinable
    public init(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// Skips a UTF-8 byte order mark at the start, which RFC 8259 §8.1 allows a parser to.
    @inlinable
    public mutating func skipByteOrderMark() {
        if index == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    @inlinable
    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next token after any whitespace; `index` moves past it.
    @inlinable
    public mutating func next() throws(Failure) -> Token {
        skipWhitespace()
        tokenStart = index
        guard index < bytes.count else { return .end }
        switch bytes[index] {
        case UInt8(ascii: "{"): index += 1; return .beginObject
        case UInt8(ascii: "}"): index += 1; return .endObject
        case UInt8(ascii: "["): index += 1; return .beginArray
        case UInt8(ascii: "]"): index += 1; return .endArray
        case UInt8(ascii: ":"): index += 1; return .colon
        case UInt8(ascii: ","): index += 1; return .comma
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): try literal("true"); return .true
        case UInt8(ascii: "f"): try literal("false"); return .false
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw Failure("Unexpected character", at: index)
        }
    }

    @inlinable
    mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Failure("Unexpected end of the document", at: index) }
        let start = word.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] { throw Failure("Invalid literal", at: index) }
        index += count
    }

    /// A string at `index` (its opening quote), checked but not decoded.
    @inlinable
    mutating func string() throws(Failure) -> Token {
        let start = index
        index += 1
        var escaped = false
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return .string(start..<index, escaped: escaped)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                try escape()
                continue
            }
            if b < 0x20 { throw Failure("Unescaped control character in a string", at: index) }
            index += 1
        }
        throw Failure("Unterminated string", at: index)
    }

    /// An escape at `index` (its backslash): one the RFC names.
    @inlinable
    mutating func escape() throws(Failure) {
        index += 1
        guard index < bytes.count else { throw Failure("Unexpected end of the document", at: index) }
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
        case UInt8(ascii: "u"):
            index += 1
            _ = try hex4()
        default:
            throw Failure("Invalid escape sequence", at: index)
        }
    }

    @inlinable
    mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Failure("Unexpected end of the document", at: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw Failure("Invalid \\u escape", at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    @inlinable
    mutating func number() throws(Failure) -> Token {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Failure("Invalid number", at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) { throw Failure("Number with a leading zero", at: index) }
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Failure("Invalid number", at: index) }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Failure("Invalid number", at: index) }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        return .number(start..<index)
    }

    @inlinable
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Skips one whole value (nested objects and arrays included) without
    /// checking its strings and numbers: for text this package wrote itself,
    /// whose members are copied as they are (`DocumentText`). Returns the
    /// value's range, or nil when the text ends first or holds whitespace
    /// outside strings (not compact).
    @inlinable
    public mutating func skipCompactValue() -> Range<Int>? {
        let start = index
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index > start ? start..<index : nil }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 { return index > start ? start..<index : nil }
            case 0x20, 0x0A, 0x0D, 0x09:
                return nil
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The UTF-8 bytes a string token stands for (`range` with its quotes),
    /// its escapes decoded and a surrogate pair joined. The token was checked
    /// when it was read; a lone surrogate is the one thing left to refuse.
    @inlinable
    public func unescaped(_ range: Range<Int>) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound + 1
        let end = range.upperBound - 1
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var reader = JSONLexer(bytes, at: i)
                let first = try reader.hex4()
                i = reader.index
                let scalar: Unicode.Scalar?
                if (0xD800...0xDBFF).contains(first) {
                    guard i + 1 < end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw Failure("Unpaired UTF-16 surrogate", at: i)
                    }
                    reader.index = i + 2
                    let second = try reader.hex4()
                    guard (0xDC00...0xDFFF).contains(second) else { throw Failure("Unpaired UTF-16 surrogate", at: i) }
                    i = reader.index
                    scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                } else {
                    scalar = Unicode.Scalar(first)
                }
                guard let scalar else { throw Failure("Unpaired UTF-16 surrogate", at: i) }
                out.append(contentsOf: UTF8.encode(scalar)!)
            default: out.append(e)  // `"`, `\` or `/`: the character itself
            }
        }
        return out
    }
}
