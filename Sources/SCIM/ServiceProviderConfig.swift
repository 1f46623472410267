/// The `/ServiceProviderConfig` document (RFC 7643 §5), saying truthfully
/// what this endpoint does: PATCH, filters, sorting; no bulk, no password
/// change, no ETags (versions are reported in `meta` but `If-Match` is not enforced).
public enum ServiceProviderConfig {
    public static func document(baseURL: String) -> JSONValue {
        [
            "schemas": [.string(SchemaURN.serviceProviderConfig)],
            "documentationUri": "https://grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-scim-provisioning/",
            "patch": ["supported": true],
            "bulk": ["supported": false, "maxOperations": 0, "maxPayloadSize": 0],
            "filter": ["supported": true, "maxResults": .number(Double(ListQuery.maxCount))],
            "changePassword": ["supported": false],
            "sort": ["supported": true],
            "etag": ["supported": false],
            "authenticationSchemes": [
                [
                    "type": "oauthbearertoken",
                    "name": "Grafana service account token",
                    "description": "Authorization: Bearer glsa_… (a Grafana service account token).",
                    "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
                    "primary": true,
                ]
            ],
            "meta": [
                "resourceType": "ServiceProviderConfig",
                "location": .string("\(baseURL)/ServiceProviderConfig"),
            ],
        ]
    }
}
