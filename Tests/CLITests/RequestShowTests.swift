import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// `requests show ID [--curl]`: an exchange in full, or a curl command that
/// sends it again and runs as is once `GRAFANA_TOKEN` is set; the token
/// itself is written nowhere.
@Suite("requests show", .serialized)
struct RequestShowTests {
    typealias CLI = CommandLineTests

    /// Runs `script` in bash with `environment` added, and gives its stdout.
    static func bash(_ script: String, environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theCurlCommandSendsTheRequestAgain() async throws {
        let dir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        try #require(!url.isEmpty)
        #expect(try await createUser("o'brien@example.com", url: url, token: token) == 201)
        // The log's writer batches: wait for the exchange to be written.
        var listed: [Substring] = []
        for _ in 0..<100 where listed.isEmpty {
            listed = try CLI.run(["requests", "list", "--data-dir", dir]).stdout.split(separator: "\n").dropFirst().map { $0 }
            if listed.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        let id = try #require(listed.last?.split(separator: "\t").first.map(String.init))

        let shown = try CLI.run(["requests", "show", id, "--data-dir", dir])
        #expect(shown.status == 0)
        #expect(shown.stdout.hasPrefix("POST /apis/scim.grafana.app/v0alpha1/namespaces/default/Users\n"), "\(shown.stdout)")
        #expect(shown.stdout.contains(#""userName":"o'brien@example.com""#) && shown.stdout.contains("\n201 · "))

        let curl = try CLI.run(["requests", "show", id, "--curl", "--data-dir", dir])
        #expect(curl.status == 0, "\(curl.stderr)")
        #expect(curl.stdout.contains(#"-H "Authorization: Bearer $GRAFANA_TOKEN""#), "\(curl.stdout)")
        #expect(!curl.stdout.contains(token) && !curl.stdout.contains("[redacted]"))
        // Sent again as is: the user exists now, so Grafana's answer is a 409 uniqueness error.
        let again = try Self.bash(curl.stdout, environment: ["GRAFANA_TOKEN": token])
        #expect(again.contains(#""status":"409""#) && again.contains(#""scimType":"uniqueness""#), "\(again)")

        let missing = try CLI.run(["requests", "show", "999999", "--data-dir", dir])
        PlainWordsTests.plain(missing, "an id not in the log")
        #expect(missing.stderr.contains("There is no request 999999 in the log"))
    }
}
