import ArgumentParser
import Directory
import Foundation
import GrafanaMirror
import Setup

/// `users deactivate|activate --grafana URL`: the same hand action on a real
/// Grafana, as the SCIM PATCH Okta sends, with the token from `--token-file`
/// or `GRAFANA_TOKEN`. The exchange is logged in the data directory's request
/// log as the console's own, and that Grafana's mirror follows the answer.
struct ActOnGrafanaOptions: ParsableArguments {
    @Option(help: "Act on this Grafana instead of the embedded endpoint: its connector URL (https://HOST/apis/scim.grafana.app/v0alpha1/namespaces/NS).")
    var grafana: String?

    @Option(help: "File holding the SCIM token to act with (else GRAFANA_TOKEN).")
    var tokenFile: String?

    @Flag(help: "Do not verify that Grafana's TLS certificate is trusted (a self-signed test instance).")
    var insecureSkipTLSVerify = false

    func target() throws -> ConnectorURL? {
        guard let grafana else {
            if tokenFile != nil || insecureSkipTLSVerify { throw Failure("--token-file and --insecure-skip-tls-verify go with --grafana.") }
            return nil
        }
        switch ConnectorURL.parse(grafana) {
        case .success(let target): return target
        case .failure(let error): throw Failure("--grafana: \(error.description)")
        }
    }

    func setActive(_ active: Bool, name: String, on target: ConnectorURL, dataDirectory: DataDirectoryOption) async throws {
        guard let token = try MirrorOptions.token(file: tokenFile, savedFile: nil) else {
            throw Failure("Acting on Grafana at \(target.host) needs its SCIM token: give --token-file FILE or set GRAFANA_TOKEN.")
        }
        let directory = try dataDirectory.openDirectory()
        defer { try? directory.close() }
        let mirror = try MirrorOptions.mirror(of: target, dataDirectory: dataDirectory.resolved, log: directory.requestLog,
                                              token: token, verifyTLS: !insecureSkipTLSVerify)
        defer { try? mirror.store.close() }
        let found = await mirror.lookUp(user: name)
        await directory.requestLog.flush()
        let user: Mirror.FoundUser
        switch found {
        case .failure(let failure):
            await mirror.shutdown()
            throw Failure(failure.description)
        case .success(nil):
            await mirror.shutdown()
            throw Failure("Grafana at \(target.host) has no user named \(name): give its userName or id.")
        case .success(let one?):
            user = one
        }
        if user.active == active {
            await mirror.shutdown()
            print("\(user.userName) is already \(active ? "active" : "inactive") in \(mirror.name).")
            return
        }
        let outcome = await mirror.setActive(active, userID: user.id, userName: user.userName, origin: "command line")
        await mirror.shutdown()
        await directory.requestLog.flush()
        guard outcome.succeeded else { throw Failure(outcome.sentence) }
        print(outcome.sentence + " Okta may set it back on its next push.")
    }
}
