/// A resource type this endpoint serves (RFC 7643 §6): its core schema and extensions.
public struct ResourceType: Sendable {
    public var name: String
    public var endpoint: String
    public var description: String
    public var schema: Schema
    public var extensions: [Schema]

    public static let user = ResourceType(
        name: "User", endpoint: "/Users", description: "User Account",
        schema: CoreSchemas.user, extensions: [CoreSchemas.enterpriseUser])
    public static let group = ResourceType(
        name: "Group", endpoint: "/Groups", description: "Group, provisioned as a Grafana team",
        schema: CoreSchemas.group, extensions: [])

    public static let all: [ResourceType] = [user, group]

    public static func named(_ name: String) -> ResourceType? {
        all.first { $0.name.equalsIgnoringCase(name) }
    }

    /// The schema a URN names, if it is this type's core schema or one of its extensions.
    public func schema(urn: String) -> Schema? {
        ([schema] + extensions).first { $0.id.equalsIgnoringCase(urn) }
    }

    public func extensionSchema(urn: String) -> Schema? {
        extensions.first { $0.id.equalsIgnoringCase(urn) }
    }

    public func document(baseURL: String) -> JSONValue {
        [
            "schemas": [.string(SchemaURN.resourceType)],
            "id": .string(name),
            "name": .string(name),
            "endpoint": .string(endpoint),
            "description": .string(description),
            "schema": .string(schema.id),
            "schemaExtensions": .array(extensions.map { ["schema": .string($0.id), "required": false] }),
            "meta": [
                "resourceType": "ResourceType",
                "location": .string("\(baseURL)/ResourceTypes/\(name)"),
            ],
        ]
    }
}
