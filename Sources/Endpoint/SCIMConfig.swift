import GrafanaConfig
import SCIM

/// Grafana's `SCIMConfig` object (`scim.grafana.app/v0alpha1`): the sync
/// switches, which override `[auth.scim]` in the ini file when set.
struct SCIMConfig: Sendable, Equatable {
    static let settingKey = "scim.config"

    var enableUserSync: Bool
    var enableGroupSync: Bool
    var rejectNonProvisionedUsers: Bool

    init(ini: IniFile) {
        func flag(_ key: String) -> Bool {
            ini.value(section: "auth.scim", key: key).map { ["true", "1", "t"].contains($0.lowercased()) } ?? false
        }
        enableUserSync = flag("user_sync_enabled")
        enableGroupSync = flag("group_sync_enabled")
        rejectNonProvisionedUsers = flag("reject_non_provisioned_users")
    }

    init(json: JSONValue) throws {
        guard case .object(let spec)? = json[attribute: "spec"] else {
            throw SCIMError.invalidSyntax("A SCIMConfig needs a \"spec\" object.")
        }
        func flag(_ key: String) throws -> Bool {
            guard let v = spec.value(forAttribute: key) else { return false }
            guard case .bool(let b) = v else { throw SCIMError.invalidValue("spec.\(key) must be true or false.") }
            return b
        }
        enableUserSync = try flag("enableUserSync")
        enableGroupSync = try flag("enableGroupSync")
        rejectNonProvisionedUsers = try flag("rejectNonProvisionedUsers")
    }

    var specDocument: JSONValue {
        ["enableUserSync": .bool(enableUserSync), "enableGroupSync": .bool(enableGroupSync),
         "rejectNonProvisionedUsers": .bool(rejectNonProvisionedUsers)]
    }

    func document(namespace: String) -> JSONValue {
        ["apiVersion": "scim.grafana.app/v0alpha1", "kind": "SCIMConfig",
         "metadata": ["name": "default", "namespace": .string(namespace)], "spec": specDocument]
    }
}
