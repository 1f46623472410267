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

    /// Parses filter text; a bad filter is a 400 `invalidFilter` saying where it broke.
    public static func parse(_ text: String) throws(SCIMError) -> Filter {
        var parser = FilterParser(text: text)
        return try parser.parseWholeFilter()
    }
}

/// The comparison operators of RFC 7644 Table 3 (`pr` is `Filter.present`).
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le
}
