import Foundation
import GRDB
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// `scim-console recover` on a damaged data dir: it says what came back,
/// `doctor` passes afterwards, and `serve` answers every page. Refused while
/// something serves the data dir; nothing to do on a whole one.
@Suite("Recover", .serialized)
struct RecoverCommandTests {
    typealias CLI = CommandLineTests

    @Test func recoverThenDoctorPassesAndServeAnswersEveryPage() async throws {
        let dir = try await ScratchDataDirectory.damaged(users: 800)
        #expect(try CLI.run(["doctor", "--data-dir", dir]).status == 1)

        let recover = try CLI.run(["recover", "--data-dir", dir])
        #expect(recover.status == 0, "\(recover.stderr)")
        let lines = recover.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Recovered ") == true && lines.first?.contains(" of 800 users, 0 of 0 teams") == true,
                "\(recover.stdout)")
        #expect(lines.contains { $0.hasPrefix("The damaged database is kept as \(dir)/scim-console.sqlite.damaged-") })
        #expect(lines.last == "Check it with scim-console doctor.")
        let recovered = try #require(lines.first.flatMap { Int($0.dropFirst("Recovered ".count).prefix { $0.isNumber }) })
        #expect(recovered > 0 && recovered < 800, "a third of the file was overwritten: \(recover.stdout)")

        let doctor = try CLI.run(["doctor", "--data-dir", dir])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        let again = try CLI.run(["recover", "--data-dir", dir])
        #expect(again.status == 0 && again.stdout.contains("there is nothing to recover"), "\(again.stdout)")

        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        try #require(!url.isEmpty)
        var seen = 0
        for start in stride(from: 1, through: 801, by: 100) {
            var request = URLRequest(url: URL(string: "\(url)/Users?startIndex=\(start)&count=100")!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (body, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "page at \(start)")
            let page = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            #expect(page?["totalResults"] as? Int == recovered)
            seen += (page?["Resources"] as? [Any])?.count ?? 0
        }
        #expect(seen == recovered)
        #expect(try await createUser("after.recovery@example.com", url: url, token: token) == 201)

        let refused = try CLI.run(["recover", "--data-dir", dir])
        #expect(refused.status == 1)
        #expect(refused.stderr == "scim-console: scim-console is serving \(dir) (the console or serve): stop it, then recover.\n")
    }

    @Test func nothingReadableIsOneSentenceAndChangesNothing() throws {
        let dir = CLI.tempDir()
        _ = try CLI.run(["token", "create", "--data-dir", dir])
        let path = "\(dir)/scim-console.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        // The header and the schema page gone: not even the list of tables reads.
        let file = try #require(FileHandle(forWritingAtPath: path))
        file.write(Data(repeating: 0x5A, count: 8192))
        try file.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let run = try CLI.run(["recover", "--data-dir", dir])
        PlainWordsTests.plain(run, "recover")
        #expect(run.stderr.contains("Nothing can be recovered from \(path)"), "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(!names.contains { $0.contains("damaged-") || $0.contains("recovering-") }, "\(names)")
    }
}
