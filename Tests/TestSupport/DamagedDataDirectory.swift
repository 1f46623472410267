import Directory
import Foundation
import GRDB
import SCIM

extension ScratchDataDirectory {
    /// A data directory with `users` users (and a token named `before-the-damage`)
    /// whose database file, checkpointed, then has its middle third
    /// overwritten with random bytes: what touches those pages fails with
    /// `SQLITE_CORRUPT`, what does not still reads. Closed; open it again at `folder`.
    public static func damaged(users: Int = 800) async throws -> String {
        try await damaged(users: users, teams: 0, damage: 1.0 / 3 ..< 2.0 / 3)
    }

    /// A data directory with `users` users, `teams` teams of up to 40
    /// members each, and a token named `before-the-damage`, whose
    /// checkpointed database then has the `damage` share of its bytes
    /// (a range of fractions of its size, whole pages) overwritten with
    /// random bytes. Closed; open it again at `folder`.
    public static func damaged(users: Int, teams: Int, damage: Range<Double>) async throws -> String {
        let data = try make("damaged")
        _ = try data.adminToken(named: "before-the-damage")
        var ids: [String] = []
        for i in 0..<users {
            ids.append(try data.directory.createUser(["userName": .string("user\(i)@example.com"),
                                                      "displayName": .string("User \(i), a name long enough to fill pages")]).id)
        }
        for t in 0..<teams {
            let members = stride(from: t, to: ids.count, by: max(1, teams)).prefix(40)
                .map { JSONValue.object(["value": .string(ids[$0])]) }
            _ = try data.directory.createGroup(["displayName": .string("Team \(t)"), "members": .array(members)])
        }
        let path = data.directory.path
        try data.directory.close()
        let queue = try DatabaseQueue(path: path)
        try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let pageSize = try await queue.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } ?? 4096
        try queue.close()
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard let file = FileHandle(forWritingAtPath: path), size > 0 else { throw CocoaError(.fileNoSuchFile) }
        let first = Int(Double(size) * damage.lowerBound) / pageSize * pageSize
        let end = Int(Double(size) * damage.upperBound) / pageSize * pageSize
        try file.seek(toOffset: UInt64(first))
        file.write(Data((first..<max(first + pageSize, end)).map { _ in UInt8.random(in: 0...255) }))
        try file.close()
        return data.folder
    }
}
