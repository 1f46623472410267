import Foundation
import GRDB

/// What `scim-console doctor` finds in a data directory's storage: the
/// Directory's database and the request log's (SQLite's integrity check, and
/// whether this build knows their migrations), the request log's body
/// segments, and the credentials stamp. Each finding says, in plain words,
/// what holds or what is wrong. Read-only: nothing is opened for writing.
public enum DataDirectoryCheck {
    public struct Finding: Sendable, Equatable {
        public var ok: Bool
        public var text: String

        init(_ ok: Bool, _ text: String) {
            self.ok = ok
            self.text = text
        }
    }

    /// The findings for the database at `path` (`scim-console.sqlite`) and the files beside it.
    public static func run(databaseAt path: String) -> [Finding] {
        var findings: [Finding] = []
        findings.append(database(path, name: "The database", migrations: DirectorySchema.migrator.migrations))
        let log = path + Directory.requestLogSuffix
        if FileManager.default.fileExists(atPath: log) {
            findings.append(database(log, name: "The request log", migrations: RequestLogSchema.migrator.migrations))
            findings.append(bodies(log: log, folder: path + Directory.requestBodiesSuffix))
        }
        findings.append(stamp(path + Directory.credentialsEpochSuffix))
        return findings
    }

    static func readOnly(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// SQLite's integrity check of one database, and whether this build knows its migrations.
    static func database(_ path: String, name: String, migrations: [String]) -> Finding {
        let file = (path as NSString).lastPathComponent
        do {
            let queue = try readOnly(path)
            defer { try? queue.close() }
            return try queue.read { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                if !problems.isEmpty {
                    return Finding(false, "\(name) (\(file)) is damaged: SQLite's integrity check found \(problems.count) "
                        + "problem\(problems.count == 1 ? "" : "s"): \(StorageErrorText.damageRemedy).")
                }
                let applied = try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                let unknown = applied.subtracting(migrations)
                if !unknown.isEmpty {
                    return Finding(false, "\(name) (\(file)) was changed by a newer scim-console: use that version with it.")
                }
                return Finding(true, "\(name) (\(file)) passes SQLite's integrity check.")
            }
        } catch where StorageErrorText.isDamage(error) {
            return Finding(false, "\(name) (\(file)) is damaged: \(StorageErrorText.remedy(error) ?? "").")
        } catch {
            return Finding(false, "\(name) (\(file)) cannot be read: \(StorageErrorText.sentence(error))")
        }
    }

    /// Every response body the request log points into a segment file for: that the file is there and long enough.
    static func bodies(log: String, folder: String) -> Finding {
        do {
            let queue = try readOnly(log)
            defer { try? queue.close() }
            let rows = try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT response_segment, MAX(response_offset) FROM request_body
                    WHERE response_segment IS NOT NULL GROUP BY response_segment
                    """)
            }
            guard !rows.isEmpty else { return Finding(true, "The request log keeps no body files.") }
            let segments = BodySegments(folder: folder)
            var missing = 0
            for row in rows {
                let segment: Int64 = row[0], offset: Int64 = row[1]
                var st = stat()
                if stat(segments.path(of: segment), &st) != 0 || Int64(st.st_size) <= offset { missing += 1 }
            }
            if missing > 0 {
                return Finding(false, "\(missing) of the request log's \(rows.count) body files are missing or cut short: "
                    + "those responses show as no longer on disk. Nothing else depends on them.")
            }
            return Finding(true, "The request log's \(rows.count) body file\(rows.count == 1 ? " is" : "s are") whole.")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            return Finding(true, "The request log keeps no body files.")
        } catch {
            return Finding(false, "The request log's body files cannot be checked: \(StorageErrorText.sentence(error))")
        }
    }

    /// The stamp every serving process maps: eight bytes, readable and writable by its owner only.
    static func stamp(_ path: String) -> Finding {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return Finding(true, "There is no credentials stamp yet; the first process to serve makes it.")
        }
        if st.st_size != 8 {
            return Finding(false, "The credentials stamp (\((path as NSString).lastPathComponent)) is \(st.st_size) bytes, "
                + "not 8: remove it while nothing serves, and the next start makes it anew.")
        }
        if st.st_mode & 0o077 != 0 {
            return Finding(false, "The credentials stamp can be read by others: chmod 600 \(path).")
        }
        return Finding(true, "The credentials stamp is whole.")
    }
}

extension Directory {
    /// Files up to this size are checked when opened, before anything is
    /// served; larger ones in the background (`quick_check` reads every page).
    public static let checkAtOnceBytes: Int64 = 200 << 20

    /// The database's size on disk, its write-ahead log included.
    public var sizeOnDisk: Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            var st = stat()
            return total + (stat(file, &st) == 0 ? Int64(st.st_size) : 0)
        }
    }

    /// Runs `quickCheck` on the Directory's thread pool; if it finds damage,
    /// `damageFound` says how much and `.databaseDamaged` is published. For a
    /// database too large to check before serving (`checkAtOnceBytes`).
    public func checkInBackground() {
        runBlocking { [self] active in
            guard active else { return }
            let problems: Int
            do { problems = try quickCheck() } catch {
                guard StorageErrorText.isDamage(error) else { return }
                problems = 1
            }
            guard problems > 0 else { return }
            damage.store(problems, ordering: .releasing)
            events.publish(.databaseDamaged(problems: problems))
        }
    }

    /// How many problems the background check found (0: none, or not checked).
    public var damageFound: Int { damage.load(ordering: .acquiring) }

    /// SQLite's `quick_check` of the database: how many problems it found
    /// (0: none). It reads every page, but checks less than `integrity_check`
    /// (no index against its table), in a fraction of the time.
    public func quickCheck() throws -> Int {
        try read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }.count }
    }

    /// SQLite's full integrity check (indexes against their tables too), as `doctor` runs it: the problems found.
    public func integrityCheck() throws -> Int {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }.count }
    }
}
