import Foundation
import GRDB
import SCIM
import Synchronization
import Testing
import TestSupport
@testable import Directory

/// Copies of the database: online backups, their restore, and the copy a
/// migration takes first.
@Suite("Backups")
struct BackupTests {
    static func create(_ directory: Directory, _ name: String) async throws {
        _ = try await directory.batched { try $0.createUser(["userName": .string(name)]) }
    }

    static func userNames(in path: String) throws -> Set<String> {
        var config = Configuration()
        config.readonly = true
        let copy = try DatabaseQueue(path: path, configuration: config)
        defer { try? copy.close() }
        return Set(try copy.read { try String.fetchAll($0, sql: "SELECT user_name FROM users") })
    }

    /// A backup taken while creates go on is whole, and holds every create
    /// acknowledged before it began.
    @Test func aBackupTakenWhileWritesGoOnHoldsEveryAcknowledgedWrite() async throws {
        let directory = try makeDirectory()
        let acknowledged = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
        let writer = Task {
            var n = 0
            while !stop.load(ordering: .acquiring) {
                let name = "writer\(n)@example.com"
                try await Self.create(directory, name)
                acknowledged.withLock { $0.append(name) }
                n += 1
            }
        }
        while acknowledged.withLock({ $0.count }) < 200 { try await Task.sleep(for: .milliseconds(5)) }
        let before = acknowledged.withLock { $0 }
        let file = ScratchFolder.path("backup") + ".sqlite"
        try directory.backup(to: file)
        stop.store(true, ordering: .releasing)
        try await writer.value
        let contents = try Directory.inspectCopy(at: file)  // integrity_check among its checks
        let names = try Self.userNames(in: file)
        #expect(before.allSatisfy(names.contains), "\(before.filter { !names.contains($0) }.prefix(3)) missing")
        #expect(contents.users == names.count && names.count >= before.count)
        var st = stat()
        #expect(stat(file, &st) == 0 && st.st_mode & 0o777 == 0o600)
    }

    /// Restore puts the backup's state back and keeps the replaced database aside.
    @Test func restoreBringsTheBackupBack() async throws {
        let data = try ScratchDataDirectory.make("restore", enableSCIM: false)
        try await Self.create(data.directory, "kept@example.com")
        let file = ScratchFolder.path("backup") + ".sqlite"
        try data.directory.backup(to: file)
        try await Self.create(data.directory, "after@example.com")
        let path = data.directory.path
        try data.directory.close()
        let (aside, contents) = try Directory.restore(from: file, into: path)
        #expect(contents.users == 1 && contents.tokens == 0)
        let restored = try Directory(path: path)
        defer { try? restored.close() }
        #expect(try restored.user(named: "kept@example.com") != nil)
        #expect(try restored.user(named: "after@example.com") == nil)
        #expect(try Self.userNames(in: aside).contains("after@example.com"))
    }

    @Test func restoreRefusesWhatIsNotAWholeCopy() throws {
        let garbage = ScratchFolder.path("garbage")
        try Data("not a database at all, just some bytes".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: (any Error).self) { try Directory.inspectCopy(at: garbage) }
        let other = ScratchFolder.path("other") + ".sqlite"
        let queue = try DatabaseQueue(path: other)
        try queue.write { try $0.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try queue.close()
        #expect { try Directory.inspectCopy(at: other) } throws: { error in
            (error as? Directory.CopyProblem)?.description == "it is not a scim-console database"
        }
        // Nothing was replaced: the refused restore leaves the database where it was.
        let directory = try makeDirectory()
        let path = directory.path
        try directory.close()
        #expect(throws: (any Error).self) { try Directory.restore(from: other, into: path) }
        #expect(FileManager.default.fileExists(atPath: path))
    }

    /// An older database is copied before a migration changes it; the newest three copies are kept.
    @Test func aMigrationCopiesTheDatabaseFirstAndKeepsThree() throws {
        let folder = ScratchFolder.make("migration")
        let path = "\(folder)/\(Directory.fileName)"
        let old = try DatabasePool(path: path)
        try DirectorySchema.migrator.migrate(old, upTo: "v5")
        try old.write { try $0.execute(sql: "INSERT INTO settings (key, value) VALUES ('marker', 'v5')") }
        try old.close()
        let directory = try Directory(path: path)
        try directory.close()
        let backups = path + MigrationBackups.suffix
        let names = try FileManager.default.contentsOfDirectory(atPath: backups)
        #expect(names.count == 1 && names[0].hasSuffix("-before-v6.sqlite"), "\(names)")
        let copy = try DatabaseQueue(path: "\(backups)/\(names[0])")
        #expect(try copy.read { try String.fetchOne($0, sql: "SELECT value FROM settings WHERE key = 'marker'") } == "v5")
        #expect(try copy.read { try DirectorySchema.migrator.appliedIdentifiers($0) }.contains("v6") == false)
        try copy.close()
        // Opened again, nothing more to migrate: no new copy.
        try Directory(path: path).close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups).count == 1)
        for stamp in ["20200101-000000", "20210101-000000", "20220101-000000"] {
            FileManager.default.createFile(atPath: "\(backups)/\(stamp)-before-v2.sqlite", contents: Data())
        }
        MigrationBackups.prune(backups)
        let kept = try FileManager.default.contentsOfDirectory(atPath: backups).sorted()
        #expect(kept.count == 3 && kept.contains(names[0]) && !kept.contains("20200101-000000-before-v2.sqlite"), "\(kept)")
    }
}

/// The background check a large database gets while it serves.
@Suite("Damage found in the background")
struct BackgroundCheckTests {
    @Test func aDamagedDatabaseIsReportedOnceChecked() async throws {
        let folder = try await ScratchDataDirectory.damaged()
        let directory = try Directory(path: "\(folder)/\(Directory.fileName)")
        defer { try? directory.close() }
        let events = directory.events.subscribe()
        #expect(directory.damageFound == 0)
        directory.checkInBackground()
        var found: Int?
        for await event in events {
            if case .databaseDamaged(let problems) = event { found = problems; break }
        }
        #expect((found ?? 0) > 0)
        #expect(directory.damageFound == found)
    }

    @Test func aWholeDatabaseIsNot() async throws {
        let directory = try makeDirectory()
        _ = try directory.createUser(["userName": "whole@example.com"])
        #expect(try directory.quickCheck() == 0)
    }
}
