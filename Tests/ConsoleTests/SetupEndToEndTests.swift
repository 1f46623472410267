import Foundation
import Testing
import TmuxTesting
import TestSupport

/// The setup wizard for real: the binary in tmux on a fresh data dir, every
/// step against its embedded endpoint, a validation error, a back-step, a
/// quit and resume, ending in the live pane. And the same guide headless.
@Suite("Setup end to end (tmux)", .serialized)
struct SetupEndToEndTests {
    static let binary = TmuxSession.builtExecutable("scim-console")

    @Test func wizardFromAFreshDataDirToTheLivePane() throws {
        let dir = ScratchFolder.path("setup-e2e")
        var tmux = try TmuxSession([Self.binary, "--data-dir", dir, "--port", "0"], width: 100, height: 30)
        defer { tmux.close() }
        try tmux.waitFor("Step 1 of 6")
        try tmux.press("Enter")
        try tmux.waitFor("The embedded endpoint answered")
        try tmux.press("Enter")
        try tmux.waitFor("enableSCIM is not set in this file")
        try tmux.press("Enter")
        try tmux.waitFor("+ enableSCIM = true")
        try tmux.press("Enter")
        try tmux.waitFor("enableSCIM is live")
        try tmux.press("Enter")

        // Step 3, with a validation error first.
        try tmux.waitFor("Service account name")
        try tmux.press("C-u")
        try tmux.waitFor("✗ Give the service account a name")
        try tmux.press("Tab", "Tab", "Enter")
        try tmux.waitFor("Fix the fields marked ✗ first")
        try tmux.type("okta-scim")
        try tmux.waitForAbsence("✗ Give the service account a name")
        try tmux.press("Enter", "Enter", "Enter")
        try tmux.waitFor("Review: nothing has been changed yet")
        try tmux.press("Enter")
        try tmux.waitFor("Created the token")
        try tmux.press("s")
        try tmux.waitFor("Save the token")
        try tmux.press("Enter")
        try tmux.waitFor("Saved the token")
        let tokenFile = "\(dir)/okta-scim.token"
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("glsa_"))
        #expect(try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int == 0o600)
        #expect(!tmux.screen().contains(token), "the token stays masked until revealed")
        try tmux.press("Enter")

        // Step 4, a back-step to step 3's result and forward again, then the stack id.
        try tmux.waitFor("Step 4 of 6: The connector URL")
        try tmux.press("Escape")
        try tmux.waitFor("Created the service account")
        try tmux.press("Enter")
        try tmux.waitFor("Step 4 of 6: The connector URL")
        try tmux.press("Tab")
        try tmux.type("12345")
        try tmux.waitFor("stacks-12345")

        // Quit and resume: the same step, the same answers.
        try tmux.press("C-q")
        #expect(try tmux.waitForExit() == 0)
        #expect(tmux.terminalRestored)
        tmux.close()
        tmux = try TmuxSession([Self.binary, "--data-dir", dir, "--port", "0"], width: 100, height: 30)
        try tmux.waitFor("Resumed at step 4 of 6")
        try tmux.waitFor("[12345")
        try tmux.press("Enter", "Enter", "Enter")
        try tmux.waitFor("Review: nothing has been changed yet")
        try tmux.press("Enter")
        try tmux.waitFor("now answers for namespace stacks-12345")
        try tmux.press("Enter")
        try tmux.waitFor("Unique identifier field for users")
        try tmux.press("Enter")

        // Step 6 after a restart: the token is not kept, so it is pasted.
        try tmux.waitFor("Token (glsa_")
        try tmux.type(token)
        try tmux.press("Enter")
        try tmux.waitFor("(wrong token) → 401")
        #expect(tmux.screen().contains("✓ List users"))
        #expect(tmux.screen().contains("✓ List groups"))
        try tmux.press("Enter")
        try tmux.waitFor("No users provisioned yet")
        try tmux.waitFor("namespaces/stacks-12345")
        try tmux.press("Q")
        #expect(try tmux.waitForExit() == 0)

        // The next start opens the live pane directly.
        tmux.close()
        tmux = try TmuxSession([Self.binary, "--data-dir", dir, "--port", "0"], width: 100, height: 30)
        try tmux.waitFor("No users provisioned yet")
        try tmux.press("Q")
        #expect(try tmux.waitForExit() == 0)
    }

    @Test func headlessSetupThenTheLivePane() throws {
        let dir = ScratchFolder.path("setup-cli")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["setup", "--data-dir", dir, "--stack-id", "12345", "--yes"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        for step in 1...6 { #expect(output.contains("Step \(step) of 6"), "\(output)") }
        #expect(output.contains("✓ A wrong token is refused"))
        #expect(output.contains("namespaces/stacks-12345"))
        #expect(output.contains("Setup is complete"))

        // The token was printed once; neither it nor the admin password is anywhere else in the data dir.
        let token = try #require(output.firstMatch(of: /glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}/).map { String($0.output) })
        let password = try String(contentsOfFile: "\(dir)/admin-password", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)"))
            #expect(bytes.range(of: Data(token.dropFirst(5).prefix(32).utf8)) == nil, "the token's secret is in \(name)")
            if name != "admin-password" {
                #expect(bytes.range(of: Data(password.utf8)) == nil, "the admin password is in \(name)")
            }
        }

        let tmux = try TmuxSession([Self.binary, "--data-dir", dir, "--port", "0"], width: 120, height: 34)
        defer { tmux.close() }
        try tmux.waitFor("No users provisioned yet")
        try tmux.waitFor("namespaces/stacks-12345")
        try tmux.press("Q")
        #expect(try tmux.waitForExit() == 0)
    }
}
