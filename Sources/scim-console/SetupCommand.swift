import ArgumentParser
import Endpoint
import Foundation
import GrafanaConfig
import Logging
import Setup

/// `scim-console setup`: the wizard's steps without a terminal, every answer a flag.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Walk Grafana's \"Configure SCIM with Okta\" guide without a terminal: toggle, service account and token, connector URL, Okta settings, connector test.",
        discussion: """
            Without --grafana-url it sets up the embedded endpoint of the data directory. \
            Secrets never go on the command line: the Grafana password or token is read from \
            --grafana-password-file / --grafana-token-file, or from GRAFANA_PASSWORD / GRAFANA_TOKEN.
            """)

    @OptionGroup var options: EndpointOptions

    @Option(help: "A real Grafana's URL (https://grafana.example.com or https://acme.grafana.net); default: the embedded endpoint.")
    var grafanaURL: String?
    @Flag(help: "The Grafana is Grafana Cloud (also assumed for *.grafana.net).")
    var cloud = false
    @Option(help: "Grafana admin login for basic auth.")
    var grafanaUser = "admin"
    @Option(help: "File holding the Grafana admin's password (or set GRAFANA_PASSWORD).")
    var grafanaPasswordFile: String?
    @Option(help: "File holding a Grafana service account token with role Admin, used instead of a password (or set GRAFANA_TOKEN).")
    var grafanaTokenFile: String?
    @Flag(help: "Do not verify Grafana's TLS certificate (self-signed); the credentials could then be read in transit.")
    var insecureSkipTLSVerify = false
    @Option(help: "The Grafana ini file to edit (self-hosted); default: the first of /etc/grafana/grafana.ini, Homebrew's, conf/custom.ini that exists.")
    var ini: String?
    @Option(help: "Service account name.")
    var serviceAccount = ServiceAccountStep.defaultName
    @Option(help: "Service account role: Admin (as the guide says) or None (then grant the org.users and teams permissions).")
    var role = "Admin"
    @Option(help: "Token name.")
    var tokenName = ServiceAccountStep.defaultName
    @Option(help: "Save the new token to this file (created 0600) instead of printing it.")
    var tokenFile: String?
    @Option(help: "The public Grafana host for the connector URL (a pasted URL is fine); default: the Grafana URL's host.")
    var grafanaHost: String?
    @Option(help: "Grafana Cloud stack id: the namespace becomes stacks-ID.")
    var stackID: String?
    @Option(help: "Self-hosted org: 1 (namespace default) or N (namespace org-N).")
    var org: String?
    @Option(help: "For a real Grafana: what the console does afterwards, watch (mirror it; Okta talks to Grafana) or relay (Okta's requests pass through the console). Default: watch.")
    var consoleMode: ConsoleMode?
    @Option(help: "With --console-mode relay: the public host Okta reaches this console at (Okta's connector URL becomes it plus Grafana's path).")
    var relayHost: String?
    @Flag(help: "Apply every step without asking.")
    var yes = false
    @Flag(help: "Forget the saved wizard progress first.")
    var resetSetup = false

    func run() async throws {
        try await reportingFailures { try await runSteps() }
    }

    func runSteps() async throws {
        if options.namespace != nil { throw Failure("setup takes --stack-id or --org, not --namespace.") }
        let endpoint = try options.prepare()
        let store = SetupProgressStore(directory: endpoint.directory)
        if resetSetup { try store.reset() }
        var progress = store.load() ?? SetupProgress()
        progress.finished = nil
        progress.answers = try answers()
        let secret = try self.secret(for: progress.answers)

        // The embedded endpoint serves on a free port while setup runs; its log goes to the data dir.
        var server: EmbeddedServer?
        var embeddedURL = ""
        var embeddedPassword = ""
        if progress.answers.target == .embedded {
            let sink = FileLogHandler.Sink(path: "\(endpoint.configuration.dataDirectory)/scim-console.log")
            let logger = Logger(label: "scim-console") { label in FileLogHandler(label: label, sink: sink) }
            let started = try await EmbeddedServer.start(endpoint, options: options, port: 0, logger: logger)
            server = started
            embeddedURL = started.baseURL(options)
            embeddedPassword = try EmbeddedServer.adminPassword(endpoint)
        }
        let target = progress.answers.grafanaTarget(secret: secret, embeddedURL: embeddedURL, embeddedPassword: embeddedPassword)
        let client = GrafanaClient(target: target)
        do {
            try await walk(&progress, client: client, endpoint: endpoint, store: store)
        } catch {
            try? store.save(progress)
            await client.shutdown()
            await server?.stop()
            throw error
        }
        await client.shutdown()
        progress.finished = Date()
        try store.save(progress)
        await server?.stop()
        let how = progress.followedGrafana.map { $0.mode == .relay ? "relays to \($0.target.host)" : "watches \($0.target.host)" }
        say("\nSetup is complete. `scim-console --data-dir \(endpoint.configuration.dataDirectory)` now "
            + (how.map { "\($0) and opens the live pane." } ?? "opens the live pane."))
    }

    func walk(_ progress: inout SetupProgress, client: GrafanaClient, endpoint: Endpoint, store: SetupProgressStore) async throws {
        let answers = progress.answers
        heading(.grafana)
        let (connection, health) = await GrafanaStep.check(client)
        try show(connection, &progress, .grafana, store)
        progress.grafanaVersion = health?.version

        heading(.toggle)
        try await toggleStep(&progress, client: client, endpoint: endpoint, version: health?.version, store: store)

        heading(.serviceAccount)
        say("Role \(answers.role): \(ServiceAccountStep.roleExplanations[answers.role == "None" ? 1 : 0]).")
        // Where the token goes is checked first: a token made and then not kept is lost.
        if let tokenFile {
            do { try TokenFile.checkDestination(tokenFile) } catch { throw Failure(error.description + " No token was made.") }
        }
        try confirm("Create or reuse the service account \"\(answers.serviceAccountName)\" and a token \"\(answers.tokenName)\"?")
        var tokenName = answers.tokenName
        var token: CreatedToken?
        var accountID = 0
        while token == nil {
            let (outcome, report) = try await serviceAccount(client, tokenName: tokenName)
            // With a token file, the token is not printed: the report's "copy it now" would not hold.
            print(tokenFile == nil ? report : StepReport(report.lines.filter { !$0.text.contains("copy it now") }))
            switch outcome {
            case .created(let account, _, let t):
                token = t
                accountID = account.id
            case .tokenNameTaken(_, let proposal):
                guard yes else { throw Failure("Run again with --token-name \(proposal) (or --yes to take it).") }
                say("  Using \"\(proposal)\" instead.")
                tokenName = proposal
            }
        }
        progress.answers.tokenName = tokenName
        if let tokenFile {
            do { try TokenFile.save(token!, to: tokenFile) } catch {
                // Never shown and not kept: revoke it rather than leave a secret nobody has.
                let revoked = (try? await client.deleteToken(accountID: accountID, tokenID: token!.id)) != nil
                throw Failure(error.description + (revoked ? " The token was revoked; nothing is left behind."
                                                   : " Revoke the token \"\(tokenName)\" in Grafana: it was made but could not be kept."))
            }
            progress.answers.tokenFile = tokenFile
            say("✓ Saved the token to \(tokenFile) (mode 0600). It is not shown here.")
        } else {
            say("  Token (shown once; paste it into Okta): \(token!.key)")
        }
        try mark(&progress, .serviceAccount, StepReport([.init(.ok, "Token \"\(tokenName)\" created.")]), store)

        heading(.connectorURL)
        let context = GuideContext(answers: progress.answers)
        if let problem = ConnectorURLStep.problems(in: context).values.sorted().first { throw Failure(problem) }
        let embedded = progress.answers.target != .embedded ? nil : ConnectorURLStep.EmbeddedEndpoint(
            serve: endpoint.served.set, saveNamespace: store.saveNamespace, localBase: "http://\(options.host):\(options.port)")
        guard let urlReport = ConnectorURLStep.apply(progress.answers, embedded: embedded) else {
            throw Failure("The namespace is not valid.")
        }
        try show(urlReport, &progress, .connectorURL, store)

        heading(.okta)
        let hint = tokenFile.map { "the token saved in \($0)" } ?? "the token printed in step 3"
        for item in OktaStep.items(progress.answers, tokenHint: hint) {
            say("  \(item.setting): \(item.value)")
        }
        try mark(&progress, .okta, OktaStep.shown, store)

        heading(.test)
        guard let base = ConnectorTestStep.scimBase(progress.answers, grafanaBase: client.target.baseURL) else {
            throw Failure("The namespace is not valid.")
        }
        let checks = await ConnectorTestStep.run(client, scimBase: base, token: token!.key)
        var report = ConnectorTestStep.report(checks)
        if report.ok { report.lines += ConnectorTestStep.modeLines(progress.answers) }
        try show(report, &progress, .test, store)
    }

    func toggleStep(_ progress: inout SetupProgress, client: GrafanaClient, endpoint: Endpoint, version: String?,
                    store: SetupProgressStore) async throws {
        let answers = progress.answers
        var done: [StepReport.Line] = []
        if answers.target == .cloud {
            done = ToggleStep.cloudLines
        } else if let path = ToggleStep.path(for: answers, embeddedIni: endpoint.configuration.iniPath)
                    ?? (answers.target == .selfHosted ? ToggleStep.usualPath() : nil) {
            let change: FeatureToggleStep.Change
            do { change = try ToggleStep.plan(path: path) } catch { throw Failure(error.description) }
            say("  File: \(path)")
            for finding in change.report.findings { say("  \(finding)") }
            if !change.isEmpty {
                say("  The change:")
                for line in change.diff { say("    \(line)") }
                try confirm("Write this change to \(path)?")
            }
            do { done = try ToggleStep.apply(change, target: answers.target) } catch { throw Failure(error.description) }
        } else {
            done = [.init(.warn, "No Grafana ini file found here; pass --ini PATH to edit one, or use an environment variable:")]
        }
        let verified = await ToggleStep.verify(client)
        let report = ToggleStep.result(done: done, verified: verified, target: answers.target, grafanaVersion: version)
        try show(report, &progress, .toggle, store)
    }

    func serviceAccount(_ client: GrafanaClient, tokenName: String) async throws -> (ServiceAccountStep.Outcome, StepReport) {
        do {
            return try await ServiceAccountStep.run(client, name: serviceAccount, role: role, tokenName: tokenName)
        } catch {
            throw Failure(error.description)
        }
    }

    // MARK: answers

    func answers() throws -> SetupAnswers {
        var a = SetupAnswers()
        if let grafanaURL {
            if let problem = GrafanaTarget.validate(url: grafanaURL) { throw Failure(problem) }
            a.target = cloud || GrafanaTarget.looksLikeCloud(url: grafanaURL) ? .cloud : .selfHosted
            a.grafanaURL = grafanaURL
        } else if cloud {
            throw Failure("--cloud needs --grafana-url https://YOUR-STACK.grafana.net.")
        }
        a.adminUser = grafanaUser
        a.useToken = grafanaTokenFile != nil || (grafanaPasswordFile == nil && environment("GRAFANA_TOKEN") != nil)
        a.verifyTLS = !insecureSkipTLSVerify
        a.iniPath = ini ?? ""
        a.serviceAccountName = serviceAccount
        a.role = role
        a.tokenName = tokenName
        a.host = grafanaHost ?? ""
        a.stackID = stackID ?? ""
        a.org = org ?? ""
        if a.target == .cloud, org != nil { throw Failure("Grafana Cloud takes --stack-id, not --org.") }
        if a.target == .embedded, consoleMode != nil || relayHost != nil {
            throw Failure("--console-mode and --relay-host are for a real Grafana (--grafana-url).")
        }
        if a.target != .embedded { a.consoleMode = consoleMode ?? .watch }
        if relayHost != nil, a.consoleMode != .relay { throw Failure("--relay-host goes with --console-mode relay.") }
        a.relayHost = relayHost
        if let problem = ConnectorTestStep.problems(in: GuideContext(answers: a, tokenMade: true)).values.sorted().first {
            throw Failure(problem.replacingOccurrences(of: "Enter the public host", with: "Give --relay-host: the public host"))
        }
        if a.target == .selfHosted, stackID != nil { throw Failure("A self-hosted Grafana takes --org, not --stack-id.") }
        // The guide's own checks of the answers, as the wizard makes them.
        for step in [SetupStep.serviceAccount, .connectorURL] {
            if let problem = step.guide.problems(in: GuideContext(answers: a)).values.sorted().first { throw Failure(problem) }
        }
        if a.target == .selfHosted, case .success(.org(let n)) = a.namespace { a.orgID = String(n) }
        return a
    }

    func secret(for answers: SetupAnswers) throws -> String {
        guard answers.target != .embedded else { return "" }
        let file = answers.useToken ? grafanaTokenFile : grafanaPasswordFile
        if let file {
            do {
                return try String(contentsOfFile: (file as NSString).expandingTildeInPath, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw Failure("Cannot read \(file): \(Failure.reason(error)).")
            }
        }
        if let value = environment(answers.useToken ? "GRAFANA_TOKEN" : "GRAFANA_PASSWORD") { return value }
        throw Failure("Give the Grafana admin's password with --grafana-password-file (or GRAFANA_PASSWORD), or a token with --grafana-token-file (or GRAFANA_TOKEN).")
    }

    func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    // MARK: output

    func heading(_ step: SetupStep) {
        say("\nStep \(step.number) of \(SetupStep.count) — \(step.title)")
    }

    func print(_ report: StepReport) {
        for line in report.lines { say(line.description) }
    }

    /// Prints a step's report and saves it; a failed step stops the run.
    func show(_ report: StepReport, _ progress: inout SetupProgress, _ step: SetupStep, _ store: SetupProgressStore) throws {
        print(report)
        guard report.ok else {
            progress.step = step
            throw Failure("Step \(step.number) (\(step.title)) failed; fix what is named above and run setup again.")
        }
        try mark(&progress, step, report, store)
    }

    func mark(_ progress: inout SetupProgress, _ step: SetupStep, _ report: StepReport, _ store: SetupProgressStore) throws {
        progress.record(step, report)
        progress.step = step.next ?? step
        try store.save(progress)
    }

    /// Asks on the terminal unless --yes; without a terminal, --yes is required.
    func confirm(_ question: String) throws {
        if yes { return }
        guard isatty(0) == 1 else { throw Failure("\(question) Run with --yes to apply without asking.") }
        FileHandle.standardOutput.write(Data("\(question) [y/N] ".utf8))
        guard let reply = readLine(), reply.lowercased().hasPrefix("y") else {
            throw Failure("Stopped: nothing more was changed. Run setup again to continue.")
        }
    }

    func say(_ text: String) { Serve.say(text) }
}

extension ConsoleMode: ExpressibleByArgument {}
