import ArgumentParser
import Directory
import Endpoint
import Foundation
import GrafanaConfig

/// `scim-console doctor`: every file of a data directory checked, read-only.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every file of the data directory: the database, the request log and its body files, the credentials stamp, grafana.ini and the files' modes.",
        discussion: "Read-only. Says what is wrong in plain words; exits 0 only when all is well.")

    @OptionGroup var dataDirectory: DataDirectoryOption

    func run() async throws {
        try await reportingFailures {
            let dir = dataDirectory.resolved
            let database = try dataDirectory.existingDatabase()
            let configuration = EndpointConfiguration(namespace: .org(1), dataDirectory: dir)
            let findings = DataDirectoryCheck.run(databaseAt: database).map { ($0.ok, $0.text) }
                + [Self.ini(configuration.iniPath)] + Self.modes(dir: dir, adminPassword: configuration.adminPasswordPath)
            for (ok, text) in findings { print("\(ok ? "✓" : "✗") \(text)") }
            let problems = findings.filter { !$0.0 }.count
            if problems > 0 {
                print("\(problems) problem\(problems == 1 ? "" : "s") in \(dir).")
                throw ExitCode(1)
            }
            print("All is well in \(dir).")
        }
    }

    static func ini(_ path: String) -> (Bool, String) {
        guard FileManager.default.fileExists(atPath: path) else {
            return (true, "There is no grafana.ini: the enableSCIM toggle is off until the wizard or --enable-scim writes it.")
        }
        do {
            let file = FeatureToggleFile(path: path)
            _ = try file.read()
            return (true, "grafana.ini reads; the enableSCIM toggle is \(file.isSCIMOn ? "on" : "off").")
        } catch {
            return (false, "grafana.ini cannot be read: \(Failure.reason(error)).")
        }
    }

    /// Secrets readable by their owner only, and the data directory not open to others.
    static func modes(dir: String, adminPassword: String) -> [(Bool, String)] {
        var findings: [(Bool, String)] = []
        var st = stat()
        if stat(adminPassword, &st) == 0 {
            findings.append(st.st_mode & 0o077 == 0
                ? (true, "The admin password file is readable by its owner only.")
                : (false, "The admin password file can be read by others: chmod 600 \(adminPassword)."))
        }
        if stat(dir, &st) == 0, st.st_mode & 0o022 != 0 {
            findings.append((false, "Others can write in the data directory: chmod 700 \(dir)."))
        }
        return findings
    }
}
