import Foundation
import Hummingbird
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// `serve --relay-to`: Okta's SCIM passed to a real Grafana (a second
/// `scim-console serve` stands in for it) and its answers passed back,
/// every exchange logged, the token kept nowhere; 502 when Grafana is down,
/// 504 when it is slow, without holding up other requests.
@Suite("Relay", .serialized)
struct RelayTests {
    typealias CLI = CommandLineTests
    static let path = "/apis/scim.grafana.app/v0alpha1/namespaces/default"

    /// METHOD PATH STATUS of each exchange in a data dir's request log, oldest first.
    static func exchanges(_ dir: String) throws -> [String] {
        try CLI.run(["requests", "list", "--data-dir", dir, "--limit", "1000"]).stdout.split(separator: "\n").dropFirst()
            .map { $0.split(separator: "\t") }.filter { $0.count >= 5 }
            .map { "\($0[2]) \($0[3]) \($0[4])" }
    }

    static func get(_ url: String, token: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
    }

    @Test func theSimulatorThroughTheRelayGetsWhatGrafanaAnswers() async throws {
        let grafanaDir = CLI.tempDir(), relayDir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", grafanaDir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (grafana, grafanaURL) = try CLI.serve(["--data-dir", grafanaDir, "--port", "0", "--enable-scim"])
        defer { if grafana.isRunning { grafana.terminate(); grafana.waitUntilExit() } }
        let (relay, relayURL) = try CLI.serve(["--data-dir", relayDir, "--port", "0", "--relay-to", grafanaURL])
        defer { if relay.isRunning { relay.terminate(); relay.waitUntilExit() } }
        try #require(!grafanaURL.isEmpty && !relayURL.isEmpty)

        let sim = try CLI.run(["simulate", "--url", relayURL, "--token", token, "--users", "12", "--groups", "3", "--rate", "0"])
        #expect(sim.status == 0, "no answer Okta would not expect: \(sim.stdout)\(sim.stderr)")
        // Without the token, Grafana's own 401 comes back as it was.
        let refused = try await Self.get("\(relayURL)/Users")
        #expect(refused.status == 401 && refused.body.contains("Authentication required"), "\(refused)")

        relay.terminate(); relay.waitUntilExit()
        grafana.terminate(); grafana.waitUntilExit()
        // Every exchange the relay logged is one Grafana answered, with the same status.
        let relayed = try Self.exchanges(relayDir), answered = try Self.exchanges(grafanaDir)
        #expect(relayed.count > 12 && relayed == answered, "relay: \(relayed)\ngrafana: \(answered)")
        // Grafana's own time is logged beside the whole exchange's.
        let logged = try #require(try JSONSerialization.jsonObject(with: Data(
            CLI.run(["requests", "list", "--json", "--data-dir", relayDir, "--limit", "1000"]).stdout.utf8)) as? [[String: Any]])
        #expect(!logged.isEmpty && logged.allSatisfy { entry in
            guard let upstream = entry["upstreamMs"] as? Double, let total = entry["durationMs"] as? Double else { return false }
            return upstream > 0 && upstream <= total
        }, "\(logged.map { ($0["upstreamMs"] ?? "none", $0["durationMs"] ?? "none") })")
        let users = try CLI.run(["users", "list", "--data-dir", grafanaDir]).stdout
        #expect(users.contains("@example.com"), "Grafana holds what the simulator made: \(users)")
        #expect(try CLI.run(["users", "list", "--data-dir", relayDir]).stdout.contains("@example.com") == false,
                "the relay keeps no users of its own")
        // The token is in no file of the relay's data dir.
        let files = FileManager.default.enumerator(atPath: relayDir)?.compactMap { $0 as? String } ?? []
        for file in files {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: "\(relayDir)/\(file)"))) ?? Data()
            #expect(data.range(of: Data(token.utf8)) == nil, "the token is in \(file)")
        }
    }

    @Test func grafanaDownIs502AndItRecoversWhenGrafanaReturns() async throws {
        let grafanaDir = CLI.tempDir(), relayDir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", grafanaDir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var (grafana, grafanaURL) = try CLI.serve(["--data-dir", grafanaDir, "--port", "0", "--enable-scim"])
        let port = try #require(URL(string: grafanaURL)?.port)
        let (relay, relayURL) = try CLI.serve(["--data-dir", relayDir, "--port", "0", "--relay-to", grafanaURL])
        defer { if relay.isRunning { relay.terminate(); relay.waitUntilExit() } }
        #expect(try await Self.get("\(relayURL)/Users", token: token).status == 200)

        grafana.terminate(); grafana.waitUntilExit()
        let down = try await Self.get("\(relayURL)/Users", token: token)
        #expect(down.status == 502, "\(down)")
        #expect(down.body.contains("urn:ietf:params:scim:api:messages:2.0:Error")
                && down.body.contains("could not reach Grafana at 127.0.0.1:\(port)"), "\(down.body)")

        (grafana, grafanaURL) = try CLI.serve(["--data-dir", grafanaDir, "--port", "\(port)", "--enable-scim"])
        defer { if grafana.isRunning { grafana.terminate(); grafana.waitUntilExit() } }
        #expect(try await Self.get("\(relayURL)/Users", token: token).status == 200, "back once Grafana is")
    }

    /// The order answers came in.
    final class Order: Sendable {
        private let names = Mutex<[String]>([])
        func append(_ name: String) { names.withLock { $0.append(name) } }
        var all: [String] { names.withLock { $0 } }
    }

    /// A Grafana that answers one path late and the others at once: the
    /// others are answered while the late one waits for its 504.
    @Test func aSlowAnswerIs504WhileOthersAreServed() async throws {
        let router = Router()
        router.get("\(Self.path)/Slow") { _, _ -> String in
            try? await Task.sleep(for: .seconds(20))
            return "{}"
        }
        router.get("\(Self.path)/Fast") { _, _ -> String in "{}" }
        let bound = Mutex<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in bound.withLock { $0 = channel.localAddress?.port } })
        let slowGrafana = Task { try await app.runService() }
        defer { slowGrafana.cancel() }
        let deadline = ContinuousClock.now + .seconds(20)
        while bound.withLock({ $0 }) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let port = try #require(bound.withLock { $0 })

        let (relay, relayURL) = try CLI.serve(["--data-dir", CLI.tempDir(), "--port", "0", "--relay-to",
                                               "http://127.0.0.1:\(port)\(Self.path)", "--relay-timeout", "5"])
        defer { if relay.isRunning { relay.terminate(); relay.waitUntilExit() } }
        try #require(!relayURL.isEmpty)
        let order = Order()
        async let slow = { () async throws -> (Int, String) in
            let answer = try await Self.get("\(relayURL)/Slow")
            order.append("slow")
            return answer
        }()
        try await Task.sleep(for: .milliseconds(200))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    let fast = try await Self.get("\(relayURL)/Fast")
                    #expect(fast.status == 200 && fast.body == "{}")
                    order.append("fast")
                }
            }
            try await group.waitForAll()
        }
        let (status, body) = try await slow
        #expect(status == 504 && body.contains("did not answer within 5 s"), "\(status) \(body)")
        #expect(order.all == ["fast", "fast", "fast", "fast", "fast", "slow"], "served while the slow one waited")
    }
}
