import Foundation
import Testing
import TestSupport

/// `users deactivate|activate --grafana`: the hand action on a real Grafana
/// (a second `scim-console serve` stands in for it) as the SCIM PATCH Okta
/// sends, logged as the console's own; without a token, one sentence and
/// nothing sent.
@Suite("Acting on a real Grafana from the command line", .serialized)
struct ActOnGrafanaTests {
    typealias CLI = CommandLineTests

    @Test func deactivateAndActivateChangeGrafana() throws {
        let grafanaDir = CLI.tempDir(), consoleDir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", grafanaDir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let tokenFile = "\(consoleDir)-token"
        try Data(token.utf8).write(to: URL(fileURLWithPath: tokenFile))
        let (grafana, grafanaURL) = try CLI.serve(["--data-dir", grafanaDir, "--port", "0", "--enable-scim"])
        defer { if grafana.isRunning { grafana.terminate(); grafana.waitUntilExit() } }
        let sim = try CLI.run(["simulate", "--url", grafanaURL, "--token", token, "--users", "3", "--groups", "1", "--rate", "0"])
        #expect(sim.status == 0, "\(sim.stderr)")
        let listed = try CLI.run(["users", "list", "--data-dir", grafanaDir]).stdout
        let rows: [[Substring]] = listed.split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }
        let name: String = try #require(rows.first { $0.count > 4 && $0[4] == "yes" }.map { String($0[1]) })

        let off = try CLI.run(["users", "deactivate", name, "--grafana", grafanaURL, "--token-file", tokenFile, "--data-dir", consoleDir])
        #expect(off.status == 0 && off.stdout.contains("Deactivated \(name) in 127.0.0.1:") && off.stdout.contains("Grafana answered 200"),
                "\(off.stdout)\(off.stderr)")
        #expect(try Self.active(name, grafanaDir) == "no")
        let on = try CLI.run(["users", "activate", name, "--grafana", grafanaURL, "--token-file", tokenFile, "--data-dir", consoleDir])
        #expect(on.status == 0, "\(on.stderr)")
        #expect(try Self.active(name, grafanaDir) == "yes")
        // Both are in the console's log as its own; the mirror of that Grafana followed.
        let log = try CLI.run(["requests", "list", "--data-dir", consoleDir]).stdout
        #expect(log.components(separatedBy: "PATCH").count == 3 && log.contains("scim-console (command line, by hand, on Grafana)"), "\(log)")

        // No token: one sentence, nothing sent.
        let before = try CLI.run(["requests", "list", "--data-dir", grafanaDir, "--limit", "1000"]).stdout
        let refused = try CLI.run(["users", "deactivate", name, "--grafana", grafanaURL, "--data-dir", consoleDir])
        #expect(refused.status == 1 && refused.stderr.contains("needs its SCIM token: give --token-file FILE or set GRAFANA_TOKEN"),
                "\(refused.stderr)")
        #expect(try CLI.run(["requests", "list", "--data-dir", grafanaDir, "--limit", "1000"]).stdout == before)
        // A name Grafana does not have.
        let unknown = try CLI.run(["users", "activate", "nobody@example.com", "--grafana", grafanaURL, "--token-file", tokenFile,
                                   "--data-dir", consoleDir])
        #expect(unknown.status == 1 && unknown.stderr.contains("has no user named nobody@example.com"), "\(unknown.stderr)")
        // The token is in no file of the console's data dir.
        for file in FileManager.default.enumerator(atPath: consoleDir)?.compactMap({ $0 as? String }) ?? [] {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: "\(consoleDir)/\(file)"))) ?? Data()
            #expect(data.range(of: Data(token.utf8)) == nil, "the token is in \(file)")
        }
    }

    /// The ACTIVE column Grafana's `users list` gives `name`.
    static func active(_ name: String, _ dir: String) throws -> String? {
        let listed = try CLI.run(["users", "list", "--data-dir", dir]).stdout
        let rows: [[Substring]] = listed.split(separator: "\n").map { $0.split(separator: "\t") }
        let row = rows.first { $0.count > 4 && $0[1] == name }
        return row.map { String($0[4]) }
    }
}
