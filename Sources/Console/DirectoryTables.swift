import ConsoleQueries
import Directory
import Foundation
import SCIM
import Setup
import TerminalUI

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
    /// Where the users the requests name are looked up.
    let directory: Directory
    let log: RequestLog
    let window = TableWindow<RequestSummary>()
    /// While paused, rows newer than this are not shown.
    var maxID: Int64? { didSet { window.invalidate() } }
    let scimPrefix: String

    init(directory: Directory, log: RequestLog, scimPrefix: String) {
        self.directory = directory
        self.log = log
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
            return try log.countRequests(browse, maxID: maxID)
        }
        if matches?.filter != browse.filter { matches = FilteredRequestIDs(filter: browse.filter) }
        try matches?.refresh(users: directory, log: log, maxID: maxID)
        return matches?.shown(maxID: maxID).count ?? 0
    }

    func fetchItems(_ range: Range<Int>, total: Int) throws -> [RequestSummary] {
        let items: [RequestSummary]
        if let shown = filteredIDs {
            let window = range.clamped(to: 0..<shown.count)
            let ids = browse.descending ? window.map { shown[shown.endIndex - 1 - $0] }
                : Array(shown[(shown.startIndex + window.lowerBound)..<(shown.startIndex + window.upperBound)])
            items = try log.summaries(ids: ids)
        } else {
            items = try log.browseRequests(browse, maxID: maxID, range: range, total: total)
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
        // Marked when the detail can say why Okta would count it as a failure.
        let status = FailureExplanations.mayExplain(method: r.method, path: r.path, status: r.status) ? "! \(r.status)" : String(r.status)
        return TableRow(id: String(r.id), cells: [TimeText.clock(r.time), r.method, path, status,
                                                  String(format: "%.1f ms", r.duration * 1000), Self.client(r.userAgent)],
                        style: r.status >= 400 ? Style(statusRole) : .normal)
    }
    func index(of id: String) -> Int? {
        guard let id = Int64(id) else { return nil }
        let total = count  // reads the filter's matches first, when there is a filter
        guard let shown = filteredIDs else { return try? log.requestPosition(id: id, browse, maxID: maxID, total: total) }
        let at = shown.offset(ofFirstAtLeast: id)
        guard at < shown.count, shown[shown.startIndex + at] == id else { return nil }
        return browse.descending ? shown.count - 1 - at : at
    }

    /// "console" for the console's own requests ("replay" for a replay), "Okta" for Okta's SCIM client, else the user agent's first word.
    static func client(_ userAgent: String) -> String {
        if userAgent.hasPrefix(LoggedRequest.consoleUserAgentPrefix) { return userAgent.contains("(replay of") ? "replay" : "console" }
        if userAgent.lowercased().contains("okta") { return "Okta" }
        if userAgent.isEmpty { return "-" }
        return String(userAgent.split(separator: " ").first ?? "")
    }
}
