import Foundation
import GRDB
import SCIM
import Testing
@testable import Directory
import TestSupport

/// `Directory.recover`: every row SQLite can still reach by its key comes
/// back, in a database that passes the integrity check and serves every page.
@Suite("Recovering a damaged database")
struct RecoveryTests {
    /// What a point lookup by key can still read in the damaged file: the
    /// rows recovery must bring back.
    struct Readable {
        var users: Set<Int64> = []
        var teams: Set<Int64> = []
        var members: Set<[Int64]> = []
        var tokens: Set<Int64> = []

        init(_ path: String, users: Int, teams: Int) throws {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.inDatabase { db in
                func reads(_ sql: String, _ arguments: StatementArguments) -> Bool {
                    (try? Row.fetchOne(db, sql: sql, arguments: arguments)) != nil
                }
                for seq in 1...Int64(users) where reads("SELECT * FROM users NOT INDEXED WHERE seq = ?", [seq]) {
                    self.users.insert(seq)
                }
                for seq in 1...Int64(teams) where reads("SELECT * FROM groups NOT INDEXED WHERE seq = ?", [seq]) {
                    self.teams.insert(seq)
                }
                for team in 1...Int64(teams) {
                    for user in 1...Int64(users)
                    where reads("SELECT * FROM members NOT INDEXED WHERE group_seq = ? AND user_seq = ?", [team, user]) {
                        members.insert([team, user])
                    }
                }
                for id in 1...Int64(10) where reads("SELECT * FROM tokens NOT INDEXED WHERE id = ?", [id]) {
                    tokens.insert(id)
                }
            }
        }
    }

    static func keys(_ path: String) throws -> (users: Set<Int64>, teams: Set<Int64>, members: Set<[Int64]>, tokens: Set<Int64>) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            (Set(try Int64.fetchAll(db, sql: "SELECT seq FROM users")), Set(try Int64.fetchAll(db, sql: "SELECT seq FROM groups")),
             Set(try Row.fetchAll(db, sql: "SELECT group_seq, user_seq FROM members").map { [$0[0], $0[1]] as [Int64] }),
             Set(try Int64.fetchAll(db, sql: "SELECT id FROM tokens")))
        }
    }

    @Test(arguments: [0.30 ..< 0.36, 0.80 ..< 0.83])
    func everyRowStillReadableComesBack(damage: Range<Double>) async throws {
        let (userCount, teamCount) = (1500, 30)
        let folder = try await ScratchDataDirectory.damaged(users: userCount, teams: teamCount, damage: damage)
        let path = "\(folder)/\(Directory.fileName)"
        #expect(Directory.needsRecovery(databaseAt: path))
        let readable = try Readable(path, users: userCount, teams: teamCount)

        let recovery = try #require(try Directory.recover(databaseAt: path))

        let back = try Self.keys(path)
        #expect(back.users.symmetricDifference(readable.users).isEmpty, "\(back.users.symmetricDifference(readable.users).sorted())")
        #expect(back.teams == readable.teams)
        let reachable = readable.members.filter { back.teams.contains($0[0]) && back.users.contains($0[1]) }
        let (extra, missing) = (back.members.subtracting(reachable), reachable.subtracting(back.members))
        #expect(extra.isEmpty && missing.isEmpty, "extra: \(extra.sorted { $0.lexicographicallyPrecedes($1) }), missing: \(missing.sorted { $0.lexicographicallyPrecedes($1) })")
        #expect(back.tokens == readable.tokens)
        #expect(recovery.users == .init(recovered: readable.users.count, counted: userCount))
        #expect(recovery.teams == .init(recovered: readable.teams.count, counted: teamCount))
        #expect(recovery.memberships.recovered == reachable.count && recovery.tokens.recovered == readable.tokens.count)
        #expect(recovery.aside.map { FileManager.default.fileExists(atPath: $0) } == true, "the damaged file is kept")
        #expect(recovery.requestLog == nil, "the request log was whole and is left alone")
        print("recover (\(damage)): \(readable.users.count) of \(userCount) users, \(readable.teams.count) of \(teamCount) teams, "
            + "\(reachable.count) memberships, \(readable.tokens.count) tokens")

        #expect(!Directory.needsRecovery(databaseAt: path))
        let findings = DataDirectoryCheck.run(databaseAt: path)
        #expect(findings.allSatisfy { $0.ok }, "\(findings)")
        // Every page reads again, with counts that add up, and the copy takes writes.
        let directory = try Directory(path: path)
        defer { try? directory.close() }
        var seen = 0
        var start = 1
        while true {
            let page = try directory.listUsers(ListQuery(startIndex: start, count: 100))
            #expect(page.totalResults == readable.users.count)
            seen += page.items.count
            if page.items.count < 100 { break }
            start += 100
        }
        #expect(seen == readable.users.count)
        _ = try directory.createUser(["userName": "after.recovery@example.com"])
        #expect(try directory.userCount() == readable.users.count + 1)
        #expect(try directory.user(named: "after.recovery@example.com") != nil)
    }

    @Test func aWholeDatabaseNeedsNone() throws {
        let data = try ScratchDataDirectory.make("whole")
        _ = try data.directory.createUser(["userName": "whole@example.com"])
        try data.directory.close()
        let path = data.directory.path
        #expect(!Directory.needsRecovery(databaseAt: path))
        let before = try FileManager.default.contentsOfDirectory(atPath: data.folder).sorted()
        #expect(try Directory.recover(databaseAt: path) == nil, "a whole database is left alone")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.folder).sorted() == before)
    }

    /// A damaged request log alone is rebuilt; the database is left as it is.
    @Test func aDamagedRequestLogAloneIsRebuilt() async throws {
        let data = try ScratchDataDirectory.make("log")
        _ = try data.directory.createUser(["userName": "kept@example.com"])
        for i in 0..<60 { try data.directory.requestLog.log((0..<50).map { RequestLogFileTests.entry("/\(i)/\($0)") }) }
        let path = data.directory.path
        try data.directory.close()
        let log = path + Directory.requestLogSuffix
        let queue = try DatabaseQueue(path: log)
        try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let pageSize = try #require(try await queue.read { try Int.fetchOne($0, sql: "PRAGMA page_size") })
        try queue.close()
        // Two whole pages in the middle: their headers go too, which SQLite's checks see.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        let file = try #require(FileHandle(forWritingAtPath: log))
        try file.seek(toOffset: UInt64(size / 2 / pageSize * pageSize))
        file.write(Data((0..<2 * pageSize).map { _ in UInt8.random(in: 0...255) }))
        try file.close()
        #expect(Directory.needsRecovery(databaseAt: path))

        let recovery = try #require(try Directory.recover(databaseAt: path))
        #expect(recovery.aside == nil)
        #expect(recovery.users == .init(recovered: 1, counted: 1))
        let rows = try #require(recovery.requestLog?.rows)
        #expect(rows.recovered > 0 && rows.recovered <= 3000, "\(rows)")
        #expect(!Directory.needsRecovery(databaseAt: path))
        let findings = DataDirectoryCheck.run(databaseAt: path)
        #expect(findings.allSatisfy { $0.ok }, "\(findings)")
        let directory = try Directory(path: path)
        defer { try? directory.close() }
        #expect(try directory.requestLog.count() == rows.recovered)
        #expect(try directory.user(named: "kept@example.com") != nil)
    }
}
