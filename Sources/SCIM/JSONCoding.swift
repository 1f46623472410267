import Foundation

/// Reads and writes `JSONValue` documents.
///
/// Writing is done by hand rather than through `JSONEncoder` for two reasons:
/// SCIM documents read best with `schemas`, `id` and `meta` in familiar places
/// (the order below), and the endpoint writes one on every response.
public enum JSONCoding {
    /// Parses a request body. Throws `SCIMError.invalidSyntax` with a sentence on bad JSON.
    public static func parse(_ bytes: some Collection<UInt8>) throws(SCIMError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable(parseResult)
            ?? Array(bytes).withUnsafeBufferPointer(parseResult)
        return try value(of: result)
    }

    public static func parse(_ text: String) throws(SCIMError) -> JSONValue {
        var text = text
        return try value(of: text.withUTF8(parseResult))
    }

    private static func parseResult(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParser.Failure> {
        Result { () throws(JSONParser.Failure) in try JSONParser.parse(buffer) }
    }

    private static func value(of result: Result<JSONValue, JSONParser.Failure>) throws(SCIMError) -> JSONValue {
        switch result {
        case .success(let value): return value
        case .failure(let failure):
            throw SCIMError.invalidSyntax("The request body is not valid JSON: \(failure.description).")
        }
    }

    /// Keys written first, in this order; the rest follow alphabetically.
    static let keyRank: [String: Int] = {
        let ordered = [
            "schemas", "id", "externalId", "userName", "displayName", "name", "active",
            "emails", "members", "groups", "totalResults", "itemsPerPage", "startIndex",
            "Resources", "Operations", "status", "scimType", "detail", "op", "path", "value",
            "display", "type", "primary", "givenName", "familyName",
        ]
        var rank: [String: Int] = [:]
        for (i, k) in ordered.enumerated() { rank[k] = i }
        rank["meta"] = 1000
        return rank
    }()

    public static func serialize(_ value: JSONValue, pretty: Bool = false) -> String {
        String(decoding: data(value, pretty: pretty), as: UTF8.self)
    }

    /// The UTF-8 text of `value`. Written as bytes, not by appending to a
    /// `String`: a page of 100 users is a few thousand appends.
    public static func data(_ value: JSONValue, pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out, pretty: pretty, indent: 0, limit: .max)
        return out
    }

    /// The first bytes of `value`'s text: writing stops once more than `limit`
    /// are out, so the result is a prefix of `serialize(value)` at least `limit`
    /// long (or all of it). For logs that keep only a head of a large document.
    public static func prefix(_ value: JSONValue, limit: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(limit + 1, 1 << 16))
        write(value, into: &out, pretty: false, indent: 0, limit: limit)
        return String(decoding: out, as: UTF8.self)
    }

    /// Where a key is written among its object's members: lower first, ties by key.
    static func rank(of key: String) -> Int {
        keyRank[key] ?? (key.hasPrefix("urn:") ? 999 : 500)
    }

    /// Appends the compact text of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        write(value, into: &out, pretty: false, indent: 0, limit: .max)
    }

    /// The object's members in writing order. Each key's rank is looked up once,
    /// not at every comparison, and the sort is in place: a team's members are
    /// thousands of small objects.
    private static func rankedMembers(_ object: [String: JSONValue]) -> [(rank: Int, key: String, value: JSONValue)] {
        var ranked: [(rank: Int, key: String, value: JSONValue)] = []
        ranked.reserveCapacity(object.count)
        for (key, value) in object {
            ranked.append((rank(of: key), key, value))
        }
        ranked.sort { a, b in a.rank != b.rank ? a.rank < b.rank : a.key < b.key }
        return ranked
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], pretty: Bool, indent: Int, limit: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): writeNumber(n, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if out.count > limit { return }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(&out, indent + 1) }
                write(item, into: &out, pretty: pretty, indent: indent + 1, limit: limit)
            }
            if out.count > limit { return }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, member) in rankedMembers(object).enumerated() {
                if out.count > limit { return }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(&out, indent + 1) }
                writeString(member.key, into: &out)
                if pretty { out.append(contentsOf: ": ".utf8) } else { out.append(UInt8(ascii: ":")) }
                write(member.value, into: &out, pretty: pretty, indent: indent + 1, limit: limit)
            }
            if out.count > limit { return }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    private static func writeNumber(_ n: Double, into out: inout [UInt8]) {
        if n.isNaN || n.isInfinite {
            out.append(contentsOf: "null".utf8)
        } else if n == n.rounded(), abs(n) < 9_007_199_254_740_992 {
            out.append(contentsOf: String(Int64(n)).utf8)
        } else {
            out.append(contentsOf: "\(n)".utf8)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string, quotes included.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        writeStringContents(s, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the text of `s` inside a JSON string, without the quotes.
    /// Escapes `"`, `\\`, control characters, and U+2028/U+2029 (which break
    /// JavaScript that evals JSON); every other byte is copied as it is, so the
    /// contents of two strings written one after the other are the contents
    /// of the two joined.
    public static func writeStringContents(_ s: String, into out: inout [UInt8]) {
        let utf8 = s.utf8
        // Most strings (names, ids, URLs) need no escape: copy them whole.
        let copied = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 })
            else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20: unicodeEscape(UInt16(b), into: &out)
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                let next = utf8.index(after: i)
                if next != utf8.endIndex, utf8[next] == 0x80 {
                    let third = utf8.index(after: next)
                    if third != utf8.endIndex, utf8[third] == 0xA8 || utf8[third] == 0xA9 {
                        unicodeEscape(utf8[third] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                        i = utf8.index(after: third)
                        continue
                    }
                }
                out.append(b)
            default: out.append(b)
            }
            i = utf8.index(after: i)
        }
    }

    private static func unicodeEscape(_ unit: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: #"\u"#.utf8)
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }
}
