/// The attributes every resource has (RFC 7643 §3.1), outside any schema's list.
public enum CommonAttributes {
    typealias A = AttributeDefinition

    public static let id: AttributeDefinition = A("id", .string, description: "The service provider's identifier for the resource.",
                             caseExact: true, mutability: .readOnly, returned: .always, uniqueness: .server)
    public static let externalId: AttributeDefinition = A("externalId", .string, description: "The client's identifier for the resource.",
                                     caseExact: true)
    public static let meta: AttributeDefinition = A("meta", .complex, description: "Resource metadata.", mutability: .readOnly,
                               subAttributes: [
        A("resourceType", .string, caseExact: true, mutability: .readOnly),
        A("created", .dateTime, mutability: .readOnly),
        A("lastModified", .dateTime, mutability: .readOnly),
        A("location", .reference, caseExact: true, mutability: .readOnly, referenceTypes: ["uri"]),
        A("version", .string, caseExact: true, mutability: .readOnly),
    ])

    public static let all: [AttributeDefinition] = [id, externalId, meta]

    public static func named(_ name: String) -> AttributeDefinition? {
        all.first { $0.name.equalsIgnoringCase(name) }
    }
}

extension ResourceType {
    /// Finds the definition a path names: a common attribute, a core attribute,
    /// or (with a URN, or failing the core schema) an extension attribute.
    public func definition(of path: AttributePath) -> AttributeDefinition? {
        let top: AttributeDefinition?
        if let urn = path.schema {
            top = self.schema(urn: urn)?.attribute(named: path.attribute)
        } else {
            top = CommonAttributes.named(path.attribute) ?? schema.attribute(named: path.attribute)
                ?? extensions.lazy.compactMap { $0.attribute(named: path.attribute) }.first
        }
        guard let sub = path.subAttribute else { return top }
        return top?.subAttribute(named: sub)
    }
}
