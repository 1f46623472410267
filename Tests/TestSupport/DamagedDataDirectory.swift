import Directory
import Foundation
import GRDB

extension ScratchDataDirectory {
    /// A data directory with `users` users (and a token named `before-the-damage`)
    /// whose database file, checkpointed, then has its middle third
    /// overwritten with random bytes: what touches those pages fails with
    /// `SQLITE_CORRUPT`, what does not still reads. Closed; open it again at `folder`.
    public static func damaged(users: Int = 800) async throws -> String {
        let data = try make("damaged")
        _ = try data.adminToken(named: "before-the-damage")
        for i in 0..<users {
            _ = try data.directory.createUser(["userName": .string("user\(i)@example.com"),
                                               "displayName": .string("User \(i), a name long enough to fill pages")])
        }
        let path = data.directory.path
        try data.directory.close()
        let queue = try DatabaseQueue(path: path)
        try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard let file = FileHandle(forWritingAtPath: path), size > 0 else { throw CocoaError(.fileNoSuchFile) }
        try file.seek(toOffset: UInt64(size / 3))
        file.write(Data((0..<(size / 3)).map { _ in UInt8.random(in: 0...255) }))
        try file.close()
        return data.folder
    }
}
