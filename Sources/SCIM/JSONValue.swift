import Foundation

/// A JSON value as SCIM sees it: resources are open-ended documents, so the
/// protocol layer works on this tree rather than on fixed structs.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// RFC 7643 §2.5: null, an empty array and an empty object all mean "unassigned".
    public var isUnassigned: Bool {
        switch self {
        case .null: return true
        case .array(let a): return a.isEmpty
        case .object(let o): return o.values.allSatisfy(\.isUnassigned)
        default: return false
        }
    }

    /// Member lookup that ignores case, as SCIM attribute names do (RFC 7643 §2.1).
    public subscript(attribute name: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o.value(forAttribute: name)
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The key of this object that names `attribute`, ignoring case.
    public func key(forAttribute attribute: String) -> String? {
        if self[attribute] != nil { return attribute }
        return keys.first { $0.equalsIgnoringCase(attribute) }
    }

    public func value(forAttribute attribute: String) -> JSONValue? {
        if let v = self[attribute] { return v }
        guard let k = key(forAttribute: attribute) else { return nil }
        return self[k]
    }

    /// Removes every key that names `attribute` in any case.
    public mutating func removeAttribute(_ attribute: String) {
        for k in keys where k.equalsIgnoringCase(attribute) {
            removeValue(forKey: k)
        }
    }

    /// Sets `attribute`, replacing any differently-cased spelling of it.
    public mutating func setAttribute(_ attribute: String, _ value: JSONValue) {
        removeAttribute(attribute)
        self[attribute] = value
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
