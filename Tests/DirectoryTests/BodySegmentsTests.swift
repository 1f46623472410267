import Foundation
import GRDB
import Testing
@testable import Directory
import TestSupport

/// Large response bodies are logged into segment files beside the request
/// log (`BodySegments`), read back whole, and removed with the exchanges
/// that point into them.
@Suite("Request log body segments")
struct BodySegmentsTests {
    static func entry(_ path: String, bodyBytes: Int, fill: Character = "x") -> LoggedRequest {
        var entry = RequestLogFileTests.entry(path)
        entry.responseBody = #"{"fill":""# + String(repeating: fill, count: max(0, bodyBytes - 11)) + #""}"#
        return entry
    }

    static func directory(capacity: Int = 10_000, segmentBytes: Int = BodySegments.defaultSegmentLimit) throws -> Directory {
        let folder = URL(fileURLWithPath: ScratchFolder.make("body-segments"))
        return try Directory(path: folder.appendingPathComponent(Directory.fileName).path,
                             requestLogCapacity: capacity, requestBodySegmentBytes: segmentBytes)
    }

    /// Where each exchange's response body is: inline text, or a segment and offset.
    static func stored(_ directory: Directory) throws -> [Int64: (inline: String, segment: Int64?)] {
        try directory.requestLog.pool.read { db in
            var found: [Int64: (String, Int64?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, response_body, response_segment FROM request_body") {
                found[row["id"]] = (row["response_body"], row["response_segment"])
            }
            return found
        }
    }

    @Test func aLargeBodyIsWrittenBesideTheLogAndReadBackWhole() throws {
        let directory = try Self.directory()
        let small = Self.entry("/small", bodyBytes: BodySegments.threshold - 1)
        let large = Self.entry("/large", bodyBytes: 54_000, fill: "é")
        let ids = try directory.requestLog.log([small, large])
        let stored = try Self.stored(directory)
        #expect(stored[ids[0]]?.inline == small.responseBody && stored[ids[0]]?.segment == nil, "a small body stays in the database")
        #expect(stored[ids[1]]?.inline == "" && stored[ids[1]]?.segment == ids[1], "a large body starts the first segment")
        #expect(try directory.requestLog.entry(id: ids[1])?.responseBody == large.responseBody)
        #expect(try directory.requestLog.entry(id: ids[0])?.responseBody == small.responseBody)
        #expect(try directory.requestLog.recent(limit: 2).map(\.responseBody) == [large.responseBody, small.responseBody])
        #expect(directory.requestLog.bodies.segments() == [ids[1]])
    }

    /// As the log drops its oldest exchanges, the segments they alone pointed into go too;
    /// every kept exchange still reads its own body.
    @Test func segmentsGoWithTheExchangesThatUsedThem() throws {
        let capacity = 10
        let directory = try Self.directory(capacity: capacity, segmentBytes: 20_000)
        var bodies: [Int64: String] = [:]
        for batch in 0..<20 {
            let entries = (0..<3).map { Self.entry("/\(batch)/\($0)", bodyBytes: 6_000 + batch * 10 + $0) }
            for (id, entry) in zip(try directory.requestLog.log(entries), entries) { bodies[id] = entry.responseBody }
        }
        let kept = try directory.requestLog.recent(limit: 100)
        #expect(kept.count == capacity)
        for request in kept { #expect(request.responseBody == bodies[request.id]) }
        let inUse = Set(try Self.stored(directory).values.compactMap(\.segment))
        let onDisk = directory.requestLog.bodies.segments()
        // Every segment in use is there; besides them at most one spare (`anUnusedSegmentIsWrittenOverAsTheNext`).
        #expect(inUse.isSubset(of: Set(onDisk)))
        #expect(onDisk.count <= inUse.count + 1, "segments on disk \(onDisk), in use \(inUse.sorted())")
        #expect(onDisk.count < 20, "old segments were removed")
    }

    /// A writer keeps one of its unused segments as a spare and renames it to be its next,
    /// writing over it: the same file (its pages still cached) under the new first id. Every
    /// kept exchange reads its own body, never the older records left past the new ones.
    @Test func anUnusedSegmentIsWrittenOverAsTheNext() throws {
        let capacity = 6
        let directory = try Self.directory(capacity: capacity, segmentBytes: 20_000)
        /// Each segment on disk and its file's inode.
        func onDisk() -> [Int64: UInt] {
            var found: [Int64: UInt] = [:]
            for segment in directory.requestLog.bodies.segments() {
                var status = stat()
                if stat(directory.requestLog.bodies.path(of: segment), &status) == 0 { found[segment] = UInt(status.st_ino) }
            }
            return found
        }
        var bodies: [Int64: String] = [:]
        var before = onDisk()
        var renamed = 0
        for batch in 0..<30 {
            // Longer records first, shorter later: a reused segment's new records end before its old ones did.
            let entries = (0..<3).map { Self.entry("/\(batch)/\($0)", bodyBytes: 9_000 - batch * 100 + $0, fill: batch % 2 == 0 ? "a" : "b") }
            for (id, entry) in zip(try directory.requestLog.log(entries), entries) { bodies[id] = entry.responseBody }
            let now = onDisk()
            // A new segment that is a file which was on disk under another name a moment ago: the spare,
            // renamed. (A new file cannot be: the files it could share an inode with were all still there.)
            for (segment, inode) in now where before[segment] == nil {
                if before.contains(where: { $0.value == inode && now[$0.key] == nil }) { renamed += 1 }
            }
            before = now
            for request in try directory.requestLog.recent(limit: 100) { #expect(request.responseBody == bodies[request.id]) }
        }
        #expect(try directory.requestLog.recent(limit: 100).count == capacity)
        #expect(renamed >= 10, "\(renamed) segments were a renamed spare")
        // On disk: the segments in use and at most one spare.
        let inUse = Set(try Self.stored(directory).values.compactMap(\.segment))
        #expect(directory.requestLog.bodies.segments().count <= inUse.count + 1)
    }

    /// A body whose segment was removed, or whose record is torn or someone else's, reads as
    /// gone, never as other bytes.
    @Test func aMissingOrDamagedBodyReadsAsGone() throws {
        let directory = try Self.directory()
        let ids = try directory.requestLog.log([Self.entry("/a", bodyBytes: 9_000), Self.entry("/b", bodyBytes: 9_000, fill: "y")])
        let segment = try #require(directory.requestLog.bodies.segments().first)
        let path = directory.requestLog.bodies.path(of: segment)
        // Cut inside the second record: the first still reads, the second is torn.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(truncate(path, off_t(size - 100)) == 0)
        #expect(try directory.requestLog.entry(id: ids[0])?.responseBody == Self.entry("/a", bodyBytes: 9_000).responseBody)
        #expect(try directory.requestLog.entry(id: ids[1])?.responseBody == RequestLog.bodyGoneNotice)
        // A row pointing at another exchange's record (a copied or mixed-up file) is not shown its bytes.
        try directory.requestLog.pool.write { db in
            let offset = try Int64.fetchOne(db, sql: "SELECT response_offset FROM request_body WHERE id = ?", arguments: [ids[0]])
            try db.execute(sql: "UPDATE request_body SET response_offset = ? WHERE id = ?", arguments: [offset, ids[1]])
        }
        #expect(try directory.requestLog.entry(id: ids[1])?.responseBody == RequestLog.bodyGoneNotice)
        // A header whose length was overwritten is not believed (nothing of 4 GB is read).
        let copy = try #require(FileManager.default.contents(atPath: path))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 4)
        try handle.write(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        try handle.close()
        #expect(try directory.requestLog.entry(id: ids[0])?.responseBody == RequestLog.bodyGoneNotice)
        #expect(FileManager.default.createFile(atPath: path, contents: copy))
        #expect(try directory.requestLog.entry(id: ids[0])?.responseBody == Self.entry("/a", bodyBytes: 9_000).responseBody)
        #expect(unlink(path) == 0)
        #expect(try directory.requestLog.entry(id: ids[0])?.responseBody == RequestLog.bodyGoneNotice)
        // Logging goes on in a new segment.
        let next = try directory.requestLog.log(Self.entry("/c", bodyBytes: 5_000))
        #expect(try directory.requestLog.entry(id: next)?.responseBody == Self.entry("/c", bodyBytes: 5_000).responseBody)
    }

    /// Where no segment can be written (here a file stands where the folder would be), a
    /// large body stays in the database: the exchange is still logged whole.
    @Test func aBodyNoSegmentCanTakeStaysInTheDatabase() throws {
        let directory = try Self.directory()
        #expect(FileManager.default.createFile(atPath: directory.requestLog.bodies.folder, contents: Data("not a folder".utf8)))
        let entry = Self.entry("/large", bodyBytes: 30_000)
        let id = try directory.requestLog.log(entry)
        #expect(try Self.stored(directory)[id]?.segment == nil)
        #expect(try directory.requestLog.entry(id: id)?.responseBody == entry.responseBody)
    }

    /// Two processes logging into one data directory (the console and `serve`) each append
    /// to segments of their own; every exchange reads back its own body from either.
    @Test func twoWritersShareNoSegment() throws {
        let first = try Self.directory(segmentBytes: 30_000)
        let second = try Directory(path: first.path, requestBodySegmentBytes: 30_000)
        var bodies: [Int64: String] = [:]
        for round in 0..<8 {
            for (n, directory) in [first, second].enumerated() {
                let entry = Self.entry("/\(round)/\(n)", bodyBytes: 7_000 + round * 100 + n, fill: n == 0 ? "a" : "b")
                bodies[try directory.requestLog.log(entry)] = entry.responseBody
            }
        }
        for reader in [first, second] {
            for request in try reader.requestLog.recent(limit: 100) { #expect(request.responseBody == bodies[request.id]) }
        }
        #expect(first.requestLog.bodies.segments().count >= 4)
    }

    /// A writer whose segment another removed while it was idle (every record in it had left
    /// the log) starts a new one instead of appending where no one can read.
    @Test func aWriterWhoseSegmentWasRemovedStartsAnother() throws {
        let idle = try Self.directory(capacity: 4, segmentBytes: 20_000)
        let busy = try Directory(path: idle.path, requestLogCapacity: 4, requestBodySegmentBytes: 20_000)
        let first = try idle.requestLog.log(Self.entry("/idle", bodyBytes: 6_000))
        for n in 0..<12 { try busy.requestLog.log(Self.entry("/busy/\(n)", bodyBytes: 6_000)) }
        #expect(!idle.requestLog.bodies.segments().contains(first), "the busy writer removed the idle one's segment")
        let entry = Self.entry("/idle/again", bodyBytes: 6_000, fill: "z")
        let again = try idle.requestLog.log(entry)
        #expect(try busy.requestLog.entry(id: again)?.responseBody == entry.responseBody)
    }

    /// A log from before v4 keeps its bodies in the database, and new large ones go beside it.
    @Test func aLogFromBeforeTheSegmentsKeepsItsBodies() throws {
        let folder = URL(fileURLWithPath: ScratchFolder.make("log-v3"))
        let path = folder.appendingPathComponent(Directory.fileName).path
        let large = Self.entry("/old", bodyBytes: 20_000).responseBody
        do {
            let old = try DatabaseQueue(path: path + Directory.requestLogSuffix)
            try RequestLogSchema.migrator.migrate(old, upTo: "v3")
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO request_log (id, time, method, path, query, status, duration, client, user_agent, search)
                    VALUES (5, 1.5, 'GET', '/Users', '', 200, 0.01, '10.0.0.1', 'Okta', 'get /users');
                    INSERT INTO request_body (id, request_headers, request_body, response_body) VALUES (5, '', '', ?)
                    """, arguments: [large])
            }
        }
        let directory = try Directory(path: path)
        #expect(try directory.requestLog.entry(id: 5)?.responseBody == large)
        let next = try directory.requestLog.log(Self.entry("/new", bodyBytes: 20_000))
        #expect(try Self.stored(directory)[next]?.segment == next)
        #expect(try directory.requestLog.entry(id: next)?.responseBody == Self.entry("/new", bodyBytes: 20_000).responseBody)
    }
}
