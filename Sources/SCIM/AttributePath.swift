/// An attribute path of RFC 7644 §3.10: `[URN ":"] attr ["." subAttr]`.
public struct AttributePath: Sendable, Equatable, CustomStringConvertible {
    /// The schema URN prefix, when one was written.
    public var schema: String?
    /// The attribute name; empty when the path names a whole extension (`urn:…:User`).
    public var attribute: String
    public var subAttribute: String?

    public init(schema: String? = nil, attribute: String, subAttribute: String? = nil) {
        self.schema = schema
        self.attribute = attribute
        self.subAttribute = subAttribute
    }

    public var description: String {
        var s = schema.map { $0 + ":" } ?? ""
        s += attribute
        if let subAttribute { s += "." + subAttribute }
        return s
    }

    /// URNs that may prefix a path; a known one is split off whole, because
    /// URNs contain dots (`2.0`) and colons that are not path separators.
    static let knownURNs = CoreSchemas.all.map(\.id)

    /// Parses `text`, or returns nil when it is not an attribute path.
    public static func parse(_ text: String) -> AttributePath? {
        var schema: String?
        var rest = Substring(text)
        if text.lowercased().hasPrefix("urn:") {
            if let urn = knownURNs.first(where: { text.lowercased().hasPrefix($0.lowercased()) }),
                text.count == urn.count || text[text.index(text.startIndex, offsetBy: urn.count)] == ":"
            {
                schema = urn
                rest = text.dropFirst(urn.count).drop { $0 == ":" }
                if rest.isEmpty { return AttributePath(schema: urn, attribute: "") }
            } else if let colon = text.lastIndex(of: ":") {
                schema = String(text[..<colon])
                rest = text[text.index(after: colon)...]
            }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy(isName) else { return nil }
        return AttributePath(
            schema: schema, attribute: String(parts[0]),
            subAttribute: parts.count == 2 ? String(parts[1]) : nil)
    }

    /// ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; `$ref` too.
    static func isName(_ s: Substring) -> Bool {
        guard let first = s.first else { return false }
        if s == "$ref" { return true }
        return first.isLetter && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
