import Foundation
import GRDB
import Synchronization

/// The request log's large bodies, in append-only files beside the log's
/// database (`scim-console.sqlite-requests-bodies/`).
///
/// A list page's answer is about 54 KB. Kept in the log's SQLite file, each
/// one would be copied into the record, into a 64 KiB page, check-summed
/// into the write-ahead log, read back and written again by the checkpoint,
/// and its page freed and rewritten when it fell off the log's end. Here a
/// body is one `pwritev` after a segment file's last record; the row keeps where.
/// A segment is removed whole once no kept exchange points into it (the log
/// keeps only the newest `RequestLog.capacity`), except that a writer keeps
/// one of its own unused segments as a spare and renames it to be its next
/// segment, writing over it from the start: its pages are still in the page
/// cache, and writing over them is cheaper than a new file's pages,
/// allocated on write and freed on removal.
///
/// Each record is framed so that a damaged or missing one reads as gone
/// rather than as someone else's bytes: a header (`magic`, the body's
/// length, the exchange's id), the body, and the id again. Nothing is
/// synced, as with the log's database (`synchronous = NORMAL`): after a
/// power loss a row may outlive its body, which then reads as gone.
///
/// A record past the end of what a reused segment's new records cover is an
/// older exchange's, which no row points to at that name; a reader checks the
/// id in the record's header and trailer, and after reading that the file is
/// still the segment it opened (a segment is renamed before it is written
/// over), so it never returns bytes of the wrong exchange.
///
/// Writes happen inside the log's write transaction, so one process writes
/// at a time; each process writes only to segments it created or renamed
/// from its own spare (named by the id of their first exchange, `O_EXCL`
/// when created), so two processes logging into one data directory never
/// share a file.
public final class BodySegments: Sendable {
    /// The folder of segment files.
    public let folder: String
    /// Bodies shorter than this stay in the log's database: a small body
    /// shares its page with others, and a file record would cost more.
    public static let threshold = 4096
    /// A segment takes records until it holds this much, then the next
    /// record starts a new one: about 1,200 list pages. Segments are removed
    /// whole, so the folder holds up to one segment more than the kept
    /// exchanges fill.
    public static let defaultSegmentLimit = 64 << 20
    let segmentLimit: Int
    /// The longest body a record holds (logged bodies are cut at 64 KiB): a
    /// longer one stays in the database, and a header claiming more is damaged.
    static let maximumBody = 16 << 20
    static let magic: UInt32 = 0x3142_4353  // "SCB1", little-endian
    static let headerSize = 16
    static let trailerSize = 8
    static let fileSuffix = ".bodies"

    /// Where a record was written: the segment (its first exchange's id) and the record's offset.
    public struct Location: Equatable, Sendable {
        public var segment: Int64
        public var offset: Int64
    }

    private struct Current {
        var segment: Int64
        var descriptor: Int32
        /// Where the next record goes: the bytes this segment's own records fill.
        var size: Int
    }
    private struct State {
        var current: Current?
        /// Segments this writer started, while on disk.
        var mine: Set<Int64> = []
        /// One of `mine` that no kept exchange points into, to be renamed and written over.
        var spare: Int64?
    }
    private let state = Mutex(State())

    public init(folder: String, segmentLimit: Int = defaultSegmentLimit) {
        self.folder = folder
        self.segmentLimit = segmentLimit
    }

    deinit { close() }

    /// Closes the segment being written; the next append opens it again.
    func close() {
        state.withLock { state in
            if let c = state.current { Glibc.close(c.descriptor) }
            state.current = nil
        }
    }

    /// Appends `body` as exchange `id`'s. Returns whether this started a
    /// new segment, in which case the caller should `removeUnused` soon.
    func append(_ body: [UInt8], id: Int64) throws -> (location: Location, startedSegment: Bool) {
        guard body.count <= Self.maximumBody else { throw Failure.tooLong(body.count) }
        return try state.withLock { state in
            var started = false
            if state.current.map({ $0.size >= segmentLimit || Self.wasRemoved($0.descriptor) }) ?? true {
                if let old = state.current { Glibc.close(old.descriptor) }
                state.current = nil
                state.current = try startSegment(firstID: id, &state)
                state.mine.insert(id)
                started = true
            }
            let segment = state.current!
            let total = Self.headerSize + body.count + Self.trailerSize
            let written: Int = body.withUnsafeBufferPointer { bytes in
                var header = (Self.magic.littleEndian, UInt32(bytes.count).littleEndian, id.littleEndian)
                var trailer = id.littleEndian
                return withUnsafeBytes(of: &header) { h in
                    withUnsafeBytes(of: &trailer) { t in
                        var parts = [
                            iovec(iov_base: UnsafeMutableRawPointer(mutating: h.baseAddress), iov_len: Self.headerSize),
                            iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count),
                            iovec(iov_base: UnsafeMutableRawPointer(mutating: t.baseAddress), iov_len: Self.trailerSize),
                        ]
                        return pwritev(segment.descriptor, &parts, 3, off_t(segment.size))
                    }
                }
            }
            // A short write leaves a torn record that nothing points to; later records start after it.
            if written > 0 { state.current!.size += written }
            guard written == total else {
                throw Failure.cannotWrite(path(of: segment.segment), written < 0 ? errno : 0)
            }
            return (Location(segment: segment.segment, offset: Int64(segment.size)), started)
        }
    }

    /// A segment whose first record is exchange `firstID`'s: the spare renamed
    /// to it when there is one, or else a new file.
    private func startSegment(firstID: Int64, _ state: inout State) throws -> Current {
        if let spare = state.spare {
            state.spare = nil
            state.mine.remove(spare)
            // Another process may have removed it (it was unused): then a new file it is.
            if rename(path(of: spare), path(of: firstID)) == 0 {
                let descriptor = open(path(of: firstID), O_WRONLY | O_CLOEXEC)
                if descriptor >= 0 { return Current(segment: firstID, descriptor: descriptor, size: 0) }
                unlink(path(of: firstID))
            }
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let descriptor = open(path(of: firstID), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure.cannotCreate(path(of: firstID), errno) }
        return Current(segment: firstID, descriptor: descriptor, size: 0)
    }

    /// Whether the file open at `descriptor` was removed: another process
    /// removes a segment once every record in it has left the log, which may
    /// happen while this process is idle, and records appended to it then
    /// could never be read.
    private static func wasRemoved(_ descriptor: Int32) -> Bool {
        var status = stat()
        return fstat(descriptor, &status) != 0 || status.st_nlink == 0
    }

    /// The body exchange `id` stored at `location`, or nil when its segment
    /// is gone or the record there is not that exchange's whole.
    public func read(_ location: Location, id: Int64) -> [UInt8]? {
        let fd = open(path(of: location.segment), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var header = (UInt32(0), UInt32(0), Int64(0))
        guard withUnsafeMutableBytes(of: &header, { pread(fd, $0.baseAddress, Self.headerSize, off_t(location.offset)) })
                == Self.headerSize,
              UInt32(littleEndian: header.0) == Self.magic, Int64(littleEndian: header.2) == id
        else { return nil }
        let length = Int(UInt32(littleEndian: header.1))
        guard length <= Self.maximumBody else { return nil }
        let rest = length + Self.trailerSize
        var bytes = [UInt8](repeating: 0, count: rest)
        guard bytes.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, rest, off_t(location.offset) + off_t(Self.headerSize)) })
                == rest
        else { return nil }
        let trailer = bytes[length...].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
        guard Int64(littleEndian: trailer) == id else { return nil }
        // Still the file it opened: a segment reused as a spare is renamed before it is
        // written over, so had that begun, the name would be gone or another file's.
        var opened = stat(), named = stat()
        guard fstat(fd, &opened) == 0, stat(path(of: location.segment), &named) == 0,
              opened.st_ino == named.st_ino, opened.st_dev == named.st_dev
        else { return nil }
        bytes.removeLast(Self.trailerSize)
        return bytes
    }

    /// Removes the segments no kept exchange points into. Only segments
    /// that began before `oldestKept` are considered: a newer one may be
    /// another process's, whose rows are not committed yet. Runs inside the
    /// log's write transaction, so no other process adds rows meanwhile.
    func removeUnused(_ db: Database, oldestKept: Int64) throws {
        let inUse = Set(try Int64.fetchAll(db, cachedSQL: """
            SELECT DISTINCT response_segment FROM request_body WHERE response_segment IS NOT NULL
            """))
        state.withLock { state in
            for segment in segments()
            where segment < oldestKept && segment != state.current?.segment && segment != state.spare && !inUse.contains(segment) {
                if state.spare == nil, state.mine.contains(segment) {
                    state.spare = segment
                } else {
                    unlink(path(of: segment))
                    state.mine.remove(segment)
                }
            }
        }
    }

    /// The segments in the folder, by their first exchange's id.
    func segments() -> [Int64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name in
            name.hasSuffix(Self.fileSuffix) ? Int64(name.dropLast(Self.fileSuffix.count)) : nil
        }.sorted()
    }

    func path(of segment: Int64) -> String {
        // Zero-padded so that a listing sorts in order.
        let digits = String(segment)
        return folder + "/" + String(repeating: "0", count: max(0, 19 - digits.count)) + digits + Self.fileSuffix
    }

    enum Failure: Error, CustomStringConvertible {
        case cannotCreate(String, Int32)
        case cannotWrite(String, Int32)
        case tooLong(Int)

        var description: String {
            switch self {
            case let .tooLong(bytes): "A body of \(bytes) bytes is longer than a segment record may be (\(BodySegments.maximumBody))"
            case let .cannotCreate(path, code): "Cannot create \(path): \(String(cString: strerror(code)))"
            case let .cannotWrite(path, code): "Cannot write \(path): \(String(cString: strerror(code)))"
            }
        }
    }
}
