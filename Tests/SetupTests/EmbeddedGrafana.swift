import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Hummingbird
import Logging
import Setup
import TestSupport

/// The embedded endpoint on a free port over a real SQLite file in a fresh
/// data dir: what the Setup client talks to in these tests, over real HTTP.
struct EmbeddedGrafana {
    let endpoint: Endpoint
    let baseURL: String

    var directory: Directory { endpoint.directory }
    var iniPath: String { endpoint.configuration.iniPath }

    var adminPassword: String {
        (try? AdminCredentials.password(at: endpoint.configuration.adminPasswordPath)) ?? ""
    }

    func client(password: String? = nil, token: String? = nil) -> GrafanaClient {
        let credentials: GrafanaTarget.Credentials = token.map { .token($0) }
            ?? .basic(user: "admin", password: password ?? adminPassword)
        return GrafanaClient(target: GrafanaTarget(kind: .embedded, baseURL: baseURL, credentials: credentials))
    }

    static func with<T: Sendable>(namespace: GrafanaNamespace = .org(1), enableSCIM: Bool = true,
                                  _ body: @Sendable (EmbeddedGrafana) async throws -> T) async throws -> T {
        try await ScratchDataDirectory.make("scim-setup", namespace: namespace, enableSCIM: enableSCIM).serving { served in
            try await body(EmbeddedGrafana(endpoint: served.endpoint, baseURL: served.baseURL))
        }
    }
}

/// Runs `body` with a client and shuts the client down afterwards, whatever happens.
func using<T: Sendable>(_ client: GrafanaClient, _ body: (GrafanaClient) async throws -> T) async throws -> T {
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}
