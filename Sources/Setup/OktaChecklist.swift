/// Step 5 of the guide: exactly what to enter in Okta's app settings.
public enum OktaChecklist {
    public struct Item: Sendable, Equatable {
        public var setting: String
        public var value: String
        /// Worth copying (the URL, the token).
        public var copyable: Bool
    }

    public static func items(connectorURL: String, tokenHint: String) -> [Item] {
        [
            Item(setting: "General › Provisioning", value: "SCIM", copyable: false),
            Item(setting: "SCIM connector base URL", value: connectorURL, copyable: true),
            Item(setting: "Unique identifier field for users", value: "userName", copyable: true),
            Item(setting: "Supported provisioning actions",
                 value: "Import New Users and Profile Updates; Push New Users; Push Profile Updates", copyable: false),
            Item(setting: "Authentication Mode", value: "HTTP Header", copyable: false),
            Item(setting: "HTTP Header › Authorization (Bearer)", value: tokenHint, copyable: false),
            Item(setting: "Provisioning › To App", value: "Enable Create Users, Update User Attributes, Deactivate Users",
                 copyable: false),
            Item(setting: "SAML attribute statement",
                 value: "userUID = user.getInternalProperty(\"id\") — it must equal the SCIM externalId, or sign-in says \"User sync failed\"",
                 copyable: false),
        ]
    }
}
