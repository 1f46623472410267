import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Testing
import TestSupport
@testable import Directory

/// Writers never checkpoint (their commits would pay for it); the
/// checkpointer does, while the Directory's service runs, and starts the log
/// over once it is long.
@Suite("WAL checkpoints off the request path")
struct WALCheckpointerTests {
    /// Frames in the log (`mxFrame`) and frames copied back (`nBackfill`), read from the
    /// wal-index header in the `-shm` file (SQLite's file format, "WAL-index format"):
    /// reading them so checkpoints nothing, unlike asking `PRAGMA wal_checkpoint`.
    static func logFrames(_ path: String) throws -> (log: UInt32, copied: UInt32) {
        let header = try #require(FileManager.default.contents(atPath: path + "-shm")?.prefix(136))
        func u32(_ at: Int) -> UInt32 { header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) } }
        return (u32(16), u32(96))
    }

    /// Runs `body` while a `DirectoryService` runs in a group of its own, then
    /// shuts the group down gracefully (which closes the Directory).
    static func whileServing(_ directory: Directory, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [DirectoryService(directory)], logger: Logger(label: "test")))
        async let running: Void = group.run()
        do {
            // The checkpointers are at work before the body starts writing.
            while !directory.checkpointers.allSatisfy(\.isRunning) { try await Task.sleep(for: .milliseconds(5)) }
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            try? await running
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running
    }

    @Test func theLogIsCopiedBackAndStartedOverByTheCheckpointer() async throws {
        let directory = try makeDirectory(requestLogCapacity: 100_000)
        try await Self.whileServing(directory) {
        // Log entries a little past the request log's restart threshold (16 MiB), in one commit, so the
        // checkpointer cannot start the log over while they are written. Request bodies: a large
        // response body is written beside the log (`BodySegments`).
        let body = String(repeating: "x", count: 60_000)
        let count = Int(WALCheckpointer.backgroundRestartBytes) * 11 / 10 / 60_000 + 1
        let restartFrames = UInt32(WALCheckpointer.backgroundRestartBytes / Int64(RequestLogSchema.pageSize))
        try directory.requestLog.log((0..<count).map { i in
            LoggedRequest(time: Date(), method: "GET", path: "/\(i)", query: "", status: 200, duration: 0,
                          client: "", userAgent: "", requestHeaders: [], requestBody: body, responseBody: "",
                          resourceID: nil)
        })
        let logPath = directory.path + Directory.requestLogSuffix
        #expect(try Self.logFrames(logPath).log >= restartFrames, "no commit checkpointed on its own")
        // The checkpointer wakes every 0.2 s; after it copied and restarted, the next commit writes from the top.
        var frames = UInt32.max
        for _ in 0..<50 where frames >= 100 {
            try await Task.sleep(for: .milliseconds(100))
            try directory.requestLog.log(LoggedRequest(time: Date(), method: "GET", path: "/after", query: "", status: 200, duration: 0,
                                            client: "", userAgent: "", requestHeaders: [], requestBody: "", responseBody: "",
                                            resourceID: nil))
            frames = try Self.logFrames(logPath).log
        }
        #expect(frames < 100, "the log was started over")
        }
    }

    /// Under writes that never pause the log is still started over: the
    /// checkpointer's catch-up rounds end, and its restart goes ahead, even
    /// while commits keep adding to the log.
    @Test func theLogIsStartedOverWhileWritesContinue() async throws {
        let directory = try makeDirectory(requestLogCapacity: 100_000)
        try await Self.whileServing(directory) {
        let logPath = directory.path + Directory.requestLogSuffix
        let restartFrames = UInt32(WALCheckpointer.backgroundRestartBytes / Int64(RequestLogSchema.pageSize))
        let body = String(repeating: "y", count: 60_000)
        var longest: UInt32 = 0
        var restarted = false
        let deadline = ContinuousClock.now + .seconds(20)
        // Ten entries (about ten 64 KiB pages) per commit, one commit after another.
        while !restarted, ContinuousClock.now < deadline {
            try directory.requestLog.log((0..<10).map { i in
                LoggedRequest(time: Date(), method: "GET", path: "/\(i)", query: "", status: 200, duration: 0,
                              client: "", userAgent: "", requestHeaders: [], requestBody: body, responseBody: "",
                              resourceID: nil)
            })
            let frames = try Self.logFrames(logPath).log
            if longest >= restartFrames, frames < longest { restarted = true }
            longest = max(longest, frames)
        }
        #expect(longest >= restartFrames, "the log grew past the restart threshold")
        #expect(restarted, "the log was started over while commits continued")
        }
    }

    /// A graceful shutdown of the service's group writes what was queued and
    /// closes the Directory: an exchange queued just before is in the log
    /// when the data dir is opened again.
    @Test func theServiceWritesWhatWasQueuedThenCloses() async throws {
        let directory = try makeDirectory()
        try await Self.whileServing(directory) {
            directory.requestLog.logSoon(LoggedRequest(
                time: Date(), method: "GET", path: "/queued", query: "", status: 200, duration: 0, client: "",
                userAgent: "", requestHeaders: [], requestBody: "", responseBody: "", resourceID: nil))
        }
        #expect(throws: (any Error).self, "closed") { try directory.userCount() }
        let reopened = try Directory(path: directory.path)
        defer { try? reopened.close() }
        #expect(try reopened.requestLog.recent(limit: 1).first?.path == "/queued")
    }

    /// The request log's file has 64 KiB pages: one page (one WAL frame) holds
    /// a logged list page's body, where 4 KiB pages took fourteen.
    @Test func theRequestLogHasLargePages() throws {
        let directory = try makeDirectory()
        let pageSize = try directory.requestLog.read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
        #expect(pageSize == RequestLogSchema.pageSize)
        let directoryPageSize = try directory.read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
        #expect(directoryPageSize == 4096)
    }
}
