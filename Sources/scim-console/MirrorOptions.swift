import ArgumentParser
import Directory
import Foundation
import GrafanaMirror
import Setup

/// `--grafana`, `--token-file` and `--mirror-interval`: the console mirrors
/// a real Grafana's users and teams, the one it relays to or, with
/// `--grafana`, one Okta talks to directly.
struct MirrorOptions: ParsableArguments {
    @Option(help: "Watch this Grafana without relaying (its connector URL): Okta talks to it directly, and the pane mirrors its users and teams.")
    var grafana: String?

    @Option(help: "File holding the SCIM token the mirror reads and acts with (else GRAFANA_TOKEN, else the file the setup wizard saved it to). It is never stored anywhere else.")
    var tokenFile: String?

    @Option(help: "Seconds between whole re-reads of the mirrored Grafana's users and teams (R re-reads at once).")
    var mirrorInterval: Double = 60

    /// The Grafana `--grafana` names, or nil; a bad URL is one sentence.
    func watched(relaying: Bool) throws -> ConnectorURL? {
        guard mirrorInterval >= 1, mirrorInterval <= 86_400 else {
            throw Failure("--mirror-interval must be between 1 and 86400 seconds.")
        }
        guard let grafana else { return nil }
        if relaying { throw Failure("Give --relay-to or --grafana, not both: --grafana watches a Grafana Okta talks to directly.") }
        switch ConnectorURL.parse(grafana) {
        case .success(let target): return target
        case .failure(let error): throw Failure("--grafana: \(error.description)")
        }
    }

    /// The token: `tokenFile`, else `GRAFANA_TOKEN`, else the file the
    /// wizard saved (`savedFile`, when it is still there); nil when none is given.
    static func token(file tokenFile: String?, savedFile: String?) throws -> String? {
        if let tokenFile { return try Self.read(tokenFile) }
        if let env = ProcessInfo.processInfo.environment["GRAFANA_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines),
           !env.isEmpty { return env }
        if let savedFile, !savedFile.isEmpty, FileManager.default.fileExists(atPath: savedFile) {
            return try? Self.read(savedFile)
        }
        return nil
    }

    static func read(_ path: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Failure("Cannot read the token file \(path): \(Failure.reason(error)).")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
            throw Failure("The token file \(path) holds no token: it should hold the service account token alone.")
        }
        return token
    }

    /// A mirror of `target` in its own data set inside `dataDirectory`, logging the console's own requests to `log`.
    static func mirror(of target: ConnectorURL, dataDirectory: String, log: RequestLog, token: String?, verifyTLS: Bool,
                       interval: Double = 60) throws -> Mirror {
        let path = Mirror.storePath(dataDirectory: dataDirectory, target: target)
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure("Cannot create the mirror's folder \(folder): \(Failure.reason(error)).")
        }
        let store: Directory
        do { store = try Directory(path: path) } catch {
            throw Failure("Cannot open the mirror's database in \(folder): \(StorageErrorText.sentence(error))")
        }
        return Mirror(target: target, store: store, log: log, token: token,
                      interval: .milliseconds(Int64(interval * 1000)), verifyTLS: verifyTLS)
    }
}
