import Directory
import Endpoint
import Foundation
import GrafanaConfig

/// A data directory for a test, in a scratch folder: a Directory on a real
/// SQLite file, the embedded endpoint's configuration for it, and the
/// `enableSCIM` toggle on unless asked otherwise. The one fixture the test
/// targets share for a data dir; an endpoint is made from it with `endpoint()`.
public struct ScratchDataDirectory: Sendable {
    public let folder: String
    public let directory: Directory
    public let configuration: EndpointConfiguration

    public static func make(_ prefix: String = "data", namespace: GrafanaNamespace = .org(1), enableSCIM: Bool = true,
                            requestLogCapacity: Int = 10_000,
                            requestLogBacklogBytes: Int = RequestLog.defaultBacklogBytes) throws -> ScratchDataDirectory {
        let folder = ScratchFolder.make(prefix)
        let directory = try Directory(path: "\(folder)/\(Directory.fileName)", requestLogCapacity: requestLogCapacity,
                                      requestLogBacklogBytes: requestLogBacklogBytes)
        let configuration = EndpointConfiguration(namespace: namespace, dataDirectory: folder)
        if enableSCIM {
            var ini = IniFile(text: "")
            ini.enableToggle(FeatureToggleFile.scimToggle)
            try FeatureToggleFile(path: configuration.iniPath).write(ini)
        }
        return ScratchDataDirectory(folder: folder, directory: directory, configuration: configuration)
    }

    /// A token of the Admin service account `okta-scim` (made if missing), as Okta is given.
    public func adminToken(named name: String = "okta") throws -> String {
        let account = try directory.serviceAccounts().accounts.first { $0.name == "okta-scim" }
            ?? directory.createServiceAccount(name: "okta-scim", role: "Admin")
        return try directory.createToken(serviceAccountID: account.id, name: name).key
    }

    /// The embedded endpoint over this data dir.
    public func endpoint() throws -> Endpoint {
        try Endpoint(directory: directory, configuration: configuration)
    }
}

/// A Directory on a real SQLite file in a fresh scratch folder.
public func makeDirectory(requestLogCapacity: Int = 10_000,
                          requestLogBacklogBytes: Int = RequestLog.defaultBacklogBytes) throws -> Directory {
    try ScratchDataDirectory.make("directory", enableSCIM: false, requestLogCapacity: requestLogCapacity,
                                  requestLogBacklogBytes: requestLogBacklogBytes).directory
}
