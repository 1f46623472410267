import Endpoint
import Foundation
import Logging
import Testing
import TmuxTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The console relaying to a Grafana (an embedded endpoint over real HTTP
/// stands in for it): the header names that Grafana, says while it cannot
/// be reached, and stops saying it once it answers again.
@Suite("A relay on screen (tmux)", .serialized)
struct RelayScreenTests {
    @Test func theHeaderNamesTheGrafanaAndSaysWhileItIsUnreachable() async throws {
        let grafana = try ScratchDataDirectory.make("grafana")
        let token = try grafana.adminToken()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var running = try await RunningEndpoint.start(try grafana.endpoint(), host: "127.0.0.1", port: 0, logger: logger)
        let port = running.port
        let tmux = try TmuxSession([ScreenEndToEndTests.binary, "--data-dir", ScratchFolder.make("relay"), "--port", "0",
                                    "--relay-to", "http://127.0.0.1:\(port)/apis/scim.grafana.app/v0alpha1/namespaces/default"],
                                   width: 80, height: 24)
        defer { tmux.close() }
        let screen = try tmux.waitFor("relay → 127.0.0.1:\(port) · default")
        #expect(screen.contains("live in Grafana at 127.0.0.1:\(port);"), "\(screen)")
        let url = try #require(screen.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/apis\/scim\.grafana\.app\/v0alpha1\/namespaces\/default/)
            .map { String($0.output) })
        #expect(try await createUser("ada@example.com", url: url, token: token) == 201)
        #expect(try grafana.directory.user(named: "ada@example.com") != nil, "the user is made in Grafana")
        #expect(tmux.screen().split(separator: "\n").first?.contains("LIVE") == true, "the header fits 80 columns")
        try tmux.press("d")
        _ = try tmux.waitFor("Read-only: no token to act on Grafana with; start with --token-file.")

        await running.stop()
        #expect(try await createUser("bob@example.com", url: url, token: token) == 502)
        _ = try tmux.waitFor("Grafana unreachable")

        running = try await RunningEndpoint.start(try grafana.endpoint(), host: "127.0.0.1", port: port, logger: logger)
        #expect(try await createUser("carol@example.com", url: url, token: token) == 201)
        _ = try tmux.waitForAbsence("Grafana unreachable")
        try tmux.press("3")
        let requests = try tmux.waitFor("502")
        #expect(requests.contains("201") && requests.contains("…/Users"), "\(requests)")
        await running.stop()
    }
}
