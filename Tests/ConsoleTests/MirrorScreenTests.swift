import Directory
import Foundation
import GrafanaMirror
import OktaSimulator
import SCIM
import Setup
import Testing
import TmuxTesting
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The console relaying to a Grafana and mirroring it (an embedded endpoint
/// over real HTTP stands in for Grafana), as a person sees it in tmux:
/// what the simulator makes through the relay shows in the Users tab and
/// the mirror equals Grafana; `d` and `a` change Grafana; a change made on
/// Grafana shows after `R`; the token is in no file of the console's.
@Suite("A mirror on screen (tmux)", .serialized)
struct MirrorScreenTests {
    @Test func theMirrorFollowsGrafanaAndDAndAChangeIt() async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        let token = try grafana.adminToken()
        let consoleDir = ScratchFolder.make("console")
        let tokenFile = ScratchFolder.make("secrets") + "/token"
        try FileManager.default.createDirectory(atPath: (tokenFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
        // Grafana in a process of its own: it answers while this test waits on the screen.
        let (grafanaProcess, grafanaURL) = try ServeProcess.start(binary: ScreenEndToEndTests.binary,
                                                                  ["--data-dir", grafana.folder, "--port", "0"])
        defer { ServeProcess.stop(grafanaProcess) }
        let port = try #require(URL(string: grafanaURL)?.port)
        let tmux = try TmuxSession([ScreenEndToEndTests.binary, "--data-dir", consoleDir, "--port", "0", "--relay-to", grafanaURL,
                                    "--token-file", tokenFile, "--mirror-interval", "300"],
                                   width: 120, height: 40)
        defer { tmux.close() }
        let first = try tmux.waitFor("0 users")
        #expect(first.contains("relay → 127.0.0.1:\(port) · default"), "\(first)")
        let relayURL = try #require(tmux.screen().firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/apis\/scim\.grafana\.app\/v0alpha1\/namespaces\/default/)
            .map { String($0.output) })

        // Okta (the simulator) through the relay: the mirror follows each answer.
        let report = try await OktaSimulator(baseURL: relayURL, token: token, plan: .init(users: 8, groups: 2, rate: 0)) { _ in }.simulate()
        #expect(report.unexpected == [])
        _ = try tmux.waitFor("8 users │ 2 teams")
        let store = try Directory(path: Mirror.storePath(dataDirectory: consoleDir,
                                                         target: try ConnectorURL.parse(grafanaURL).get()))
        defer { try? store.close() }
        try await Self.eventually { try Self.same(store, grafana.directory) }
        #expect(try Self.same(store, grafana.directory), "the mirror equals Grafana")

        // d on the first row (in userName order: ada), then a: each a PATCH to Grafana.
        let ada = try #require(try grafana.directory.listUsers(ListQuery(count: 100)).items.first { $0.userName.hasPrefix("ada.") })
        try tmux.press("/")
        try tmux.type(ada.userName)
        try tmux.press("Enter")
        try tmux.press("d")
        _ = try tmux.waitFor("Deactivate \(ada.userName) in 127.0.0.1:\(port) (default)?")
        try tmux.press("y")
        _ = try tmux.waitFor("Deactivated \(ada.userName) in 127.0.0.1:\(port) (default): Grafana answered 200.")
        #expect(try grafana.directory.user(id: ada.id)?.active == false)
        try tmux.press("a")
        try tmux.press("y")
        _ = try tmux.waitFor("Reactivated \(ada.userName)")
        #expect(try grafana.directory.user(id: ada.id)?.active == true)

        // A change made on Grafana directly shows once R reads it again.
        try tmux.press("Escape")
        // Apart, or the terminal reads Escape and R as one Alt-R.
        _ = try tmux.waitFor("Users (8/8)")
        let renamed = try grafana.directory.createUser(["userName": "made.in.grafana@example.com"], actor: .operator)
        try tmux.press("R")
        _ = try tmux.waitFor("made.in.grafana@example.com")
        try await Self.eventually { try Self.same(store, grafana.directory) }
        #expect(try store.user(id: renamed.id) != nil)

        try tmux.press("3")
        let requests = try tmux.waitFor("Requests (")
        // The simulator sends PATCHes too: the hand actions are the rows whose client is the console.
        let byHand = requests.split(separator: "\n").filter { $0.contains("PATCH") && $0.contains(" console") }
        #expect(byHand.count == 2, "the hand actions are in Requests, as the console's: \(requests)")

        // Okta's failed request, replayed from the Requests tab once the cause is fixed.
        var post = URLRequest(url: URL(string: "\(relayURL)/Users")!)
        post.httpMethod = "POST"
        post.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        post.setValue("application/scim+json", forHTTPHeaderField: "Content-Type")
        post.httpBody = Data(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"made.in.grafana@example.com"}"#.utf8)
        let (_, answer) = try await URLSession.shared.data(for: post)
        #expect((answer as? HTTPURLResponse)?.statusCode == 409)
        _ = try tmux.waitFor("! 409")
        try grafana.directory.deleteUser(id: renamed.id)
        try tmux.press("r")
        _ = try tmux.waitFor("through the relay with the console's token, and is logged as a")
        try tmux.press("y")
        _ = try tmux.waitFor("to Grafana at 127.0.0.1:\(port) through the relay: 201.")
        #expect(try grafana.directory.user(named: "made.in.grafana@example.com") != nil, "the replay made the user")
        try tmux.press("Q")
        _ = try? tmux.waitForExit()
        let console = try Directory(path: "\(consoleDir)/\(Directory.fileName)")
        defer { try? console.close() }
        let replays = try console.requestLog.recent(limit: 100).filter { $0.userAgent.contains("(replay of request") }
        #expect(replays.count == 1 && replays.first?.status == 201 && replays.first?.method == "POST", "\(replays)")
        #expect(replays.first.map { !$0.requestHeaderText.contains(token) } == true)
        // The token is in no file of the console's data dir, the mirror's included.
        for file in FileManager.default.enumerator(atPath: consoleDir)?.compactMap({ $0 as? String }) ?? [] {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: "\(consoleDir)/\(file)"))) ?? Data()
            #expect(data.range(of: Data(token.utf8)) == nil, "the token is in \(file)")
        }
    }

    /// `setup --console-mode watch|relay` for a real Grafana, then
    /// `scim-console` with no flag: it starts watching (its Requests tab
    /// saying it sees only its own) or relaying to that Grafana, mirroring
    /// it with the token read from the file setup saved it to.
    @Test(arguments: ["watch", "relay"])
    func theModeSetupChoseIsUsedAtTheNextStart(mode: String) async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        let (grafanaProcess, grafanaURL) = try ServeProcess.start(binary: ScreenEndToEndTests.binary,
                                                                  ["--data-dir", grafana.folder, "--port", "0"])
        defer { ServeProcess.stop(grafanaProcess) }
        let port = try #require(URL(string: grafanaURL)?.port)
        _ = try grafana.directory.createUser(["userName": "already.there@example.com"])
        let consoleDir = ScratchFolder.make("console")
        let setup = Process()
        setup.executableURL = URL(fileURLWithPath: ScreenEndToEndTests.binary)
        setup.arguments = ["setup", "--data-dir", consoleDir, "--port", "0", "--grafana-url", "http://127.0.0.1:\(port)",
                           "--grafana-password-file", grafana.configuration.adminPasswordPath, "--ini", grafana.configuration.iniPath,
                           "--token-file", "\(consoleDir)-token", "--grafana-host", "grafana.example.com",
                           "--console-mode", mode] + (mode == "relay" ? ["--relay-host", "relay.example.com"] : []) + ["--yes"]
        setup.standardOutput = FileHandle.nullDevice
        try setup.run()
        setup.waitUntilExit()
        #expect(setup.terminationStatus == 0)

        let tmux = try TmuxSession([ScreenEndToEndTests.binary, "--data-dir", consoleDir, "--port", "0"], width: 80, height: 24)
        defer { tmux.close() }
        let screen = try tmux.waitFor("1 user")
        let place = mode == "watch" ? "watching" : "relay →"
        #expect(screen.contains("\(place) 127.0.0.1:\(port) · default"), "\(screen)")
        #expect(screen.contains("already.there@example.com"))
        try tmux.press("3")
        if mode == "watch" {
            _ = try tmux.waitFor("the console's own only")
        } else {
            let requests = try tmux.waitFor("No requests yet: they appear here as Okta calls")
            #expect(!requests.contains("the console's own only"), "Okta's requests pass through a relay: \(requests)")
        }
        try tmux.press("Q")
        _ = try? tmux.waitForExit()
    }

    /// Users (id, userName, active) and teams (id, name, members) alike in both.
    static func same(_ a: Directory, _ b: Directory) throws -> Bool {
        func users(_ d: Directory) throws -> [String] {
            try d.listUsers(ListQuery(count: 1000)).items.map { "\($0.id) \($0.userName) \($0.active)" }.sorted()
        }
        func teams(_ d: Directory) throws -> [String] {
            try d.listGroups(ListQuery(count: 1000)).items.map { "\($0.id) \($0.displayName) \($0.members.map(\.id).sorted())" }.sorted()
        }
        return try users(a) == users(b) && teams(a) == teams(b)
    }

    static func eventually(_ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
    }
}
