import ConsoleQueries
import Directory
import Foundation
import GrafanaMirror
import SCIM
import TerminalUI

/// The live pane: provisioned users, teams and the SCIM requests the
/// embedded endpoint serves (or relays), as they arrive; deactivate and
/// reactivate by hand. With a mirror, the users and teams are a real
/// Grafana's, and the hand actions go to that Grafana. State changes only here, on the terminal runner's thread; events
/// from the Directory arrive as messages.
public final class LivePane: TerminalApp {
    public typealias Message = DirectoryEvent

    public struct Configuration: Sendable {
        /// The connector URL shown in the header.
        public var endpointURL: String
        /// The SCIM base path, shortened away in the Requests table.
        public var scimBasePath: String
        public var readOnly: Bool
        /// The Grafana SCIM is relayed to, when it is.
        public var relay: Relayed?
        /// The real Grafana whose users and teams the pane shows, when it shows one's.
        public var mirror: Mirror?
        /// Why the keys that change provisioned state are off, when they are.
        var readOnlyReason: String {
            if let mirror, !mirror.hasToken {
                return "no token to act on Grafana with; start with --token-file"
            }
            if let relay, mirror == nil { return "the users live in Grafana at \(relay.host), behind the relay" }
            return "the console was started with --read-only"
        }
        /// What the keys that need more than the pane itself can use.
        var capabilities: Set<LiveCapability> {
            var set: Set<LiveCapability> = []
            if mirror?.hasToken == true { set.insert(.mirror) }
            if replay != nil { set.insert(.replay) }
            return set
        }
        /// Where `x` saves a request's curl command (the data directory's `exports`); nil: copied only.
        public var exportFolder: String?
        /// Where `r` sends a request again; nil when nothing here can (watching a Grafana Okta talks to directly).
        public var replay: Replaying?

        public init(endpointURL: String, scimBasePath: String, readOnly: Bool, relay: Relayed? = nil,
                    mirror: Mirror? = nil, exportFolder: String? = nil, replay: Replaying? = nil) {
            self.replay = replay
            self.endpointURL = endpointURL
            self.scimBasePath = scimBasePath
            self.readOnly = readOnly
            self.relay = relay
            self.mirror = mirror
            self.exportFolder = exportFolder
        }
    }

    /// The Grafana a relaying console passes SCIM to: its host and
    /// namespace, and whether it can be reached, as the relay last found.
    public struct Relayed: Sendable {
        public var host: String
        public var namespace: String
        public var isUnreachable: @Sendable () -> Bool

        public init(host: String, namespace: String, isUnreachable: @escaping @Sendable () -> Bool) {
            self.host = host
            self.namespace = namespace
            self.isUnreachable = isUnreachable
        }
    }

    /// Where `r` sends a request again: the console's own endpoint (which
    /// relays it, when relaying), with the token the console was given.
    public struct Replaying: Sendable {
        /// `http://host:port` of the console's endpoint.
        public var base: String
        /// The SCIM token to send it with (held in memory only); nil: none was given.
        public var token: String?
        /// Where it ends up, as the dialog says it.
        public var destination: String

        public init(base: String, token: String?, destination: String) {
            self.base = base
            self.token = token
            self.destination = destination
        }
    }

    enum Focus { case table, detail }

    enum Pending: Equatable {
        case deactivate(id: String, userName: String)
        case activate(id: String, userName: String)
        case replay(id: Int64)
        case quit
    }

    enum Mode {
        case browse
        case filter(TextFieldState)
        case prompt(TextFieldState)
        /// `/` in the detail pane: a search through its lines.
        case detailSearch(TextFieldState)
        case dialog(ConfirmDialog, Pending)
        /// The help overlay, scrolled to a line.
        case help(offset: Int)
    }

    /// The users and teams shown: the Directory the endpoint serves, or a mirror's data set.
    let directory: Directory
    /// The Directory whose request log the Requests tab shows.
    let logDirectory: Directory
    var requestLog: RequestLog { logDirectory.requestLog }
    let configuration: Configuration
    /// Runs work off the terminal thread (an action on a real Grafana); the host posts its note back (`receive`).
    public var startWork: (@escaping @Sendable () async -> PaneNote) -> Void = { _ in }
    let users: UsersTable
    /// Whether a Users filter typed while every user's text was being read still waits for it.
    public var usersFilterPending: Bool { users.pendingFilter != nil }
    let teams: TeamsTable
    let requests: RequestsTable
    var tab: LiveTab = .users
    var states: [LiveTab: TableState] = [.users: TableState(), .teams: TableState(), .requests: TableState()]
    var needsSync: Set<LiveTab> = Set(LiveTab.allCases)
    /// Set when the Requests tab, following, must move to the newest request
    /// at its next frame. Set at first too: the log may hold requests from
    /// before the console opened, and "following" must not sit on the oldest.
    var followPending = true
    var focus = Focus.table
    var mode = Mode.browse
    var status: StatusMessage?
    var follow = true
    /// While paused: the newest request shown, and how many arrived since.
    var paused: (at: Int64, newCount: Int)?
    var rate = RequestRate()
    var detailOffset = 0
    /// The `:` lines entered so far (↑ recalls them), and which is shown.
    var commandHistory: [String] = []
    var historyIndex: Int?
    var memberIndex = 0
    var detailCache: (key: String, lines: [StyledLine], members: [MemberReference])?
    /// The detail's lines wrapped to the pane's width, for the key and width they were made for.
    var wrappedDetail: (key: String, width: Int, search: String, lines: [StyledLine])?
    /// What `/` in the detail pane searches for (`n`, `N` go on to the next and previous match).
    var detailSearch = ""
    /// The selected request's one-line explanation (`explanationLine`), for the request it was read for.
    var explained: (id: Int64, line: String?)?
    /// Bumped by events that may change the detail pane (`mayChangeDetail`); part of its cache key.
    var detailVersion = 0
    /// Set by the runner's clock in tests; the wall clock otherwise.
    var clock: () -> Date = Date.init

    static let markSeconds = 4.0

    /// `directory` holds the users and teams shown; `log`, the request log
    /// shown (`directory`'s own when nil).
    public init(directory: Directory, log: Directory? = nil, configuration: Configuration) {
        self.directory = directory
        logDirectory = log ?? directory
        self.configuration = configuration
        users = UsersTable(directory: directory)
        teams = TeamsTable(directory: directory)
        requests = RequestsTable(directory: directory, log: logDirectory.requestLog, scimPrefix: configuration.scimBasePath)
        let now = Date()
        for r in (try? logDirectory.requestLog.statuses(since: now.addingTimeInterval(-RequestRate.window))) ?? [] {
            rate.record(at: r.time, status: r.status)
        }
    }

    // MARK: layout

    struct Layout {
        var header, tabs, table, detail, footer, status: Rect
    }

    func layout(_ size: Size) -> Layout {
        let all = Rect(size: size)
        let (header, rest) = all.splitTop(1)
        let (tabs, rest2) = rest.splitTop(1)
        let (body, bottom) = rest2.splitBottom(2)
        let (footer, status) = bottom.splitTop(1)
        let (table, detail) = body.splitTop(max(6, body.height * 11 / 20))
        return Layout(header: header, tabs: tabs, table: table, detail: detail, footer: footer, status: status)
    }

    func visibleRows(_ size: Size) -> Int { Table.visibleRows(in: layout(size).table) }

    var source: TableSource {
        switch tab {
        case .users: return users
        case .teams: return teams
        case .requests: return requests
        }
    }

    var selectedID: String? { states[tab]?.selectedID }

    // MARK: events

    public func handle(_ event: TerminalEvent<DirectoryEvent>, context: TerminalContext) -> AppStep {
        let now = clock()
        users.now = now
        teams.now = now
        switch event {
        case .message(let e): apply(e, now: now, visible: visibleRows(context.size))
        case .key(let key): return handle(key, context: context, now: now)
        case .mouse(let x, let y, let button): return handleMouse(x: x, y: y, button: button, size: context.size, now: now)
        case .resize, .tick: needsSync.insert(tab)
        }
        return .continue
    }

    func apply(_ event: DirectoryEvent, now: Date, visible: Int) {
        if mayChangeDetail(event) { detailVersion += 1 }
        switch event {
        case .user(let id, let change, _):
            let role: Role = switch change {
            case .created, .reactivated: .rowNew
            case .updated: .rowChanged
            case .deactivated, .deleted: .rowDeactivated
            }
            users.marks[id] = RowMark(role: role, until: now.addingTimeInterval(Self.markSeconds))
            users.userChanged(id: id, change: change)
            if change == .deleted || change == .created { teams.dataChanged() }
            needsSync.formUnion([.users, .teams])
        case .group(let id, let change, _):
            teams.marks[id] = RowMark(role: change == .created ? .rowNew : change == .deleted ? .rowDeactivated : .rowChanged,
                                      until: now.addingTimeInterval(Self.markSeconds))
            teams.dataChanged()
            users.dataChanged()
            needsSync.formUnion([.users, .teams])
        case .requestLogged(_, let status, let byConsole):
            if !byConsole { rate.record(at: now, status: status) }
            if var p = paused {
                p.newCount += 1
                paused = p
                return
            }
            requests.invalidate()
            needsSync.insert(.requests)
            // Following is done once per frame in draw, not once per request: a burst of a
            // thousand requests must cost one count and one window, not a thousand.
            if follow { followPending = true }
        case .diskSpace(let full):
            // The header says DISK FULL while it lasts; this says what it means, once.
            if full {
                say("The data directory's disk is full: writes get 503 (Okta retries) until space is freed.", .error, now)
            } else {
                say("The data directory's disk has room again: writes go through.", .ok, now)
            }
        case .databaseDamaged:
            say("The database is damaged: stop the console, then run scim-console recover (or restore a backup).", .error, now)
        case .eventsMissed, .bulkChange:
            // Events were dropped on the way here: nothing kept from them can be trusted.
            users.readAnew()
            teams.invalidate()
            requests.invalidate()
            needsSync.formUnion([.users, .teams, .requests])
        }
    }

    /// Whether `event` may change what the detail pane shows for the current
    /// tab and selection, so a burst about other rows does not re-read and
    /// re-highlight it on every frame. A user's detail lists its teams and
    /// the requests touching it (neither event names which user it concerns);
    /// a team's lists its members' names; a logged request never changes.
    func mayChangeDetail(_ event: DirectoryEvent) -> Bool {
        switch (tab, event) {
        case (.users, .user(let id, _, _)): return id == selectedID
        case (.users, .group), (.users, .requestLogged): return true
        case (.teams, .group(let id, _, _)): return id == selectedID
        case (.teams, .user): return true
        case (.teams, .requestLogged), (.requests, _): return false
        case (_, .eventsMissed), (_, .bulkChange): return true
        case (_, .diskSpace), (_, .databaseDamaged): return false
        }
    }

    func followNewest(visible: Int) {
        var state = states[.requests] ?? TableState()
        state.select(index: requests.count - 1, in: requests, visibleRows: visible)
        states[.requests] = state
        needsSync.remove(.requests)
    }

    func handle(_ key: Key, context: TerminalContext, now: Date) -> AppStep {
        let visible = visibleRows(context.size)
        if !TooSmallScreen.fits(context.size) {
            return key == .char("q") || key == .char("Q") ? .quit(0) : .continue
        }
        switch mode {
        case .help(let offset):
            if key == .escape || key == .char("?") || key == .char("q") {
                mode = .browse
            } else if let action = LiveKeyTable.action(for: key, on: tab), case .move(let movement) = action {
                mode = .help(offset: helpOffset(offset, movement, size: context.size))
            }
            return .continue
        case .dialog(var dialog, let pending):
            let outcome = dialog.handle(key)
            if outcome == .pending { mode = .dialog(dialog, pending) }
            return finish(pending, outcome, now: now)
        case .filter(var field):
            switch key {
            case .escape:
                setFilter("", visible: visible)
                mode = .browse
            case .enter, .down, .tab:
                mode = .browse
            default:
                field.handle(key)
                mode = .filter(field)
                setFilter(field.text, visible: visible)
            }
            return .continue
        case .detailSearch(var field):
            switch key {
            case .escape:
                detailSearch = ""
                mode = .browse
            case .enter:
                mode = .browse
                findInDetail(forward: true, from: detailOffset, now: now)
            default:
                field.handle(key)
                mode = .detailSearch(field)
                detailSearch = field.text
                findInDetail(forward: true, from: detailOffset, now: now)
            }
            return .continue
        case .prompt(var field):
            switch key {
            case .escape: mode = .browse
            case .enter:
                mode = .browse
                let line = field.text.trimmingCharacters(in: .whitespaces)
                if !line.isEmpty, commandHistory.last != line { commandHistory.append(line) }
                return run(line, visible: visible, now: now)
            case .tab:
                mode = .prompt(TextFieldState(complete(field.text)))
            case .up, .down:
                guard !commandHistory.isEmpty else { return .continue }
                let current = historyIndex ?? commandHistory.count
                let next = key == .up ? max(0, current - 1) : current + 1
                historyIndex = next < commandHistory.count ? next : nil
                mode = .prompt(TextFieldState(historyIndex.map { commandHistory[$0] } ?? ""))
            default:
                field.handle(key)
                mode = .prompt(field)
            }
            return .continue
        case .browse:
            break
        }
        return handleBrowse(key, context: context, visible: visible, now: now)
    }

    func handleBrowse(_ key: Key, context: TerminalContext, visible: Int, now: Date) -> AppStep {
        guard let action = LiveKeyTable.action(for: key, on: tab) else { return .continue }
        switch action {
        case .showTab(let t): switchTab(t)
        case .nextTab: switchTab(LiveTab(rawValue: (tab.rawValue + 1) % 3)!)
        case .previousTab: switchTab(LiveTab(rawValue: (tab.rawValue + 2) % 3)!)
        case .filter where focus == .detail && tab != .teams:
            mode = .detailSearch(TextFieldState(detailSearch))
        case .filter:
            if tab == .users { users.prepareFilter() }
            mode = .filter(TextFieldState(currentBrowse.filter))
        case .nextMatch: findInDetail(forward: true, from: detailOffset + 1, now: now)
        case .previousMatch: findInDetail(forward: false, from: detailOffset - 1, now: now)
        case .command:
            historyIndex = nil
            mode = .prompt(TextFieldState())
        case .help: mode = .help(offset: 0)
        case .askQuit:
            mode = .dialog(ConfirmDialog(title: "Quit", target: "Quit scim-console?",
                                         consequence: "The embedded endpoint stops with the console: Okta's requests to \(configuration.endpointURL) fail until you start it again.",
                                         confirmLabel: "Quit"), .quit)
        case .quitNow: return .quit(0)
        case .sort: cycleSort(reverse: false)
        case .reverseSort: cycleSort(reverse: true)
        case .pause: togglePause(visible: visible)
        case .follow:
            follow = true
            if paused != nil { togglePause(visible: visible) }
            followNewest(visible: visible)
            say("Following new requests.", .info, now)
        case .deactivate: askActive(false, now: now)
        case .activate: askActive(true, now: now)
        case .copy: copySelection(context: context, now: now)
        case .export: exportSelection(context: context, now: now)
        case .reread: readMirrorAgain(now: now)
        case .replay: askReplay(now: now)
        case .open:
            if focus == .table {
                focus = .detail
                memberIndex = 0
            } else if tab == .teams {
                jumpToMember(visible: visible, now: now)
            }
        case .back:
            if focus == .detail {
                focus = .table
            } else if !currentBrowse.filter.isEmpty {
                setFilter("", visible: visible)
            }
        case .move(let movement):
            let delta = Self.delta(movement, visible: visible)
            if focus == .detail {
                if tab == .teams, let members = detailCache?.members, !members.isEmpty {
                    memberIndex = min(max(0, memberIndex + delta), members.count - 1)
                } else {
                    detailOffset = max(0, detailOffset + delta)
                }
            } else {
                move(by: delta, visible: visible)
            }
        }
        return .continue
    }

    // MARK: ticks

    public func nextTick(after now: Date) -> Date? {
        var times: [Date] = []
        if let status, status.expires > now { times.append(status.expires) }
        let marks = tab == .users ? users.marks : tab == .teams ? teams.marks : [:]
        if let next = marks.values.map(\.until).filter({ $0 > now }).min() { times.append(next) }
        // A table kept as it was through changes reads again when due (`DirectoryTable.dataChanged`).
        times += [users.rereadDue, teams.rereadDue].compactMap { $0.map { max($0, now) } }
        // A filter typed while the users' texts are read is applied as soon as they are in.
        if users.pendingFilter != nil { times.append(now.addingTimeInterval(0.01)) }
        // Keep the rate figures moving while there is recent traffic.
        if rate.series(now: now).contains(where: { $0 > 0 }) {
            times.append(Date(timeIntervalSince1970: (now.timeIntervalSince1970 / RequestRate.bucketSeconds).rounded(.up)
                              * RequestRate.bucketSeconds + 0.01))
        }
        return times.min()
    }
}

/// What work started off the terminal thread says when it ends: a sentence for the status line.
public struct PaneNote: Sendable, Equatable {
    public var text: String
    public var succeeded: Bool

    public init(_ text: String, succeeded: Bool) {
        self.text = text
        self.succeeded = succeeded
    }
}

extension LivePane {
    /// A note from work started with `startWork`.
    public func receive(_ note: PaneNote) {
        say(note.text, note.succeeded ? .ok : .error, clock())
    }
}
