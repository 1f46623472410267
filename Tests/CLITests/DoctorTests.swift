import Foundation
import Testing
import TestSupport

/// `scim-console doctor`: all well on a fresh data dir, and each problem named.
@Suite("Doctor", .serialized)
struct DoctorTests {
    typealias CLI = CommandLineTests

    @Test func aHealthyDataDirIsAllWell() throws {
        let dir = CLI.tempDir()
        _ = try CLI.run(["token", "create", "--data-dir", dir])
        let run = try CLI.run(["doctor", "--data-dir", dir])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("✓ The database (scim-console.sqlite) passes SQLite's integrity check."))
        #expect(run.stdout.hasSuffix("All is well in \(dir).\n"), "\(run.stdout)")
    }

    @Test func eachProblemIsNamedAndTheExitStatusIsOne() async throws {
        let folder = try await ScratchDataDirectory.damaged()
        // An admin password file others can read.
        FileManager.default.createFile(atPath: "\(folder)/admin-password", contents: Data("secret".utf8),
                                       attributes: [.posixPermissions: 0o644])
        let run = try CLI.run(["doctor", "--data-dir", folder])
        #expect(run.status == 1)
        #expect(run.stdout.contains("✗ The database (scim-console.sqlite) is damaged"), "\(run.stdout)")
        #expect(run.stdout.contains("✗ The admin password file can be read by others: chmod 600 \(folder)/admin-password."),
                "\(run.stdout)")
        #expect(run.stdout.contains("✓ The request log (scim-console.sqlite-requests) passes SQLite's integrity check."))
        #expect(run.stdout.hasSuffix("2 problems in \(folder).\n"), "\(run.stdout)")
        #expect(!run.stdout.contains("SQLite error") && !run.stdout.contains("SELECT"))
    }
}
