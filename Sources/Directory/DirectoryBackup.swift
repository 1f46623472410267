import Foundation
import GRDB

/// Copies of the Directory's database: online backups (`backup(to:)`), their
/// restore (`restore(from:into:)`), and the copy taken before a schema
/// migration (`MigrationBackups`). A copy holds users, teams, members,
/// service accounts, token hashes and settings: everything but the request
/// log, which is a record of traffic, not state.
extension Directory {
    /// Writes a copy of the database to `path`, online: one consistent
    /// snapshot (SQLite's backup API, from a read transaction), while writers
    /// go on. Written beside `path` and renamed into place, mode 0600, so a
    /// failed backup leaves no half-written file under that name.
    public func backup(to path: String) throws {
        try Self.copy(from: pool, to: path)
    }

    /// The counts a copy holds, for saying what was backed up or restored.
    public struct CopyContents: Sendable, Equatable {
        public var users: Int
        public var teams: Int
        public var memberships: Int
        public var tokens: Int
    }

    /// Checks that `path` is a whole copy of a Directory this build can open
    /// (`integrity_check`, the Directory's tables, no migration this build
    /// does not know) and says what it holds.
    public static func inspectCopy(at path: String) throws -> CopyContents {
        var config = Configuration()
        config.readonly = true
        do {
            let copy = try DatabaseQueue(path: path, configuration: config)
            defer { try? copy.close() }
            return try contents(of: copy)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {  // not SQLite's at all
            throw CopyProblem("it is not a scim-console database")
        }
    }

    private static func contents(of copy: DatabaseQueue) throws -> CopyContents {
        try copy.read { db in
            guard try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" else {
                throw CopyProblem("it is damaged (SQLite's integrity check failed)")
            }
            guard try db.tableExists("users"), try db.tableExists("groups"), try db.tableExists("tokens") else {
                throw CopyProblem("it is not a scim-console database")
            }
            let known = Set(DirectorySchema.migrator.migrations)
            let applied = try DirectorySchema.migrator.appliedIdentifiers(db)
            guard applied.isSubset(of: known) else {
                throw CopyProblem("it was made by a newer scim-console; use that version to restore it")
            }
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return CopyContents(users: try count("users"), teams: try count("groups"), memberships: try count("members"),
                                tokens: try count("tokens"))
        }
    }

    /// Why a file cannot be restored from, in words for a person.
    public struct CopyProblem: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Replaces the database at `path` with the copy at `backup`, which must
    /// pass `inspectCopy`. Nothing may have the database open. The database
    /// it replaces (with its `-wal` and `-shm`) is moved aside, named with
    /// the time, and its path returned; the copy is then migrated if it is
    /// older, and every process's cached credentials are forgotten (the
    /// copy's tokens are not the ones they checked). Returns where the
    /// replaced database went and what the copy held.
    @discardableResult
    public static func restore(from backup: String, into path: String,
                               now: Date = Date()) throws -> (aside: String, contents: CopyContents) {
        let contents = try inspectCopy(at: backup)
        let aside = "\(path).before-restore-\(Self.stamp(now))"
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            try fm.moveItem(atPath: path, toPath: aside)
            for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
                try fm.moveItem(atPath: path + suffix, toPath: aside + suffix)
            }
        }
        var config = Configuration()
        config.readonly = true
        let source = try DatabaseQueue(path: backup, configuration: config)
        defer { try? source.close() }
        try copy(from: source, to: path)
        let restored = try Directory(path: path)
        restored.credentialsEpoch.bump()
        try restored.close()
        return (aside, contents)
    }

    /// `yyyyMMdd-HHmmss`, UTC: names that sort by time.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    /// Copies `source` into a new file at `path` through a temporary name beside it.
    static func copy(from source: some DatabaseReader, to path: String) throws {
        let temporary = "\(path).partial-\(getpid())"
        let fm = FileManager.default
        try? fm.removeItem(atPath: temporary)
        do {
            let target = try DatabaseQueue(path: temporary)
            try source.backup(to: target)
            try target.close()
            chmod(temporary, 0o600)
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
    }
}

/// The copies taken before a schema migration changes the database, in a
/// folder beside it (`scim-console.sqlite-backups/`): the newest three are kept.
enum MigrationBackups {
    static let suffix = "-backups"
    static let kept = 3

    /// Copies the database before `migration` runs on it, then removes all
    /// but the newest `kept` copies. Returns the copy's path.
    @discardableResult
    static func take(of pool: DatabasePool, path: String, before migration: String, now: Date = Date()) throws -> String {
        let folder = path + suffix
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let copy = "\(folder)/\(Directory.stamp(now))-before-\(migration).sqlite"
        try Directory.copy(from: pool, to: copy)
        prune(folder)
        return copy
    }

    /// Removes all but the newest `kept` copies (their names sort by time).
    static func prune(_ folder: String) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".sqlite") }.sorted()
        for name in names.dropLast(kept) { try? FileManager.default.removeItem(atPath: "\(folder)/\(name)") }
    }
}
