/// The schemas this endpoint serves: RFC 7643 §4 User, Group and the
/// enterprise extension, as Grafana uses them (unused attributes are kept,
/// never rejected, so the full RFC set is published).
public enum CoreSchemas {
    typealias A = AttributeDefinition

    static func multi(
        _ name: String, _ description: String, valueType: A.DataType = .string,
        referenceTypes: [String] = [], types: [String] = ["work", "home", "other"]
    ) -> A {
        A(name, .complex, multiValued: true, description: description, subAttributes: [
            A("value", valueType, description: "The value of the \(name) entry.", referenceTypes: referenceTypes),
            A("display", .string, description: "A human-readable name, for display only."),
            A("type", .string, description: "A label for the entry's function.", canonicalValues: types),
            A("primary", .boolean, description: "Whether this is the primary entry."),
        ])
    }

    public static let user = Schema(
        id: SchemaURN.user, name: "User", description: "User Account",
        attributes: [
            A("userName", .string, description: "Unique identifier for the user; Grafana's login.",
              required: true, uniqueness: .server),
            A("name", .complex, description: "The components of the user's name.", subAttributes: [
                A("formatted", .string, description: "The full name, formatted for display."),
                A("familyName", .string, description: "The family name."),
                A("givenName", .string, description: "The given name."),
                A("middleName", .string, description: "The middle name(s)."),
                A("honorificPrefix", .string, description: "The honorific prefix(es)."),
                A("honorificSuffix", .string, description: "The honorific suffix(es)."),
            ]),
            A("displayName", .string, description: "The name displayed to end users; Grafana's name."),
            A("nickName", .string, description: "The casual way to address the user."),
            A("profileUrl", .reference, description: "A URI of the user's online profile.", referenceTypes: ["external"]),
            A("title", .string, description: "The user's title."),
            A("userType", .string, description: "The relationship between organization and user."),
            A("preferredLanguage", .string, description: "The user's preferred written or spoken language."),
            A("locale", .string, description: "The user's default location."),
            A("timezone", .string, description: "The user's time zone."),
            A("active", .boolean, description: "The user's administrative status; false disables the Grafana user."),
            A("password", .string, description: "Accepted and dropped: never stored or returned.",
              mutability: .writeOnly, returned: .never),
            multi("emails", "Email addresses; the work email becomes Grafana's email."),
            multi("phoneNumbers", "Phone numbers.", types: ["work", "home", "mobile", "fax", "pager", "other"]),
            multi("ims", "Instant messaging addresses.",
                  types: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
            multi("photos", "URLs of photos of the user.", valueType: .reference,
                  referenceTypes: ["external"], types: ["photo", "thumbnail"]),
            A("addresses", .complex, multiValued: true, description: "Physical mailing addresses.", subAttributes: [
                A("formatted", .string, description: "The full mailing address."),
                A("streetAddress", .string, description: "The street address."),
                A("locality", .string, description: "The city or locality."),
                A("region", .string, description: "The state or region."),
                A("postalCode", .string, description: "The zip or postal code."),
                A("country", .string, description: "The country name."),
                A("type", .string, description: "A label for the address.", canonicalValues: ["work", "home", "other"]),
                A("primary", .boolean, description: "Whether this is the primary address."),
            ]),
            A("groups", .complex, multiValued: true, description: "The teams the user belongs to.",
              mutability: .readOnly, subAttributes: [
                A("value", .string, description: "The group's id.", mutability: .readOnly),
                A("$ref", .reference, description: "The group's URI.", mutability: .readOnly, referenceTypes: ["Group"]),
                A("display", .string, description: "The group's display name.", mutability: .readOnly),
                A("type", .string, description: "direct or indirect.", mutability: .readOnly,
                  canonicalValues: ["direct", "indirect"]),
            ]),
            multi("entitlements", "Entitlements of the user.", types: []),
            multi("roles", "Roles of the user.", types: []),
            multi("x509Certificates", "X.509 certificates of the user.", valueType: .binary, types: []),
        ])

    public static let enterpriseUser = Schema(
        id: SchemaURN.enterpriseUser, name: "EnterpriseUser", description: "Enterprise User",
        attributes: [
            A("employeeNumber", .string, description: "The employee number."),
            A("costCenter", .string, description: "The cost center."),
            A("organization", .string, description: "The organization."),
            A("division", .string, description: "The division."),
            A("department", .string, description: "The department."),
            A("manager", .complex, description: "The user's manager.", subAttributes: [
                A("value", .string, description: "The manager's id."),
                A("$ref", .reference, description: "The manager's URI.", referenceTypes: ["User"]),
                A("displayName", .string, description: "The manager's name.", mutability: .readOnly),
            ]),
        ])

    public static let group = Schema(
        id: SchemaURN.group, name: "Group", description: "Group, provisioned as a Grafana team",
        attributes: [
            A("displayName", .string, description: "The team name.", required: true),
            A("members", .complex, multiValued: true, description: "The team's members (users only).",
              subAttributes: [
                A("value", .string, description: "The member's user id.", mutability: .immutable),
                A("$ref", .reference, description: "The member's URI.", mutability: .immutable,
                  referenceTypes: ["User"]),
                A("display", .string, description: "A name for the member, as the client sent it (Okta: the userName)."),
                A("type", .string, description: "The member's type; only User is supported.",
                  mutability: .immutable, canonicalValues: ["User"]),
            ]),
        ])

    /// Every schema served under `/Schemas`.
    public static let all: [Schema] = [user, enterpriseUser, group]

    public static func schema(id: String) -> Schema? {
        all.first { $0.id.equalsIgnoringCase(id) }
    }
}
