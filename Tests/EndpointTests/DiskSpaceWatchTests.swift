import Foundation
import GRDB
import Logging
import Synchronization
import Testing
import TestSupport
@testable import Directory
@testable import Endpoint

/// What `serve`'s log says of a full disk: once when it fills, a count each
/// report period while it stays full (when writes were refused in it), once
/// when it has room again; never a line per refused write.
@Suite("Disk space in the server log")
struct DiskSpaceWatchTests {
    let full = DatabaseError(resultCode: .SQLITE_FULL)

    @Test func fullOnceThenACountThenRoomAgain() throws {
        let directory = try makeDirectory()
        var report = DiskSpaceReport(reportEvery: .seconds(60))
        let start = ContinuousClock.now
        #expect(report.look(at: directory, now: start).isEmpty)

        for _ in 0..<50 { _ = directory.diskSpace.noteFailure(full) }
        let filled = report.look(at: directory, now: start + .seconds(1))
        #expect(filled.map(\.level) == [.error] && filled[0].text.contains("disk is full"), "\(filled)")

        for _ in 0..<7 { _ = directory.diskSpace.noteFailure(full) }
        #expect(report.look(at: directory, now: start + .seconds(30)).isEmpty, "no count before the period ends")
        let counted = report.look(at: directory, now: start + .seconds(61))
        #expect(counted.map(\.level) == [.warning] && counted[0].text.contains("still full: 7 writes refused"), "\(counted)")
        #expect(report.look(at: directory, now: start + .seconds(122)).isEmpty, "no count when nothing was refused")

        _ = directory.diskSpace.noteFailure(full)
        directory.diskSpace.noteCommit()
        let room = report.look(at: directory, now: start + .seconds(123))
        #expect(room.map(\.level) == [.notice] && room[0].text.contains("has room again") && room[0].text.contains("(1 more"), "\(room)")
        #expect(report.look(at: directory, now: start + .seconds(200)).isEmpty)
        #expect(directory.diskSpace.refusedWrites == 58)
    }

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

    @Test func theServiceSaysItInTheLog() async throws {
        let directory = try makeDirectory()
        let handler = Lines()
        let watch = DiskSpaceWatch(directory, logger: Logger(label: "test") { _ in handler }, lookEvery: .milliseconds(20))
        let running = Task { await watch.run() }
        defer { running.cancel() }
        _ = directory.diskSpace.noteFailure(full)
        // Generous: other tests may hold the cooperative threads for a while.
        let deadline = ContinuousClock.now + .seconds(90)
        while handler.all.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(handler.all.map(\.0) == [.error] && handler.all.first?.1.contains("disk is full") == true, "\(handler.all)")
    }
}
