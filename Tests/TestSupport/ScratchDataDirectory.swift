import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Logging

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
        try make(in: ScratchFolder.make(prefix), namespace: namespace, enableSCIM: enableSCIM,
                 requestLogCapacity: requestLogCapacity, requestLogBacklogBytes: requestLogBacklogBytes)
    }

    /// A data directory in `folder` (created if missing): for a test that chose where it lives (a small tmpfs).
    public static func make(in folder: String, namespace: GrafanaNamespace = .org(1), enableSCIM: Bool = true,
                            requestLogCapacity: Int = 10_000,
                            requestLogBacklogBytes: Int = RequestLog.defaultBacklogBytes) throws -> ScratchDataDirectory {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
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

/// The endpoint over a scratch data dir, serving on a free port of 127.0.0.1.
public struct ServedEndpoint: Sendable {
    public let endpoint: Endpoint
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var directory: Directory { endpoint.directory }
}

extension ScratchDataDirectory {
    /// Runs `body` while the endpoint over this data dir serves real HTTP on a
    /// free port, then stops it, whatever `body` does: the one way the test
    /// targets serve an endpoint to a client of their own.
    public func serving<T: Sendable>(_ body: @Sendable (ServedEndpoint) async throws -> T) async throws -> T {
        let endpoint = try endpoint()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let running = try await RunningEndpoint.start(endpoint, host: "127.0.0.1", port: 0, logger: logger)
        do {
            let result = try await body(ServedEndpoint(endpoint: endpoint, port: running.port))
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }
}
