/// A parsed RFC 7644 §3.4.2.2 filter.
public indirect enum Filter: Sendable, Equatable {
    /// `attrPath op value`
    case compare(AttributePath, ComparisonOperator, JSONValue)
    /// `attrPath pr`
    case present(AttributePath)
    case and(Filter, Filter)
    case or(Filter, Filter)
    case not(Filter)
    /// `attrPath[filter]`: some element of a multi-valued attribute matches
    /// `filter`, whose paths are relative to the element.
    case valuePath(AttributePath, Filter)

    /// Longest filter accepted, in bytes; Okta's are well under 200.
    public static let maxLength = 4096
    /// Deepest nesting of `(…)`, `not (…)` and `[…]` accepted.
    public static let maxDepth = 32

    /// Parses filter text; a bad filter is a 400 `invalidFilter` saying where it broke.
    public static func parse(_ text: String) throws(SCIMError) -> Filter {
        guard text.utf8.count <= maxLength else {
            throw SCIMError.invalidFilter("The filter is longer than \(maxLength) bytes; send a shorter one.")
        }
        if let simple = simpleComparison(text) { return simple }
        var parser = FilterParser(text: text)
        return try parser.parseWholeFilter()
    }

    /// `attrPath op "text"` with single spaces and a string without escapes: nearly
    /// every filter Okta sends (`userName eq "…"`, `displayName eq "…"`), read without
    /// the tokenizer, which was half of a filtered GET's parsing. It gives the full
    /// parser's answer or nil, and the full parser then reads (or refuses) the filter.
    static func simpleComparison(_ text: String) -> Filter? {
        let bytes = text.utf8
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let word = bytes[..<space]
        // A word as the tokenizer ends it, in printable ASCII; not a keyword.
        guard !word.isEmpty, word.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !Self.wordEnds.contains($0) }) else { return nil }
        let rest = bytes[bytes.index(after: space)...]
        guard rest.count >= 5 else { return nil }
        let opEnd = rest.index(rest.startIndex, offsetBy: 2)
        let body = rest[rest.index(opEnd, offsetBy: 2)...]
        guard rest[opEnd] == UInt8(ascii: " "), rest[rest.index(after: opEnd)] == UInt8(ascii: "\""),
              body.last == UInt8(ascii: "\""),
              let op = ComparisonOperator(rawValue: String(decoding: rest[..<opEnd], as: UTF8.self).lowercased())
        else { return nil }
        let value = body.dropLast()
        guard !value.contains(UInt8(ascii: "\"")), !value.contains(UInt8(ascii: "\\")) else { return nil }
        let name = String(decoding: word, as: UTF8.self)
        guard !["not", "and", "or"].contains(name.lowercased()),
              let path = AttributePath.parse(name), !path.attribute.isEmpty
        else { return nil }
        return .compare(path, op, .string(String(decoding: value, as: UTF8.self)))
    }

    /// The tokenizer's word ends (`FilterParser.wordEnds`), as bytes.
    private static let wordEnds = Set(FilterParser.wordEnds.map { UInt8($0.value) })
}

/// The comparison operators of RFC 7644 Table 3 (`pr` is `Filter.present`).
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le
}
