import Foundation
import Testing

/// `scim-console setup` without a terminal, against another scim-console
/// process standing in for a self-hosted Grafana (`serve`), over real HTTP.
@Suite("setup command", .serialized)
struct SetupCommandTests {
    typealias CLI = CommandLineTests

    @Test func walksTheGuideAgainstASelfHostedGrafana() throws {
        let grafanaDir = CLI.tempDir()
        let (grafana, url) = try CLI.serve(["--data-dir", grafanaDir, "--port", "0"])
        defer { grafana.terminate(); grafana.waitUntilExit() }
        let grafanaURL = "http://127.0.0.1:\(URL(string: url)!.port!)"
        let consoleDir = CLI.tempDir()
        let tokenFile = consoleDir + "/okta.token"
        let arguments = ["setup", "--data-dir", consoleDir, "--grafana-url", grafanaURL,
                         "--grafana-password-file", "\(grafanaDir)/admin-password", "--ini", "\(grafanaDir)/grafana.ini",
                         "--grafana-host", "https://grafana.example.com/login", "--org", "1", "--yes"]
        let run = try CLI.run(arguments + ["--token-file", tokenFile])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("✓ Grafana answered at \(grafanaURL): version 0.1.0"))
        #expect(run.stdout.contains("+ enableSCIM = true"))
        #expect(run.stdout.contains("✓ Wrote \(grafanaDir)/grafana.ini"))
        #expect(run.stdout.contains("GF_FEATURE_TOGGLES_ENABLE=enableSCIM"))
        #expect(run.stdout.contains("✓ enableSCIM is live"), "the stand-in reads its ini without a restart")
        #expect(run.stdout.contains("Created the service account \"okta-scim\""))
        #expect(run.stdout.contains("Connector URL: https://grafana.example.com/apis/scim.grafana.app/v0alpha1/namespaces/default"))
        #expect(run.stdout.contains("✓ A wrong token is refused"))
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("glsa_"))
        #expect(!run.stdout.contains(token), "with --token-file the token is not printed")
        #expect(try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int == 0o600)
        let backups = try FileManager.default.contentsOfDirectory(atPath: grafanaDir).filter { $0.hasSuffix(".bak") }
        #expect(backups.isEmpty, "there was no ini before, so no backup")

        // Again: the account is reused, the taken token name gets the next free one.
        let again = try CLI.run(arguments)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("Reusing the existing service account \"okta-scim\""))
        #expect(again.stdout.contains("\(grafanaDir)/grafana.ini already has everything; nothing written"))
        #expect(again.stdout.contains("Using \"okta-scim-2\" instead."))
        #expect(again.stdout.contains("Token (shown once; paste it into Okta): glsa_"))
    }

    @Test func failuresAreSentencesAndNonZero() throws {
        let grafanaDir = CLI.tempDir()
        let (grafana, url) = try CLI.serve(["--data-dir", grafanaDir, "--port", "0"])
        defer { grafana.terminate(); grafana.waitUntilExit() }
        let grafanaURL = "http://127.0.0.1:\(URL(string: url)!.port!)"
        let wrong = CLI.tempDir() + "/password"
        try Data("not-the-password\n".utf8).write(to: URL(fileURLWithPath: wrong))
        let unauthorized = try CLI.run(["setup", "--data-dir", CLI.tempDir(), "--grafana-url", grafanaURL,
                                        "--grafana-password-file", wrong, "--yes"])
        #expect(unauthorized.status == 1)
        #expect(unauthorized.stdout.contains("✗ Grafana refused the credentials (401"))
        #expect(unauthorized.stderr.contains("Step 1 (Where Grafana is) failed"))

        let noYes = try CLI.run(["setup", "--data-dir", CLI.tempDir()])
        #expect(noYes.status == 1)
        #expect(noYes.stderr.contains("Run with --yes"))

        let badStack = try CLI.run(["setup", "--data-dir", CLI.tempDir(), "--stack-id", "12a", "--yes"])
        #expect(badStack.status == 1)
        #expect(badStack.stderr.contains("\"12a\" is not a stack id"))

        let noSecret = try CLI.run(["setup", "--data-dir", CLI.tempDir(), "--grafana-url", grafanaURL, "--yes"])
        #expect(noSecret.status == 1)
        #expect(noSecret.stderr.contains("--grafana-password-file"))
    }
}
