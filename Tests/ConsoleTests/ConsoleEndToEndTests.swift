import Directory
import Foundation
import Testing
import TmuxTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
import TestSupport
#endif

/// The console for real: the binary in tmux on a fresh data dir with its
/// embedded endpoint, the simulator as Okta, a deactivation by keys, and
/// the endpoint's answer over HTTP.
@Suite("Console end to end (tmux)", .serialized)
struct ConsoleEndToEndTests {
    static let binary = TmuxSession.builtExecutable("scim-console")

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func provisionWatchAndDeactivateByHand() async throws {
        let dir = ScratchFolder.path("e2e")
        let token = try Self.run(["token", "create", "--data-dir", dir]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("glsa_"))
        let tmux = try TmuxSession([Self.binary, "--data-dir", dir, "--port", "0", "--enable-scim", "--skip-setup"], width: 120, height: 34)
        defer { tmux.close() }
        let screen = try tmux.waitFor("No users provisioned yet")
        let url = try #require(screen.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/apis\/scim\.grafana\.app\/v0alpha1\/namespaces\/default/)
            .map { String($0.output) })

        let simulation = try Self.run(["simulate", "--url", url, "--token", token, "--users", "6", "--groups", "2", "--rate", "0"])
        #expect(simulation.contains("0 answers not as Okta expects"))
        try tmux.waitFor("Users (6/6)")
        try tmux.waitFor("Zoë Müller")
        try tmux.press("2")
        try tmux.waitFor("Teams (2/2)")
        try tmux.press("3")
        try tmux.waitUntil("requests listed") { $0.contains("Requests (") && $0.contains("Okta") && $0.contains("POST") }

        // Deactivate Grace… no: the first simulated user, found with the filter.
        try tmux.press("1", "/")
        try tmux.type("chloe")
        try tmux.waitFor("</chloe>")
        try tmux.press("Enter", "d")
        try tmux.waitFor("Deactivate chloe.dubois")
        try tmux.press("y")
        try tmux.waitFor("Deactivated chloe.dubois")

        let directory = try Directory(path: "\(dir)/\(Directory.fileName)")
        let chloe = try #require(try directory.listUsers(.init(count: 100)).items.first { $0.userName.hasPrefix("chloe.dubois") })
        var request = URLRequest(url: URL(string: "\(url)/Users/\(chloe.id)")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let body = String(decoding: data, as: UTF8.self)
        #expect(body.contains("\"active\":false"))

        // The request detail shows headers and bodies, redacted: never the token or a password.
        try tmux.press("3")
        try tmux.waitFor("Requests (")
        try tmux.press("Enter")
        let detail = try tmux.waitFor("authorization: Bearer")
        #expect(detail.contains("Bearer [redacted]"))
        #expect(!detail.contains(String(token.dropFirst(5).prefix(32))))

        try tmux.press("q")
        try tmux.waitFor("Quit scim-console?")
        try tmux.press("y")
        #expect(try tmux.waitForExit() == 0)
        #expect(tmux.terminalRestored)
    }
}
