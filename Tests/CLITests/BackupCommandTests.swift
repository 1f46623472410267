import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// `backup` while `serve` writes, `restore` refused while it serves and done once it stopped.
@Suite("Backup and restore", .serialized)
struct BackupCommandTests {
    typealias CLI = CommandLineTests

    @Test func backupWhileServingThenRestoreOnceStopped() async throws {
        let dir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        try #require(!url.isEmpty)
        for n in 0..<5 { #expect(try await createUser("before\(n)@example.com", url: url, token: token) == 201) }
        let file = "\(CLI.tempDir())/copy.sqlite"
        // Taken while creates are being answered.
        async let during = withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<20 { group.addTask { try await createUser("during\(n)@example.com", url: url, token: token) } }
            return try await group.reduce(0) { $0 + ($1 == 201 ? 1 : 0) }
        }
        let backup = try CLI.run(["backup", "--data-dir", dir, "--to", file])
        #expect(try await during == 20)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.hasPrefix("Backed up "), "\(backup.stdout)")
        #expect(try await createUser("after@example.com", url: url, token: token) == 201)

        let refused = try CLI.run(["restore", "--data-dir", dir, "--from", file])
        #expect(refused.status == 1)
        #expect(refused.stderr == "scim-console: scim-console is serving \(dir) (the console or serve): stop it, then restore.\n")

        server.terminate()
        server.waitUntilExit()
        let restore = try CLI.run(["restore", "--data-dir", dir, "--from", file])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.hasPrefix("Restored "), "\(restore.stdout)")
        let users = try CLI.run(["users", "list", "--data-dir", dir]).stdout
        for n in 0..<5 { #expect(users.contains("before\(n)@example.com")) }
        #expect(!users.contains("after@example.com"))
        let garbage = try CLI.run(["restore", "--data-dir", dir, "--from", "\(dir)/grafana.ini"])
        #expect(garbage.status == 1)
        #expect(garbage.stderr.split(separator: "\n").count == 1 && garbage.stderr.contains("cannot be restored"), "\(garbage.stderr)")
    }
}
