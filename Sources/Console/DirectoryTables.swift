import ConsoleQueries
import Directory
import Foundation
import SCIM
import TerminalUI

/// A row's temporary mark after a change: new, changed or deactivated.
struct RowMark {
    var role: Role
    var until: Date
}

/// Formats times for tables: seconds ago when recent, else the clock time.
enum TimeText {
    /// The time of day for today's changes, else the date: absolute, so an
    /// idle console need not redraw every second to keep "5s ago" true.
    static func stamp(_ date: Date, now: Date) -> String {
        let day = localParts(date), today = localParts(now)
        let sameDay = day.tm_year == today.tm_year && day.tm_yday == today.tm_yday
        return sameDay ? String(clock(date).prefix(8)) : clock(date, withDate: true)
    }

    // Formatted by hand: a frame formats a time for each of its rows, and
    // `String(format:)` and `Calendar` were a good part of a frame's cost.
    static func clock(_ date: Date, withDate: Bool = false) -> String {
        let parts = localParts(date)
        let ms = Int((date.timeIntervalSince1970 * 1000).truncatingRemainder(dividingBy: 1000))
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if withDate {
            return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min))"
        }
        let milli = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(milli)"
    }

    private static func localParts(_ date: Date) -> tm {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        return parts
    }
}

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
            lastError = "\(error)"
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
            lastError = "\(error)"
            return []
        }
    }
}

final class UsersTable: DirectoryTable {
    let directory: Directory
    let window = TableWindow<UserSummary>()

    init(directory: Directory) { self.directory = directory }

    var order: Browse.UserOrder = .created { didSet { window.invalidate() } }

    static let columns = [
        TableColumn("userName", minWidth: 12, maxWidth: 40, priority: 9), TableColumn("display name", minWidth: 8, maxWidth: 28, priority: 7),
        TableColumn("work email", minWidth: 12, maxWidth: 30, priority: 2, optional: true), TableColumn("active", minWidth: 6, maxWidth: 6, priority: 8),
        TableColumn("externalId", minWidth: 8, maxWidth: 22, priority: 1, optional: true), TableColumn("teams", minWidth: 5, maxWidth: 24, priority: 4),
        TableColumn("modified", minWidth: 8, maxWidth: 16, priority: 3),
    ]

    var sortColumn: Int? {
        switch order {
        case .created: return nil
        case .userName: return 0
        case .displayName: return 1
        case .externalId: return 4
        case .lastModified: return 6
        }
    }

    /// With a filter on: its matches, kept from frame to frame (`FilteredUserSeqs`).
    private var matches: FilteredUserSeqs?

    /// In creation order a filtered window is a slice of the kept matches; in
    /// another order it is read in SQL, sorted, and may be slow.
    private var windowsFromMatches: Bool { !browse.filter.isEmpty && order == .created }

    /// Every user's filter text, read when the filter prompt first opens (`UserSearchIndex`).
    let searchIndex = UserSearchIndex()

    /// The filter prompt opened: the search index starts reading every user's
    /// text in the background, so that the first key typed finds it read.
    func prepareFilter() {
        searchIndex.prepare(directory)
    }

    /// A filter typed while the search index is still being read (`prepareFilter`):
    /// the table goes on showing what it showed, and takes the filter once the
    /// read is in (`applyPendingFilter`, at the next frame or tick), so the
    /// key's frame never waits for the rest of the read.
    private(set) var pendingFilter: String?

    /// Sets the filter, or keeps it pending while the search index it needs is being read.
    func setFilter(_ text: String) {
        if searchIndex.isReading, UserSearchIndex.needle(for: text) != nil {
            pendingFilter = text
        } else {
            pendingFilter = nil
            browse.filter = text
        }
    }

    /// Applies a pending filter once the search index is read; true when it did.
    @discardableResult
    func applyPendingFilter() -> Bool {
        guard let text = pendingFilter, !searchIndex.isReading else { return false }
        pendingFilter = nil
        browse.filter = text
        return true
    }

    /// A user changed: the search index and the kept matches follow it.
    func userChanged(id: String, change: DirectoryEvent.Change) {
        searchIndex.userChanged(id: id, change: change)
        matches?.userChanged(id: id, change: change)
        dataChanged()
    }

    /// Forgets the search index and the kept matches (events were missed): the
    /// next frame reads them from the Directory again.
    func readAnew() {
        searchIndex.forget()
        matches = nil
        invalidate()
    }

    func dataChanged() {
        // Reading the kept matches again costs only the users that changed,
        // however slow the first scan for the filter was.
        if windowsFromMatches { window.invalidate() } else { window.dataChanged() }
    }

    func fetchCount() throws -> Int {
        guard !browse.filter.isEmpty else {
            matches = nil
            return try directory.countUsers(browse)
        }
        if matches?.filter != browse.filter { matches = FilteredUserSeqs(filter: browse.filter) }
        try matches?.refresh(directory, index: searchIndex)
        return matches?.seqs.count ?? 0
    }

    func fetchItems(_ range: Range<Int>, total: Int) throws -> [UserSummary] {
        guard windowsFromMatches, let seqs = matches?.seqs, matches?.filter == browse.filter else {
            return try directory.browseUsers(browse, order: order, range: range)
        }
        let window = range.clamped(to: 0..<seqs.count)
        return try directory.userSummaries(seqs: browse.descending ? window.map { seqs[seqs.count - 1 - $0] }
                                                                  : Array(seqs[window]))
    }

    func id(of u: UserSummary) -> String { u.id }
    func row(for u: UserSummary) -> TableRow {
        var style = self.style(for: u.id)
        if style == .normal, !u.active { style = Style(.dim) }
        return TableRow(id: u.id, cells: [u.userName, u.displayName, u.workEmail, u.active ? "yes" : "no", u.externalId,
                                          u.teams.joined(separator: ", "), TimeText.stamp(u.lastModified, now: now)],
                        style: style)
    }
    func index(of id: String) -> Int? {
        guard windowsFromMatches else { return try? directory.userPosition(id: id, browse, order: order) }
        let total = count  // reads the filter's matches first
        guard let matches, let seq = try? directory.userSeq(id: id), let at = matches.position(of: seq) else { return nil }
        return browse.descending ? total - 1 - at : at
    }
}

final class TeamsTable: DirectoryTable {
    let directory: Directory
    let window = TableWindow<GroupSummary>()

    init(directory: Directory) { self.directory = directory }

    var order: Browse.GroupOrder = .created { didSet { window.invalidate() } }

    static let columns = [
        TableColumn("name", minWidth: 8, maxWidth: 40, priority: 9), TableColumn("members", minWidth: 7, maxWidth: 9, alignRight: true, priority: 8),
        TableColumn("externalId", minWidth: 8, maxWidth: 30, priority: 1, optional: true), TableColumn("modified", minWidth: 8, maxWidth: 16, priority: 3),
    ]

    var sortColumn: Int? {
        switch order {
        case .created: return nil
        case .displayName: return 0
        case .externalId: return 2
        case .lastModified: return 3
        }
    }

    func fetchCount() throws -> Int { try directory.countGroups(browse) }
    func fetchItems(_ range: Range<Int>, total: Int) throws -> [GroupSummary] {
        try directory.browseGroups(browse, order: order, range: range)
    }
    func id(of g: GroupSummary) -> String { g.id }
    func row(for g: GroupSummary) -> TableRow {
        TableRow(id: g.id, cells: [g.displayName, String(g.memberCount), g.externalId, TimeText.stamp(g.lastModified, now: now)],
                 style: style(for: g.id))
    }
    func index(of id: String) -> Int? { try? directory.groupPosition(id: id, browse, order: order) }
}

final class RequestsTable: DirectoryTable {
    let directory: Directory
    let window = TableWindow<RequestSummary>()
    /// While paused, rows newer than this are not shown.
    var maxID: Int64? { didSet { window.invalidate() } }
    let scimPrefix: String

    init(directory: Directory, scimPrefix: String) {
        self.directory = directory
        self.scimPrefix = scimPrefix
    }

    static let columns = [
        TableColumn("time", minWidth: 12, maxWidth: 12, priority: 6), TableColumn("method", minWidth: 6, maxWidth: 6, priority: 8),
        TableColumn("path", minWidth: 16, maxWidth: 200, priority: 9), TableColumn("status", minWidth: 6, maxWidth: 6, alignRight: true, priority: 8),
        TableColumn("duration", minWidth: 8, maxWidth: 9, alignRight: true, priority: 3), TableColumn("client", minWidth: 6, maxWidth: 12, priority: 1, optional: true),
    ]

    var sortColumn: Int? { 0 }

    /// With a filter on: its matches, kept from frame to frame (`FilteredRequestIDs`).
    private var matches: FilteredRequestIDs?

    func fetchCount() throws -> Int {
        guard !browse.filter.isEmpty else {
            matches = nil
            return try directory.requestLog.countRequests(browse, maxID: maxID)
        }
        if matches?.filter != browse.filter { matches = FilteredRequestIDs(filter: browse.filter) }
        try matches?.refresh(directory, maxID: maxID)
        return matches?.shown(maxID: maxID).count ?? 0
    }

    func fetchItems(_ range: Range<Int>, total: Int) throws -> [RequestSummary] {
        let items: [RequestSummary]
        if let shown = filteredIDs {
            let window = range.clamped(to: 0..<shown.count)
            let ids = browse.descending ? window.map { shown[shown.endIndex - 1 - $0] }
                : Array(shown[(shown.startIndex + window.lowerBound)..<(shown.startIndex + window.upperBound)])
            items = try directory.requestLog.summaries(ids: ids)
        } else {
            items = try directory.requestLog.browseRequests(browse, maxID: maxID, range: range, total: total)
        }
        learnUserNames(items)
        return items
    }

    /// The userNames of the users the rows' paths name (`/Users/{id}`), read
    /// once per window for ids not seen before. A user deleted since keeps
    /// the name it was last seen under; one never seen shows its id alone.
    private(set) var userNames: [String: String] = [:]

    private func learnUserNames(_ items: [RequestSummary]) {
        let unknown = Set(items.compactMap { userID(in: $0.path) }).filter { userNames[$0] == nil }
        guard !unknown.isEmpty, let found = try? directory.userNames(ids: Array(unknown)) else { return }
        if userNames.count > 50_000 { userNames.removeAll(keepingCapacity: true) }
        userNames.merge(found) { _, new in new }
    }

    /// The id in `…/Users/{id}`, if the path names one user.
    func userID(in path: String) -> String? {
        guard let range = path.range(of: "/Users/", options: .backwards) else { return nil }
        let id = path[range.upperBound...]
        return id.isEmpty || id.contains("/") ? nil : String(id)
    }

    /// The filter's matches shown, oldest first, when a filter is on and they were read for it.
    private var filteredIDs: ArraySlice<Int64>? {
        guard !browse.filter.isEmpty, let matches, matches.filter == browse.filter else { return nil }
        return matches.shown(maxID: maxID)
    }

    func id(of r: RequestSummary) -> String { String(r.id) }
    func row(for r: RequestSummary) -> TableRow {
        let statusRole: Role = r.status >= 500 ? .error : r.status >= 400 ? .warn : .ok
        var path = r.path
        if path.hasPrefix(scimPrefix) { path = "…" + path.dropFirst(scimPrefix.count) }
        if let id = userID(in: r.path), let name = userNames[id] {
            // The name says whose row it is; the id's first characters are enough to tell rows apart.
            path = String(path.dropLast(id.count)) + (id.count > 9 ? id.prefix(8) + "…" : id) + " (\(name))"
        }
        if !r.query.isEmpty { path += "?" + FormDecoding.decode(r.query) }
        return TableRow(id: String(r.id), cells: [TimeText.clock(r.time), r.method, path, String(r.status),
                                                  String(format: "%.1f ms", r.duration * 1000), Self.client(r.userAgent)],
                        style: r.status >= 400 ? Style(statusRole) : .normal)
    }
    func index(of id: String) -> Int? {
        guard let id = Int64(id) else { return nil }
        let total = count  // reads the filter's matches first, when there is a filter
        guard let shown = filteredIDs else { return try? directory.requestLog.requestPosition(id: id, browse, maxID: maxID, total: total) }
        let at = shown.offset(ofFirstAtLeast: id)
        guard at < shown.count, shown[shown.startIndex + at] == id else { return nil }
        return browse.descending ? shown.count - 1 - at : at
    }

    /// "console" for the console's own requests, "Okta" for Okta's SCIM client, else the user agent's first word.
    static func client(_ userAgent: String) -> String {
        if userAgent.hasPrefix(LoggedRequest.consoleUserAgentPrefix) { return "console" }
        if userAgent.lowercased().contains("okta") { return "Okta" }
        if userAgent.isEmpty { return "-" }
        return String(userAgent.split(separator: " ").first ?? "")
    }
}
