import Directory
import Endpoint
import GrafanaConfig
import Foundation
import Setup
import Testing
import TerminalUI
@testable import Console
import TestSupport

/// The wizard's rough edges as a newcomer met them: quitting with a token
/// unsaved, a stale token file, scrolling a step without fields, focus after
/// an error, hints that apply, work that can be watched and cancelled.
@Suite("Setup wizard, as a newcomer meets it")
struct SetupWizardPolishTests {
    typealias Scene = SetupWizardTests.Scene

    /// Steps 1 and 2 done: on step 3's form.
    static func toServiceAccount(_ s: Scene) async {
        await s.press(.enter, .enter)
        await s.press(.enter, .enter, .enter)
    }

    @Test func quittingWithTheTokenUnsavedAsksFirstAndANewTokenForgetsTheOldFile() async throws {
        try await SetupWizardTests.withScene { s in
            await Self.toServiceAccount(s)
            await s.press(.enter, .enter, .enter, .enter)  // fields, review, apply
            #expect(s.wizard.token != nil)
            #expect(s.screen.contains("q ^Q quit"))
            #expect(await s.press(.char("q")) == .continue)
            #expect(s.screen.contains("Quit without keeping the token?"))
            #expect(await s.press(.char("n")) == .continue)
            #expect(await s.press(.ctrl("q")) == .continue, "^Q asks too")
            await s.press(.escape)
            // c says what it did, and what to do if the terminal ignored it.
            await s.press(.char("c"))
            #expect(s.screen.contains("Sent the token to the terminal's clipboard (OSC 52)"))
            // Saved: quitting loses nothing, so it no longer asks.
            let file = ScratchFolder.path("token") + ".token"
            await s.press(.char("s"), .ctrl("u"))
            await s.type(file)
            await s.press(.enter)
            #expect(s.wizard.answers.tokenFile == file)
            #expect(s.screen.contains("Saved in"))
            // A second token, made after going back, does not live in the first one's file.
            await s.press(.escape, .enter, .enter)  // back to the form (focus on its last field), review, apply
            #expect(s.screen.contains("\"okta-scim-2\" is free"), "the name is taken")
            await s.press(.enter, .enter)  // review and apply okta-scim-2
            #expect(s.wizard.token?.name == "okta-scim-2")
            #expect(!s.screen.contains("Saved in"))
            #expect(s.wizard.answers.tokenFile.isEmpty)
            #expect(await s.press(.char("q")) == .continue)
            #expect(s.screen.contains("Quit without keeping the token?"))
            #expect(await s.press(.char("y")) == .quit(0))
        }
    }

    @Test func stepFiveScrollsToItsLastItemAt80x24() async throws {
        try await SetupWizardTests.withScene { s in
            var progress = SetupProgress()
            progress.step = .okta
            try s.store.save(progress)
            s.restart()
            #expect(s.screen.contains("↓ PgDn more"))
            #expect(s.screen.contains("↑↓ PgDn scroll"))
            #expect(!s.screen.contains("Tab fields"), "no fields on this step")
            #expect(!s.screen.contains("SAML attribute statement"))
            await s.press(.pageDown)
            await s.press(.char("G"))
            #expect(s.screen.contains("SAML attribute statement"))
            #expect(s.screen.contains("Provisioning › To App"))
            await s.press(.char("g"))
            #expect(s.screen.contains("General › Provisioning"))
            s.app.handle(.mouse(x: 40, y: 10, button: .wheelDown), context: s.context)
            #expect(!s.screen.contains("In Okta: Applications"))
        }
    }

    @Test func enterOnABadFieldKeepsTheFocusThere() async throws {
        try await SetupWizardTests.withScene { s in
            await Self.toServiceAccount(s)
            await s.press(.ctrl("u"), .enter)
            #expect(s.screen.contains("Fix the fields marked ✗ first."))
            #expect(s.wizard.focusedField == .accountName)
            await s.type("okta-a")
            #expect(s.wizard.answers.serviceAccountName == "okta-a")
            // A short review offers no scrolling it cannot do.
            await s.press(.enter, .enter, .enter)
            #expect(s.screen.contains("Review:"))
            #expect(!s.screen.contains("scroll"))
        }
    }

    @Test func workShowsItsProgressAndEscCancelsIt() async throws {
        try await SetupWizardTests.withScene { s in
            _ = s.app.handle(.key(.enter), context: s.context)  // the connection check, not yet run
            #expect(s.screen.contains("Talking to \(s.baseURL)…"))
            #expect(s.screen.contains("Esc cancels."))
            #expect(s.screen.contains("Esc cancel"))
            #expect(s.wizard.nextTick(after: Date()) != nil, "the spinner moves")
            _ = s.app.handle(.key(.escape), context: s.context)
            #expect(s.wizard.phase == .form)
            // The cancelled work's answer, when it comes, changes nothing.
            let work = s.queue.items.removeFirst()
            _ = s.app.handle(.message(.wizard(await work())), context: s.context)
            #expect(s.wizard.phase == .form)
            #expect(!s.wizard.progress.isApplied(.grafana))
        }
    }

    @Test func cloudOffersTheTokenFirst() async throws {
        try await SetupWizardTests.withScene { s in
            await s.press(.down, .down)
            #expect(s.wizard.answers.target == .cloud)
            #expect(s.wizard.answers.useToken)
            #expect(s.screen.contains("(•) Service account token"))
        }
    }

    @Test func theToggleAlreadyOnIsNotFollowedByARestart() async throws {
        try await SetupWizardTests.withScene { s in
            // Everything the step would write is there already.
            try "[feature_toggles]\nenableSCIM = true\n\n[auth.scim]\nuser_sync_enabled = true\ngroup_sync_enabled = true\n"
                .write(toFile: s.endpoint.configuration.iniPath, atomically: true, encoding: .utf8)
            var progress = SetupProgress()
            progress.answers.target = .selfHosted
            progress.answers.grafanaURL = s.baseURL
            progress.answers.iniPath = s.endpoint.configuration.iniPath
            progress.step = .toggle
            try s.store.save(progress)
            s.restart()
            let password = (try? AdminCredentials.password(at: s.endpoint.configuration.adminPasswordPath)) ?? ""
            s.wizard.secret = TextFieldState(password, masked: true)
            await s.press(.enter)
            #expect(s.screen.contains("Nothing to change"))
            await s.press(.enter)
            let said = s.wizard.report.lines.map(\.text).joined(separator: "\n")
            #expect(said.contains("already has everything; nothing written"))
            #expect(!said.contains("Restart Grafana"))
            #expect(!s.screen.contains("Restart Grafana"))
        }
    }

    @Test func theConnectorURLKeepsTheSchemeAndSubPathAndWarnsWhenOktaCannotUseIt() async throws {
        var answers = SetupAnswers()
        answers.target = .selfHosted
        answers.grafanaURL = "http://127.0.0.1:52501"
        answers.org = "1"
        #expect(answers.connectorURL == "http://127.0.0.1:52501/apis/scim.grafana.app/v0alpha1/namespaces/default")
        #expect(answers.connectorURLWarning?.contains("Okta cannot reach 127.0.0.1") == true)
        answers.host = "https://proxy.example.com/grafana/"
        #expect(answers.connectorURL == "https://proxy.example.com/grafana/apis/scim.grafana.app/v0alpha1/namespaces/default")
        #expect(answers.connectorURLWarning == nil)
        answers.host = "http://grafana.example.com"
        #expect(answers.connectorURLWarning?.contains("Okta calls only HTTPS URLs") == true)
    }
}
