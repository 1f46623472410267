import Foundation

/// Reads and writes `JSONValue` documents.
///
/// Writing is done by hand rather than through `JSONEncoder` for two reasons:
/// SCIM documents read best with `schemas`, `id` and `meta` in familiar places
/// (the order below), and the endpoint writes one on every response.
public enum JSONCoding {
    /// Parses a request body. Throws `SCIMError.invalidSyntax` with a sentence on bad JSON.
    public static func parse(_ bytes: some Collection<UInt8>) throws(SCIMError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw SCIMError.invalidSyntax("The request body is not valid JSON: \(describe(error)).")
        }
    }

    public static func parse(_ text: String) throws(SCIMError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError as NSError?,
                let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String
            {
                return detail
            }
            return context.debugDescription
        }
        return "it could not be read"
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
        var out = ""
        out.reserveCapacity(512)
        write(value, into: &out, pretty: pretty, indent: 0)
        return out
    }

    public static func data(_ value: JSONValue) -> [UInt8] {
        Array(serialize(value).utf8)
    }

    static func orderedKeys(_ object: [String: JSONValue]) -> [String] {
        object.keys.sorted { a, b in
            let ra = keyRank[a] ?? (a.hasPrefix("urn:") ? 999 : 500)
            let rb = keyRank[b] ?? (b.hasPrefix("urn:") ? 999 : 500)
            return ra != rb ? ra < rb : a < b
        }
    }

    private static func write(_ value: JSONValue, into out: inout String, pretty: Bool, indent: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): writeNumber(n, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                write(item, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out += "]"
        case .object(let object):
            if object.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in orderedKeys(object).enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                writeString(key, into: &out)
                out += pretty ? ": " : ":"
                write(object[key]!, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int) {
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    private static func writeNumber(_ n: Double, into out: inout String) {
        if n.isNaN || n.isInfinite {
            out += "null"
        } else if n == n.rounded(), abs(n) < 9_007_199_254_740_992 {
            out += String(Int64(n))
        } else {
            out += "\(n)"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += "\\u" + String(format: "%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
