/// One attribute of a schema, with the characteristics of RFC 7643 §2.2 that
/// drive decoding, filtering (case rules) and PATCH (mutability).
public struct AttributeDefinition: Sendable {
    public enum DataType: String, Sendable {
        case string, boolean, decimal, integer, dateTime, reference, complex, binary
    }
    public enum Mutability: String, Sendable { case readOnly, readWrite, immutable, writeOnly }
    public enum Returned: String, Sendable { case always, never, `default`, request }
    public enum Uniqueness: String, Sendable { case none, server, global }

    public var name: String
    public var type: DataType
    public var multiValued: Bool
    public var description: String
    public var required: Bool
    public var caseExact: Bool
    public var mutability: Mutability
    public var returned: Returned
    public var uniqueness: Uniqueness
    public var canonicalValues: [String]
    public var referenceTypes: [String]
    public var subAttributes: [AttributeDefinition]

    public init(
        _ name: String, _ type: DataType, multiValued: Bool = false, description: String = "",
        required: Bool = false, caseExact: Bool = false, mutability: Mutability = .readWrite,
        returned: Returned = .default, uniqueness: Uniqueness = .none,
        canonicalValues: [String] = [], referenceTypes: [String] = [],
        subAttributes: [AttributeDefinition] = []
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.description = description
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.referenceTypes = referenceTypes
        self.subAttributes = subAttributes
    }

    public func subAttribute(named name: String) -> AttributeDefinition? {
        subAttributes.first { $0.name.equalsIgnoringCase(name) }
    }

    /// The attribute as it appears in a `/Schemas` document.
    public var document: JSONValue {
        var doc: [String: JSONValue] = [
            "name": .string(name),
            "type": .string(type.rawValue),
            "multiValued": .bool(multiValued),
            "description": .string(description),
            "required": .bool(required),
            "mutability": .string(mutability.rawValue),
            "returned": .string(returned.rawValue),
        ]
        if type == .string || type == .reference || type == .binary {
            doc["caseExact"] = .bool(caseExact)
            doc["uniqueness"] = .string(uniqueness.rawValue)
        }
        if !canonicalValues.isEmpty { doc["canonicalValues"] = .array(canonicalValues.map { .string($0) }) }
        if type == .reference { doc["referenceTypes"] = .array(referenceTypes.map { .string($0) }) }
        if !subAttributes.isEmpty { doc["subAttributes"] = .array(subAttributes.map(\.document)) }
        return .object(doc)
    }
}

/// A schema: a URN and its attributes (RFC 7643 §7).
public struct Schema: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var attributes: [AttributeDefinition]

    public func attribute(named name: String) -> AttributeDefinition? {
        attributes.first { $0.name.equalsIgnoringCase(name) }
    }

    public func document(baseURL: String) -> JSONValue {
        [
            "schemas": [.string(SchemaURN.schema)],
            "id": .string(id),
            "name": .string(name),
            "description": .string(description),
            "attributes": .array(attributes.map(\.document)),
            "meta": [
                "resourceType": "Schema",
                "location": .string("\(baseURL)/Schemas/\(id)"),
            ],
        ]
    }
}
