import ConsoleQueries
import Directory
import Foundation
import TerminalUI

/// A live-pane table over the Directory that reads only the window of rows
/// it is asked for, and keeps it until the data changes, so a frame over
/// 100,000 users costs one page query at most.
///
/// A table gives its queries and how it shows a row; the compiler checks it
/// gives every one. What it has read, and when to read again, is kept in
/// its `TableWindow`; the rest of `TableSource` comes with the protocol.
protocol DirectoryTable: AnyObject, TableSource {
    associatedtype Item
    /// What the table has read, and when it reads again.
    var window: TableWindow<Item> { get }
    /// How many rows the table has, as it is browsed.
    func fetchCount() throws -> Int
    /// The rows of `range`, of `total` in all (a table may read a window near
    /// its end from that end).
    func fetchItems(_ range: Range<Int>, total: Int) throws -> [Item]
    func row(for item: Item) -> TableRow
    func id(of item: Item) -> String
    /// The data changed (a directory event); `TableWindow.dataChanged` says how a table follows.
    func dataChanged()
}

extension DirectoryTable {
    var browse: Browse {
        get { window.browse }
        set { window.browse = newValue }
    }
    var marks: [String: RowMark] {
        get { window.marks }
        set { window.marks = newValue }
    }
    var now: Date {
        get { window.now }
        set { window.now = newValue }
    }
    /// Set when the last query failed; shown in the status line.
    var lastError: String? { window.lastError }
    var readCost: TimeInterval { window.readCost }
    var rereadDue: Date? { window.rereadDue }
    var readClock: () -> Date {
        get { window.readClock }
        set { window.readClock = newValue }
    }

    func invalidate() { window.invalidate() }
    func dataChanged() { window.dataChanged() }
    func rereadIfDue(now: Date) { window.rereadIfDue(now: now) }

    var count: Int { window.count(fetchCount) }

    func rows(in range: Range<Int>) -> [TableRow] {
        items(in: range).map { row(for: $0) }
    }

    func ids(in range: Range<Int>) -> [String] {
        items(in: range).map { id(of: $0) }
    }

    func items(in range: Range<Int>) -> [Item] {
        window.items(in: range, total: count, fetch: fetchItems)
    }

    func item(at index: Int) -> Item? { items(in: index..<(index + 1)).first }

    func style(for id: String) -> Style {
        guard let mark = window.marks[id], mark.until > window.now else { return .normal }
        return Style(mark.role)
    }
}

/// What a `DirectoryTable` has read: its count and a window of rows around
/// what was last shown, kept until the data changes; and how long reading
/// them took, which decides how soon a change is read again.
final class TableWindow<Item> {
    var browse = Browse() { didSet { invalidate() } }
    private var cachedCount: Int?
    private var rows: (range: Range<Int>, items: [Item])?
    var marks: [String: RowMark] = [:]
    var now = Date()
    /// Set when the last query failed; shown in the status line.
    private(set) var lastError: String?

    /// Forgets cached rows and count; the next draw reads them again. Cheap,
    /// so a burst of events costs one query per frame, not one per event.
    func invalidate() {
        rows = nil
        cachedCount = nil
        changedSince = nil
        countCost = 0
        windowCost = 0
    }

    // MARK: changes while reading is slow

    /// How long the last count and the last window took to read: what
    /// reading the table again after a change costs.
    var readCost: TimeInterval { countCost + windowCost }
    private var countCost: TimeInterval = 0
    private var windowCost: TimeInterval = 0
    private var readEnded = Date.distantPast
    /// When a change arrived that the table shows as it was (`dataChanged`).
    private(set) var changedSince: Date?
    /// Times reads (tests replace it to make reads look slow).
    var readClock: () -> Date = Date.init

    /// A read this quick (ten frames' budget) is repeated on every change.
    static var quickRead: TimeInterval { 0.05 }
    /// A slower read waits this many times its own cost after it ended before
    /// it is repeated, so it takes at most a tenth of the time while changes
    /// keep coming.
    static var slowReadSpacing: Double { 10 }

    /// The data changed (a directory event). A table quick to read forgets
    /// what it read at once. One slow to read (a filter sorted in SQL over
    /// 100,000 users) keeps showing it until `rereadDue`: re-read on every
    /// change, it would freeze the console for the whole of an Okta push.
    func dataChanged() {
        if readCost < Self.quickRead {
            invalidate()
        } else if changedSince == nil {
            changedSince = readClock()
        }
    }

    /// When a table kept as it was (`dataChanged`) reads again; nil when it is current.
    var rereadDue: Date? {
        changedSince == nil ? nil : readEnded.addingTimeInterval(readCost * Self.slowReadSpacing)
    }

    /// Forgets what was read if a change has waited long enough (`rereadDue`).
    func rereadIfDue(now: Date) {
        if let due = rereadDue, now >= due { invalidate() }
    }

    /// Runs a read; `cost` becomes its time.
    private func timed<T>(_ cost: inout TimeInterval, _ read: () throws -> T) rethrows -> T {
        let start = readClock()
        defer {
            readEnded = readClock()
            cost = readEnded.timeIntervalSince(start)
        }
        return try read()
    }

    /// The row count, read with `fetch` unless it is kept.
    func count(_ fetch: () throws -> Int) -> Int {
        if let cachedCount { return cachedCount }
        do {
            let n = try timed(&countCost, fetch)
            cachedCount = n
            return n
        } catch {
            lastError = StorageErrorText.sentence(error)
            return 0
        }
    }

    /// Rows `range` of `total`, from the kept window when it holds them, else
    /// read with `fetch` (a little more than asked, so scrolling a row or two
    /// needs no query).
    func items(in range: Range<Int>, total: Int, fetch: (Range<Int>, Int) throws -> [Item]) -> [Item] {
        let wanted = range.clamped(to: 0..<max(0, total))
        guard !wanted.isEmpty else { return [] }
        if let w = rows, w.range.contains(wanted.lowerBound), w.range.upperBound >= wanted.upperBound || w.range.upperBound >= total {
            let start = wanted.lowerBound - w.range.lowerBound
            let end = min(w.items.count, start + wanted.count)
            return start < end ? Array(w.items[start..<end]) : []
        }
        let span = max(0, wanted.lowerBound - 20)..<(wanted.upperBound + 20)
        do {
            let items = try timed(&windowCost) { try fetch(span, total) }
            rows = (span.lowerBound..<(span.lowerBound + items.count), items)
            lastError = nil
            let start = wanted.lowerBound - span.lowerBound
            return start < items.count ? Array(items[start..<min(items.count, start + wanted.count)]) : []
        } catch {
            lastError = StorageErrorText.sentence(error)
            return []
        }
    }
}

/// A row's temporary mark after a change: new, changed or deactivated.
struct RowMark {
    var role: Role
    var until: Date
}
