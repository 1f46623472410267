import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Hummingbird
import Logging
import Setup
import Testing
import TerminalUI
@testable import Console
import TestSupport

/// The whole wizard on the in-memory surface at 80×24, against the embedded
/// endpoint over real HTTP: every step, a back-step, validation errors, a
/// quit and resume, ending in the live pane.
@Suite("Setup wizard")
struct SetupWizardTests {
    static let size = Size(width: 80, height: 24)

    /// Collects the wizard's network work so a test can run it and feed the results back.
    final class WorkQueue: @unchecked Sendable {  // used from the test's one task only
        var items: [WizardWork] = []
    }

    final class Scene: @unchecked Sendable {  // one test task drives it, as the runner's thread would
        let endpoint: Endpoint
        let baseURL: String
        let store: SetupProgressStore
        var app: ConsoleApp!
        let queue = WorkQueue()
        let context = TerminalContext.offscreen(size: SetupWizardTests.size)

        init(endpoint: Endpoint, baseURL: String) throws {
            self.endpoint = endpoint
            self.baseURL = baseURL
            store = SetupProgressStore(directory: endpoint.directory)
            restart()
        }

        /// A fresh app over the same data dir, as a quit and `scim-console` again would.
        func restart() {
            let password = (try? AdminCredentials.password(at: endpoint.configuration.adminPasswordPath)) ?? ""
            let endpoint = self.endpoint
            let info = EmbeddedGrafanaInfo(baseURL: baseURL, adminPassword: password, iniPath: endpoint.configuration.iniPath,
                                           serve: { endpoint.served.set($0) })
            let wizard = SetupWizard(store: store, embedded: info, localBaseURL: baseURL)
            app = ConsoleApp(wizard: wizard, makeLivePane: {
                LivePane(directory: endpoint.directory, configuration: .init(
                    endpointURL: self.baseURL + endpoint.served.scimBasePath, scimBasePath: endpoint.served.scimBasePath,
                    readOnly: false))
            })
            app.runWork = { [queue] work in queue.items.append(work) }
        }

        /// Presses keys, then runs the network work they started and delivers the results.
        @discardableResult
        func press(_ keys: Key...) async -> AppStep {
            var last = AppStep.continue
            for key in keys {
                last = app.handle(.key(key), context: context)
                while !queue.items.isEmpty {
                    let work = queue.items.removeFirst()
                    _ = app.handle(.message(.wizard(await work())), context: context)
                }
            }
            return last
        }

        func type(_ text: String) async { for c in text { await press(.char(c)) } }

        var screen: String {
            let grid = CellGrid(width: SetupWizardTests.size.width, height: SetupWizardTests.size.height)
            app.draw(on: grid, context: context)
            return grid.dump()
        }

        var wizard: SetupWizard { app.wizard! }
    }

    static func withScene(_ body: @Sendable (Scene) async throws -> Void) async throws {
        // The toggle starts unset: the wizard's second step turns it on.
        try await ScratchDataDirectory.make("wizard", enableSCIM: false).serving { served in
            try await body(try Scene(endpoint: served.endpoint, baseURL: served.baseURL))
        }
    }

    @Test func walksEveryStepIntoTheLivePane() async throws {
        try await Self.withScene { s in
            // Step 1: the embedded endpoint answers.
            #expect(s.screen.contains("Step 1 of 6: Where Grafana is"))
            #expect(s.screen.contains("(•) Embedded endpoint"))
            await s.press(.enter)
            #expect(s.screen.contains("The embedded endpoint answered"))
            #expect(s.screen.contains("version 0.1.0"))
            await s.press(.enter)

            // Step 2: findings, review (nothing written yet), back, review again, apply, verified live.
            #expect(s.screen.contains("Step 2 of 6"))
            #expect(s.screen.contains("enableSCIM is not set in this file."))
            await s.press(.enter)
            #expect(s.screen.contains("Review: nothing has been changed yet"))
            #expect(s.screen.contains("+ enableSCIM = true"))
            #expect(!FileManager.default.fileExists(atPath: s.endpoint.configuration.iniPath), "a review writes nothing")
            await s.press(.escape)
            #expect(!s.screen.contains("Review:"))
            await s.press(.enter, .enter)
            #expect(s.screen.contains("enableSCIM is live"))
            let ini = try String(contentsOfFile: s.endpoint.configuration.iniPath, encoding: .utf8)
            #expect(ini == "[feature_toggles]\nenableSCIM = true\n\n[auth.scim]\nuser_sync_enabled = true\ngroup_sync_enabled = true\n")
            await s.press(.enter)

            // Step 3: a validation error refuses Next; then the token, masked until revealed.
            #expect(s.screen.contains("Step 3 of 6: Service account and token"))
            await s.press(.ctrl("u"))
            #expect(s.screen.contains("✗ Give the service account a name"))
            await s.press(.tab, .tab, .enter)
            #expect(s.screen.contains("Fix the fields marked ✗ first."))
            #expect(s.wizard.step == .serviceAccount)
            #expect(s.wizard.phase == .form)
            await s.type("okta-scim")
            #expect(!s.screen.contains("✗ Give"))
            await s.press(.enter, .enter, .enter)
            #expect(s.screen.contains("Create the token \"okta-scim\""))
            await s.press(.enter)
            #expect(s.screen.contains("Created the service account \"okta-scim\""))
            let key = try #require(s.wizard.token?.key)
            #expect(!s.screen.contains(key), "the token is masked until revealed")
            await s.press(.char("r"))
            #expect(s.screen.contains(key))
            await s.press(.char("r"))
            await s.press(.enter)

            // Step 4: a bad stack id is named under its field; the URL follows the input.
            #expect(s.screen.contains("Step 4 of 6: The connector URL"))
            await s.press(.tab)
            await s.type("12a")
            #expect(s.screen.contains("is not a stack id"))
            await s.press(.backspace)
            await s.type("345")
            #expect(s.screen.contains("namespaces/stacks-12345"))
            // A back-step shows step 3's result again, token included; Enter returns without redoing it.
            await s.press(.escape)
            #expect(s.wizard.step == .serviceAccount)
            #expect(s.screen.contains("Created the service account"))
            await s.press(.enter)
            #expect(s.wizard.step == .connectorURL)
            #expect(s.wizard.answers.stackID == "12345", "values survive going back")
            await s.press(.enter, .enter, .enter)  // through host, stack id and org, then the review
            #expect(s.screen.contains("will answer for namespace"))
            #expect(s.screen.contains("stacks-12345 (other namespaces get 403)"))
            #expect(s.endpoint.served.current == .org(1), "a review changes nothing")
            await s.press(.enter)
            #expect(s.endpoint.served.current == .stack(12345))
            #expect(s.store.savedNamespace() == "stacks-12345")
            await s.press(.enter)

            // Step 5: the checklist.
            #expect(s.screen.contains("Step 5 of 6"))
            #expect(s.screen.contains("Unique identifier field for users"))
            #expect(s.screen.contains("userName"))
            await s.press(.enter)

            // Step 6: the connector test, then the live pane.
            #expect(s.screen.contains("Step 6 of 6: Test the connector"))
            await s.press(.enter)
            #expect(s.screen.contains("✓ List users, as Okta's Test Connector does"))
            #expect(s.screen.contains("✓ A wrong token is refused"))
            #expect(s.screen.contains("(wrong token) →"))
            #expect(s.wizard.checks.allSatisfy { $0.passed })
            await s.endpoint.directory.requestLog.flush()
            #expect(try s.endpoint.directory.requestLog.recent(limit: 10).contains { $0.status == 401 && $0.isByConsole })
            await s.press(.enter)
            #expect(s.app.livePane != nil)
            #expect(s.screen.contains("Setup is complete"))
            // That deliberate 401 is the console's own: the header shows no error rate for it.
            #expect(!s.screen.split(separator: "\n")[0].contains("errors"))
            #expect(s.store.isFinished)
        }
    }

    @Test func quitAndResumeKeepTheStepAndAnswers() async throws {
        try await Self.withScene { s in
            await s.press(.enter, .enter)  // step 1 checked, on to step 2
            await s.press(.enter, .enter, .enter)  // review, apply, next
            #expect(s.wizard.step == .serviceAccount)
            await s.press(.ctrl("u"))
            await s.type("okta-prod")
            #expect(await s.press(.ctrl("q")) == .quit(0))

            s.restart()
            #expect(s.wizard.step == .serviceAccount)
            #expect(s.screen.contains("Resumed at step 3 of 6"))
            #expect(s.screen.contains("[okta-prod"))
            #expect(s.screen.contains("✓ 2. enableSCIM toggle"))
            // Back to step 2: its result, as it was applied.
            await s.press(.escape)
            #expect(s.wizard.step == .toggle)
            #expect(s.screen.contains("enableSCIM is live"))
        }
    }

    @Test func resumedConnectorTestAsksForTheTokenAndNamesFailures() async throws {
        try await Self.withScene { s in
            var progress = SetupProgress()
            progress.step = .test
            progress.applied = [0, 1, 2, 3, 4]
            try s.store.save(progress)
            var ini = IniFile(text: "")
            ini.enableToggle("enableSCIM")
            try FeatureToggleFile(path: s.endpoint.configuration.iniPath).write(ini)
            s.restart()
            #expect(s.screen.contains("Token (glsa_…)"))
            await s.press(.enter)
            #expect(s.screen.contains("✗ Paste the token from step 3"))
            await s.type("glsa_wrongwrongwrongwrongwrongwrongwr_00000000")
            await s.press(.enter)
            #expect(s.screen.contains("✗ List users"))
            #expect(s.screen.contains("Likely cause: The token is wrong, expired or"))
            await s.press(.enter)
            #expect(s.app.livePane == nil, "failed checks do not finish the wizard")
            #expect(s.screen.contains("Some checks failed"))
        }
    }

    @Test func fitsEightyByTwentyFourOnEveryStep() async throws {
        try await Self.withScene { s in
            for step in SetupStep.allCases {
                var progress = SetupProgress()
                progress.step = step
                try s.store.save(progress)
                s.restart()
                let lines = s.screen.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines[0].contains("Step \(step.number) of 6"))
                #expect(lines.contains { $0.contains("^Q quit") })
            }
        }
    }

    @Test func selfHostedGrafanaFormValidatesThenConnects() async throws {
        try await Self.withScene { s in
            await s.press(.down)  // Self-hosted Grafana
            #expect(s.screen.contains("(•) Self-hosted Grafana"))
            #expect(s.screen.contains("Grafana URL"))
            await s.press(.enter)  // to the URL field
            await s.type("grafana example")
            #expect(s.screen.contains("is not a URL"))
            await s.press(.ctrl("u"))
            await s.type(s.baseURL)
            #expect(!s.screen.contains("is not a URL"))
            await s.press(.enter, .enter, .enter)  // login choice, admin user, to the password
            await s.press(.enter, .enter, .enter)  // password (empty), org id, TLS: Next is refused
            #expect(s.screen.contains("Fix the fields marked ✗ first."))
            #expect(s.screen.contains("✗ Enter the admin's password."))
            #expect(s.wizard.focusedField == .secret)
            await s.type("wrong")
            #expect(s.screen.contains("•••••"), "the password is masked")
            await s.press(.enter, .enter, .enter)
            #expect(s.screen.contains("Grafana refused the credentials (401"))
            await s.press(.enter)
            #expect(s.wizard.step == .grafana, "a failed check does not move on")
            await s.press(.escape)
            let password = (try? AdminCredentials.password(at: s.endpoint.configuration.adminPasswordPath)) ?? ""
            s.wizard.secret = TextFieldState(password, masked: true)
            s.wizard.focus = s.wizard.fields.count - 1
            await s.press(.enter)
            #expect(s.screen.contains("Grafana answered at \(s.baseURL)"))
            #expect(s.screen.contains("The credentials work"))
            #expect(s.store.load()?.answers.grafanaURL == s.baseURL)
            // Step 2 for a self-hosted Grafana: first with no local file (Grafana elsewhere), then with its ini.
            await s.press(.enter)
            #expect(s.wizard.step == .toggle)
            if s.wizard.answers.iniPath.isEmpty {
                await s.press(.enter)
                #expect(s.screen.contains("No ini file given"))
                #expect(s.screen.contains("GF_FEATURE_TOGGLES_ENABLE=enableSCIM"))
                await s.press(.escape)
            }
            await s.press(.ctrl("u"))
            await s.type(s.endpoint.configuration.iniPath)
            await s.press(.enter)
            #expect(s.screen.contains("+ enableSCIM = true"))
            await s.press(.enter)
            #expect(s.screen.contains("Restart Grafana now"))
            #expect(s.screen.contains("enableSCIM is live"))
            let folder = (s.store.databasePath as NSString).deletingLastPathComponent
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix("scim-console.sqlite") {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
                #expect(bytes.range(of: Data(password.utf8)) == nil, "the password is not saved in \(name)")
            }
        }
    }

    /// The last step, for a real Grafana, asks how the console follows it
    /// afterwards: relay (with the relay's public host, which becomes Okta's
    /// connector URL) or watch only; the choice is saved for the next start.
    @Test func theLastStepOffersRelayOrWatchAndSavesTheChoice() async throws {
        try await Self.withScene { s in
            try FeatureToggleStep.apply(FeatureToggleStep.plan(path: s.endpoint.configuration.iniPath))
            var progress = SetupProgress()
            progress.answers.target = .selfHosted
            progress.answers.grafanaURL = s.baseURL
            progress.answers.host = "grafana.example.com"
            progress.step = .test
            try s.store.save(progress)
            s.restart()
            #expect(s.screen.contains("Afterwards, the console"), "\(s.screen)")
            #expect(s.screen.contains("(•) Watch only"))
            await s.press(.down)  // Relay
            #expect(s.screen.contains("(•) Relay Okta through scim-console"))
            await s.press(.enter)  // to the relay's host
            #expect(s.wizard.focusedField == .relayHost)
            await s.press(.enter, .enter)  // empty host, token: refused
            #expect(s.screen.contains("Enter the public host Okta reaches this console at"))
            s.wizard.focus = s.wizard.fields.firstIndex(of: .relayHost)!
            await s.type("relay.example.com")
            await s.press(.enter)
            await s.type(try s.endpoint.directory.createToken(
                serviceAccountID: s.endpoint.directory.createServiceAccount(name: "okta-scim").id, name: "okta").key)
            await s.press(.enter)
            let result = s.screen
            #expect(result.contains("A wrong token is refused"), "\(result)")
            #expect(result.contains("https://relay.example.com/apis/scim.grafana.app/v0alpha1/namespaces/default"), "\(result)")
            let saved = try #require(s.store.load())
            #expect(saved.answers.consoleMode == .relay && saved.answers.relayHost == "relay.example.com")
            // Okta's checklist now names the relay's URL.
            #expect(OktaStep.items(saved.answers, tokenHint: "").contains {
                $0.value == "https://relay.example.com/apis/scim.grafana.app/v0alpha1/namespaces/default"
            })
            #expect(await s.press(.enter) == .continue)
            #expect(s.app.livePane != nil)
            #expect(s.screen.contains("Quit and start scim-console again"), "\(s.screen)")
            let followed = try #require(s.store.load()?.followedGrafana)
            #expect(followed.mode == .relay && followed.target.description == s.baseURL + s.endpoint.served.scimBasePath)
        }
    }
}
