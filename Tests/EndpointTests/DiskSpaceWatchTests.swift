import Endpoint
import Foundation
import GRDB
import Logging
import Synchronization
import Testing
import TestSupport
@testable import Directory

/// What `serve`'s log says of a full disk: once when it fills, a count each
/// report period while it stays full (when writes were refused in it), once
/// when it has room again; never a line per refused write.
@Suite("Disk space in the server log")
struct DiskSpaceWatchTests {
    /// Keeps every line logged through it.
    final class Lines: LogHandler, @unchecked Sendable {
        let lines = Mutex<[(Logger.Level, String)]>([])
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            lines.withLock { $0.append((level, message.description)) }
        }
        var all: [(Logger.Level, String)] { lines.withLock { $0 } }
    }

    @Test func fullOnceThenACountThenRoomAgain() async throws {
        let directory = try makeDirectory()
        let handler = Lines()
        let logger = Logger(label: "test") { _ in handler }
        let watch = DiskSpaceWatch(directory, logger: logger, reportEvery: .milliseconds(400), lookEvery: .milliseconds(20))
        let running = Task { await watch.run() }
        defer { running.cancel() }
        let full = DatabaseError(resultCode: .SQLITE_FULL)
        for _ in 0..<50 { directory.diskSpace.noteFailure(full) }
        try await Self.waitUntil { handler.all.count == 1 }
        #expect(handler.all.first?.0 == .error && handler.all.first?.1.contains("disk is full") == true, "\(handler.all)")
        for _ in 0..<7 { directory.diskSpace.noteFailure(full) }
        try await Self.waitUntil { handler.all.contains { $0.0 == .warning } }
        let counts = handler.all.filter { $0.0 == .warning }.map(\.1)
        #expect(counts.first?.contains("still full: 7 writes refused") == true, "\(counts)")
        directory.diskSpace.noteCommit()
        try await Self.waitUntil { handler.all.last?.0 == .notice }
        #expect(handler.all.last?.1.contains("has room again") == true, "\(handler.all)")
        // 57 refused writes, and a handful of lines for them.
        #expect(directory.diskSpace.refusedWrites == 57 && handler.all.count == 3, "\(handler.all)")
    }

    /// Waits up to 10 s for `condition` (the watch looks every 20 ms, but a loaded machine runs it late).
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }
}
