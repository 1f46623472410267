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
        var parser = FilterParser(text: text)
        return try parser.parseWholeFilter()
    }
}

/// The comparison operators of RFC 7644 Table 3 (`pr` is `Filter.present`).
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le
}
