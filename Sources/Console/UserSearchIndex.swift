import ConsoleQueries
import Directory
import Foundation
import Synchronization

/// Every user's filter text (a copy of the Directory's `user_search`) in
/// memory, so a filter typed on the Users tab is a byte search, not a scan
/// in SQL.
///
/// In SQL each key typed would be a scan of `user_search` plus the seqs it
/// matched read out of SQLite, several frames' budget over 100,000 users;
/// here it is a byte search. The copy costs about 75 bytes a user, is read
/// once, and follows the users that change from then on. It is read on a
/// thread of its own when the filter prompt opens (`prepare`), so the first
/// key typed, a tenth of a second or more later, finds it read; a key typed
/// sooner waits for the rest of the read.
final class UserSearchIndex {
    /// The records, one per user: its text with ASCII letters lowered (what
    /// SQLite's `LIKE` ignores the case of), then a 0 byte. A record written
    /// again in place may end in more 0 bytes.
    private var bytes: [UInt8] = []
    /// Where each record starts in `bytes`.
    private var starts: [Int] = []
    /// Each record's user; ascending over the first `ordered` records.
    private var seqs: [Int64] = []
    private var ordered = 0
    /// Users whose current record lies past the ordered ones: written again
    /// longer than before (the old record is zeroed) or created out of order.
    private var moved: [Int64: Int] = [:]
    /// Bytes of zeroed records: past a quarter of all, the copy is read anew.
    private var deadBytes = 0
    private var loaded = false
    /// Users changed since the copy was last brought up to date, or since its
    /// read in the background began.
    private var pending: Set<String> = []
    /// The copy being read in the background (`prepare`), taken by the next `update`.
    private var reading: BackgroundRead?
    /// Tests only: a read in the background waits for this before it starts,
    /// so a test can see what the console does while one is under way.
    var readGate: DispatchSemaphore?

    /// The records as read from the Directory, before they are the index's.
    struct Copy: Sendable {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var seqs: [Int64] = []
    }

    /// Past this many changed users, reading every text again is cheaper than looking them up.
    static let lookupLimit = 5_000

    /// What bringing the copy up to date did.
    enum Update: Equatable {
        case unchanged
        /// Read whole: every earlier answer is stale.
        case reloaded
        /// These users' texts were read again.
        case changed([Int64])
    }

    /// Whether a filter can be matched here: a record parts its user's fields
    /// with line feeds and ends in a 0 byte, so a filter holding a control
    /// character could match across them (the Directory matches those in SQL).
    static func needle(for filter: String) -> [UInt8]? {
        let needle = Array(filter.lowercased().utf8)
        return needle.isEmpty || needle.contains(where: { $0 < 0x20 }) ? nil : needle
    }

    /// A user changed (a directory event). A deleted user's record is not
    /// found by its id any more, so a deletion means reading the copy anew.
    func userChanged(id: String, change: DirectoryEvent.Change) {
        guard loaded || reading != nil else { return }
        if change == .deleted || pending.count >= Self.lookupLimit {
            forget()
        } else {
            pending.insert(id)
        }
    }

    /// Reads the copy whole at the next `update` (a read in the background is
    /// dropped). The old copy is let go now, so that two are never held at once.
    func forget() {
        loaded = false
        pending = []
        reading = nil
        (bytes, starts, seqs, moved, ordered, deadBytes) = ([], [], [], [:], 0, 0)
    }

    /// Starts reading the copy on a thread of its own, unless it is read or
    /// being read: a filter is about to be typed. Users that change from now
    /// on are looked at again once it is read, so none is missed whichever
    /// moment the read's snapshot falls at.
    func prepare(_ directory: Directory) {
        guard !loaded, reading == nil else { return }
        pending = []
        reading = BackgroundRead(directory, gate: readGate)
    }

    /// Whether a read begun by `prepare` is still going: `update` would wait for it.
    var isReading: Bool { reading.map { !$0.isDone } ?? false }

    /// Reads the copy whole the first time (or after a deletion), then only the texts of the users that changed.
    func update(_ directory: Directory) throws -> Update {
        if !loaded, let started = reading {
            reading = nil
            // A failed read is tried again here, where its error reaches the table.
            if let copy = started.wait() {
                adopt(copy)
                _ = try readPending(directory)
                return .reloaded
            }
        }
        if !loaded || deadBytes > bytes.count / 4 {
            adopt(try Self.read(directory, reserving: bytes.count))
            pending = []
            return .reloaded
        }
        guard !pending.isEmpty else { return .unchanged }
        return .changed(try readPending(directory))
    }

    /// Reads again the texts of the users that changed.
    private func readPending(_ directory: Directory) throws -> [Int64] {
        guard !pending.isEmpty else { return [] }
        var changed: [Int64] = []
        try directory.forEachUserSearchText(ids: Array(pending)) { seq, text in
            write(seq, text)
            changed.append(seq)
        }
        pending = []
        return changed
    }

    /// Every user's record, read from the Directory.
    static func read(_ directory: Directory, reserving capacity: Int = 0) throws -> Copy {
        // Gathered in locals, not in the properties: appending to a class's arrays from the
        // closure would check exclusive access four times a user.
        var bytes: [UInt8] = [], starts: [Int] = [], seqs: [Int64] = []
        bytes.reserveCapacity(capacity)
        try directory.forEachUserSearchText { seq, text in append(seq, text, to: &bytes, &starts, &seqs) }
        return Copy(bytes: bytes, starts: starts, seqs: seqs)
    }

    private func adopt(_ copy: Copy) {
        (bytes, starts, seqs) = (copy.bytes, copy.starts, copy.seqs)
        moved = [:]
        deadBytes = 0
        ordered = seqs.count
        loaded = true
    }

    private func append(_ seq: Int64, _ text: UnsafeBufferPointer<UInt8>) {
        Self.append(seq, text, to: &bytes, &starts, &seqs)
    }

    /// Adds user `seq`'s record: its text, ASCII lowered, then a 0 byte.
    private static func append(_ seq: Int64, _ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8],
                               _ starts: inout [Int], _ seqs: inout [Int64]) {
        let start = bytes.count
        starts.append(start)
        seqs.append(seq)
        bytes.append(contentsOf: text)
        bytes.append(0)
        bytes.withUnsafeMutableBufferPointer { all in
            for i in start..<(all.count - 1) { all[i] = lowered(all[i]) }
        }
    }

    /// The record of user `seq`, if it has one.
    private func record(of seq: Int64) -> Int? {
        if let at = moved[seq] { return at }
        let at = seqs[..<ordered].offset(ofFirstAtLeast: seq)
        return at < ordered && seqs[at] == seq ? at : nil
    }

    private func end(of record: Int) -> Int { record + 1 < starts.count ? starts[record + 1] : bytes.count }

    private func write(_ seq: Int64, _ text: UnsafeBufferPointer<UInt8>) {
        if let at = record(of: seq) {
            let start = starts[at], room = end(of: at) - start - 1
            if text.count <= room {
                // In place, the rest zeroed: a needle holds no 0 byte, so it never matches there.
                for (i, byte) in text.enumerated() { bytes[start + i] = Self.lowered(byte) }
                for i in (start + text.count)..<(start + room) { bytes[i] = 0 }
                return
            }
            for i in start..<(start + room) { bytes[i] = 0 }
            deadBytes += room + 1
        }
        if seqs.count == ordered, seq > (seqs.last ?? 0), moved[seq] == nil {
            append(seq, text)  // a user created since: its place in the order is the end
            ordered += 1
        } else {
            moved[seq] = seqs.count
            append(seq, text)
        }
    }

    @inline(__always) static func lowered(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// The seqs of every user whose text holds `needle` (from `needle(for:)`), ascending.
    func matches(_ needle: [UInt8]) -> [Int64] {
        var found: [Int64] = []
        bytes.withUnsafeBufferPointer { haystack in
            guard let base = haystack.baseAddress, !needle.isEmpty else { return }
            needle.withUnsafeBufferPointer { n in
                let count = haystack.count, first = Int32(n[0])
                var position = 0, record = 0
                while position + n.count <= count {
                    // memchr for the first byte, then compare: glibc's memmem is not in Swift's Glibc module.
                    guard let hit = memchr(base + position, first, count - position - n.count + 1) else { break }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    guard memcmp(base + at, n.baseAddress!, n.count) == 0 else {
                        position = at + 1
                        continue
                    }
                    while record + 1 < starts.count, starts[record + 1] <= at { record += 1 }
                    found.append(seqs[record])
                    record += 1
                    position = record < starts.count ? starts[record] : count
                }
            }
        }
        if ordered < seqs.count { found.sort() }
        return found
    }

    /// Whether user `seq`'s text holds `needle`; nil when there is no such user.
    func contains(_ needle: [UInt8], seq: Int64) -> Bool? {
        guard let at = record(of: seq) else { return nil }
        let text = bytes[starts[at]..<(end(of: at) - 1)]
        guard text.count >= needle.count else { return false }
        return text.withUnsafeBufferPointer { t in
            needle.withUnsafeBufferPointer { n in
                (0...(t.count - n.count)).contains { memcmp(t.baseAddress! + $0, n.baseAddress!, n.count) == 0 }
            }
        }
    }
}

/// One read of every user's record on the Directory's thread pool
/// (`UserSearchIndex.prepare`). Not a task: the console runs its tasks on the
/// embedded endpoint's event loops, which a 0.1 s read would hold up.
private final class BackgroundRead: Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private let copy = Mutex<UserSearchIndex.Copy?>(nil)
    private let done = Atomic<Bool>(false)

    init(_ directory: Directory, gate: DispatchSemaphore?) {
        directory.runBlocking { [self] active in
            _ = gate?.wait(timeout: .now() + 10)  // bounded: a test that never opens it fails, not hangs
            let read = active ? try? UserSearchIndex.read(directory) : nil
            copy.withLock { $0 = read }
            done.store(true, ordering: .releasing)
            finished.signal()
        }
    }

    /// Whether the read has ended (`wait` then returns at once).
    var isDone: Bool { done.load(ordering: .acquiring) }

    /// Waits for the read to end; nil when it failed.
    func wait() -> UserSearchIndex.Copy? {
        finished.wait()
        return copy.withLock { taken in
            defer { taken = nil }
            return taken
        }
    }
}
