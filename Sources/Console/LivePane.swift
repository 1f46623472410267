import Directory
import Foundation
import SCIM
import TerminalUI

/// The live pane: provisioned users, teams and the SCIM requests the
/// embedded endpoint serves, as they arrive; deactivate and reactivate by
/// hand. State changes only here, on the terminal runner's thread; events
/// from the Directory arrive as messages.
public final class LivePane: TerminalApp {
    public typealias Message = DirectoryEvent

    public struct Configuration: Sendable {
        /// The connector URL shown in the header.
        public var endpointURL: String
        /// The SCIM base path, shortened away in the Requests table.
        public var scimBasePath: String
        public var readOnly: Bool

        public init(endpointURL: String, scimBasePath: String, readOnly: Bool) {
            self.endpointURL = endpointURL
            self.scimBasePath = scimBasePath
            self.readOnly = readOnly
        }
    }

    enum Focus { case table, detail }

    enum Pending: Equatable {
        case deactivate(id: String, userName: String)
        case activate(id: String, userName: String)
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

    let directory: Directory
    let configuration: Configuration
    let users: UsersTable
    /// Whether a Users filter typed while every user's text was being read still waits for it.
    public var usersFilterPending: Bool { users.pendingFilter != nil }
    let teams: TeamsTable
    let requests: RequestsTable
    private(set) var tab: LiveTab = .users
    var states: [LiveTab: TableState] = [.users: TableState(), .teams: TableState(), .requests: TableState()]
    private var needsSync: Set<LiveTab> = Set(LiveTab.allCases)
    /// Set when the Requests tab, following, must move to the newest request
    /// at its next frame. Set at first too: the log may hold requests from
    /// before the console opened, and "following" must not sit on the oldest.
    private var followPending = true
    private(set) var focus = Focus.table
    private(set) var mode = Mode.browse
    private(set) var status: StatusMessage?
    private(set) var follow = true
    /// While paused: the newest request shown, and how many arrived since.
    private(set) var paused: (at: Int64, newCount: Int)?
    var rate = RequestRate()
    private var detailOffset = 0
    /// The `:` lines entered so far (↑ recalls them), and which is shown.
    private(set) var commandHistory: [String] = []
    private var historyIndex: Int?
    private var memberIndex = 0
    private var detailCache: (key: String, lines: [StyledLine], members: [MemberReference])?
    /// The detail's lines wrapped to the pane's width, for the key and width they were made for.
    private var wrappedDetail: (key: String, width: Int, lines: [StyledLine])?
    /// What `/` in the detail pane searches for (`n`, `N` go on to the next and previous match).
    private(set) var detailSearch = ""
    /// Bumped by events that may change the detail pane (`mayChangeDetail`); part of its cache key.
    private var detailVersion = 0
    /// Set by the runner's clock in tests; the wall clock otherwise.
    var clock: () -> Date = Date.init

    static let markSeconds = 4.0

    public init(directory: Directory, configuration: Configuration) {
        self.directory = directory
        self.configuration = configuration
        users = UsersTable(directory: directory)
        teams = TeamsTable(directory: directory)
        requests = RequestsTable(directory: directory, scimPrefix: configuration.scimBasePath)
        let now = Date()
        for r in (try? directory.requestStatuses(since: now.addingTimeInterval(-RequestRate.window))) ?? [] {
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
        case .eventsMissed:
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
    private func mayChangeDetail(_ event: DirectoryEvent) -> Bool {
        switch (tab, event) {
        case (.users, .user(let id, _, _)): return id == selectedID
        case (.users, .group), (.users, .requestLogged): return true
        case (.teams, .group(let id, _, _)): return id == selectedID
        case (.teams, .user): return true
        case (.teams, .requestLogged), (.requests, _): return false
        case (_, .eventsMissed): return true
        }
    }

    private func followNewest(visible: Int) {
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

    private func handleBrowse(_ key: Key, context: TerminalContext, visible: Int, now: Date) -> AppStep {
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

    /// Scrolls the detail pane to the next (or previous) line holding the
    /// search text, from line `start`, wrapping around; says where it is.
    func findInDetail(forward: Bool, from start: Int, now: Date) {
        let needle = detailSearch.lowercased()
        guard !needle.isEmpty, let lines = wrappedDetail?.lines, !lines.isEmpty else { return }
        let matches = lines.indices.filter { lines[$0].plainText.lowercased().contains(needle) }
        guard !matches.isEmpty else {
            say("\"\(detailSearch)\" is not in this \(tab == .users ? "user" : "request").", .warn, now)
            return
        }
        let found = forward ? (matches.first { $0 >= start } ?? matches[0]) : (matches.last { $0 <= start } ?? matches[matches.count - 1])
        detailOffset = found
        say("\"\(detailSearch)\": match \(matches.firstIndex(of: found)! + 1) of \(matches.count) · n next · N previous", .info, now)
    }

    static func delta(_ movement: LiveAction.Movement, visible: Int) -> Int {
        switch movement {
        case .up: return -1
        case .down: return 1
        case .pageUp: return -max(1, visible - 1)
        case .pageDown: return max(1, visible - 1)
        case .top: return Int.min / 2
        case .bottom: return Int.max / 2
        }
    }

    /// The help overlay's lines, and the box it is drawn in on a screen of `size`.
    func helpLayout(_ size: Size) -> (overlay: HelpOverlay, rect: Rect) {
        let overlay = HelpOverlay(sections: LiveKeyTable.helpSections(readOnly: configuration.readOnly))
        return (overlay, overlay.rect(in: Rect(size: size)))
    }

    func helpOffset(_ offset: Int, _ movement: LiveAction.Movement, size: Size) -> Int {
        let (overlay, rect) = helpLayout(size)
        let page = max(1, rect.height - 2)
        return DetailPane.scrolled(offset, by: Self.delta(movement, visible: page), lineCount: overlay.lines(width: rect.width - 2).count, rect: rect)
    }

    /// Whether an action that changes provisioned state may run; says why not.
    private func mayChangeState(_ now: Date) -> Bool {
        guard configuration.readOnly else { return true }
        say("Read-only: the console was started with --read-only.", .warn, now)
        return false
    }

    func move(by delta: Int, visible: Int) {
        var state = states[tab] ?? TableState()
        state.move(by: delta, in: source, visibleRows: visible)
        states[tab] = state
        detailOffset = 0
        // Any manual move stops following; `f` resumes.
        if tab == .requests { follow = false }
    }

    /// A click selects a row, a tab or a dialog's button; the wheel scrolls
    /// what is under it (the help, the detail pane, or the table).
    private func handleMouse(x: Int, y: Int, button: MouseButton, size: Size, now: Date) -> AppStep {
        let visible = visibleRows(size)
        let l = layout(size)
        let wheel: LiveAction.Movement? = button == .wheelUp ? .up : button == .wheelDown ? .down : nil
        switch mode {
        case .help(let offset):
            if let wheel { mode = .help(offset: (0..<3).reduce(offset) { o, _ in helpOffset(o, wheel, size: size) }) }
            return .continue
        case .dialog(let dialog, let pending):
            guard button == .left else { return .continue }
            return finish(pending, dialog.click(x: x, y: y, in: Rect(size: size)), now: now)
        case .filter, .prompt, .detailSearch, .browse:
            break
        }
        if let wheel {
            let delta = Self.delta(wheel, visible: visible) * 3
            if l.detail.contains(Point(x: x, y: y)) {
                detailOffset = max(0, detailOffset + delta)
            } else {
                move(by: delta, visible: visible)
            }
            return .continue
        }
        if y == l.tabs.y, let t = TabStrip(tabs: LiveTab.allCases.map(\.title), selected: tab.rawValue).tab(at: x, in: l.tabs) {
            switchTab(LiveTab(rawValue: t)!)
            return .continue
        }
        if l.detail.contains(Point(x: x, y: y)) {
            focus = .detail
            return .continue
        }
        let row = y - l.table.y - 2
        guard row >= 0, row < visible else { return .continue }
        var state = states[tab] ?? TableState()
        state.select(index: state.offset + row, in: source, visibleRows: visible)
        states[tab] = state
        focus = .table
        detailOffset = 0
        if tab == .requests { follow = false }
        return .continue
    }

    func switchTab(_ new: LiveTab) {
        tab = new
        focus = .table
        detailOffset = 0
        needsSync.insert(new)
    }

    var currentBrowse: Browse {
        switch tab {
        case .users: return users.browse
        case .teams: return teams.browse
        case .requests: return requests.browse
        }
    }

    func setFilter(_ text: String, visible: Int) {
        switch tab {
        case .users: users.setFilter(text)
        case .teams: teams.browse.filter = text
        case .requests: requests.browse.filter = text
        }
        needsSync.insert(tab)
    }

    private func cycleSort(reverse: Bool) {
        switch tab {
        case .users:
            if reverse { users.browse.descending.toggle() } else {
                let all = Browse.UserOrder.allCases
                users.order = all[(all.firstIndex(of: users.order)! + 1) % all.count]
            }
        case .teams:
            if reverse { teams.browse.descending.toggle() } else {
                let all = Browse.GroupOrder.allCases
                teams.order = all[(all.firstIndex(of: teams.order)! + 1) % all.count]
            }
        case .requests:
            requests.browse.descending.toggle()
        }
        needsSync.insert(tab)
    }

    private func togglePause(visible: Int) {
        if paused != nil {
            paused = nil
            requests.maxID = nil
            needsSync.insert(.requests)
            if follow { followNewest(visible: visible) }
        } else {
            let latest = ((try? directory.latestRequestID()) ?? nil) ?? 0
            paused = (latest, 0)
            requests.maxID = latest
        }
    }

    // MARK: actions

    private func askActive(_ active: Bool, now: Date) {
        guard mayChangeState(now) else { return }
        guard let id = selectedID, let user = try? directory.user(id: id) else {
            say("Select a user first.", .warn, now)
            return
        }
        openActiveDialog(user: user, active: active, now: now)
    }

    private func openActiveDialog(user: StoredUser, active: Bool, now: Date) {
        if user.active == active {
            say("\(user.userName) is already \(active ? "active" : "inactive").", .info, now)
            return
        }
        let name = user.document["displayName"]?.stringValue.map { " (\($0))" } ?? ""
        if active {
            mode = .dialog(ConfirmDialog(title: "Reactivate user", target: "Reactivate \(user.userName)\(name)?",
                                         consequence: "Their active becomes true: the Grafana user is enabled again. Okta may set it back on its next push.",
                                         confirmLabel: "Reactivate"), .activate(id: user.id, userName: user.userName))
        } else {
            mode = .dialog(ConfirmDialog(title: "Deactivate user", target: "Deactivate \(user.userName)\(name)?",
                                         consequence: "Their active becomes false: the Grafana user is disabled, and the next GET /Users/\(user.id) says so. Okta may set it back on its next push.",
                                         confirmLabel: "Deactivate"), .deactivate(id: user.id, userName: user.userName))
        }
    }

    /// What a dialog's answer leads to, by key or by click.
    private func finish(_ pending: Pending, _ outcome: ConfirmDialog.Outcome, now: Date) -> AppStep {
        switch outcome {
        case .pending: return .continue
        case .cancelled:
            mode = .browse
            if pending != .quit { say("Cancelled; nothing changed.", .info, now) }
            return .continue
        case .confirmed:
            mode = .browse
            return perform(pending, now: now)
        }
    }

    private func perform(_ pending: Pending, now: Date) -> AppStep {
        switch pending {
        case .quit:
            return .quit(0)
        case .deactivate(let id, let name), .activate(let id, let name):
            let active: Bool = if case .activate = pending { true } else { false }
            do {
                // The same Directory operation a SCIM PATCH uses, logged as one.
                try directory.setActiveByHand(active, userID: id, scimBasePath: configuration.scimBasePath, origin: "console")
                // The person's own change shows at once, however slow the table is to read.
                users.invalidate()
                say("\(active ? "Reactivated" : "Deactivated") \(name).", .ok, now)
            } catch {
                say("Could not \(active ? "reactivate" : "deactivate") \(name): \(error)", .error, now)
            }
            return .continue
        }
    }

    private func run(_ line: String, visible: Int, now: Date) -> AppStep {
        guard let command = LiveCommand.parse(line) else {
            say("Unknown command \":\(line)\"; try \(LiveCommand.usage).", .error, now)
            return .continue
        }
        switch command {
        case .tab(let t): switchTab(t)
        case .help: mode = .help(offset: 0)
        case .quit: return .quit(0)
        case .deactivate(let name), .activate(let name):
            let active: Bool = if case .activate = command { true } else { false }
            guard mayChangeState(now) else { return .continue }
            let user: StoredUser
            switch findUser(name) {
            case .one(let found): user = found
            case .none:
                say("No user's userName, name or email contains \"\(name)\".", .error, now)
                return .continue
            case .several(let names, let total):
                let listed = names.joined(separator: ", ") + (total > names.count ? ", …" : "")
                say("\"\(name)\" matches \(total > names.count ? "more than \(names.count)" : "\(total)") users (\(listed)); type more of it, or Tab to complete.", .warn, now)
                return .continue
            }
            switchTab(.users)
            var state = states[.users] ?? TableState()
            state.select(id: user.id, in: users, visibleRows: visible)
            states[.users] = state
            openActiveDialog(user: user, active: active, now: now)
        }
        return .continue
    }

    enum UserMatch {
        case none
        case one(StoredUser)
        case several([String], total: Int)
    }

    /// The user `name` means: its userName or id exactly, else the one user
    /// whose userName, display name or email contains it.
    func findUser(_ name: String) -> UserMatch {
        if let exact = try? directory.user(named: name) { return .one(exact) }
        let limit = 6
        guard let found = try? directory.browseUsers(Browse(filter: name), order: .userName, range: 0..<limit), !found.isEmpty
        else { return .none }
        if found.count == 1, let user = try? directory.user(id: found[0].id) { return .one(user) }
        return .several(found.prefix(limit - 1).map(\.userName), total: found.count)
    }

    /// Tab in the command line: completes the verb, then a user's userName.
    func complete(_ line: String) -> String {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 {
            let matches = LiveCommand.verbs.filter { $0.hasPrefix(parts[0].lowercased()) }
            return matches.count == 1 ? matches[0] + (["deactivate", "activate"].contains(matches[0]) ? " " : "") : line
        }
        guard ["deactivate", "activate", "reactivate"].contains(parts[0].lowercased()), !parts[1].isEmpty,
            let found = try? directory.browseUsers(Browse(filter: parts[1]), order: .userName, range: 0..<50), !found.isEmpty
        else { return line }
        // The longest start the candidates share, or the one candidate.
        let names = found.map(\.userName)
        var common = names[0]
        for n in names.dropFirst() { while !n.lowercased().hasPrefix(common.lowercased()) { common.removeLast() } }
        return parts[0] + " " + (common.count > parts[1].count ? common : names.count == 1 ? names[0] : parts[1])
    }

    private func jumpToMember(visible: Int, now: Date) {
        guard let members = detailCache?.members, memberIndex < members.count else { return }
        let member = members[memberIndex]
        users.setFilter("")
        switchTab(.users)
        var state = states[.users] ?? TableState()
        state.select(id: member.id, in: users, visibleRows: visible)
        states[.users] = state
        needsSync.remove(.users)
        say("Jumped to \(member.userName).", .info, now)
    }

    private func copySelection(context: TerminalContext, now: Date) {
        guard let id = selectedID else { return }
        var text = id
        if tab == .requests, let r = Int64(id).flatMap({ try? directory.request(id: $0) }) {
            text = "\(r.method) \(r.path)\(r.query.isEmpty ? "" : "?" + r.query)"
        } else if tab == .users, let u = try? directory.user(id: id) {
            text = u.id
        }
        context.copyToClipboard(text)
        say("Copied: \(text)", .ok, now)
    }

    /// Shows a message in the status line.
    public func say(_ text: String, _ level: StatusMessage.Level, _ now: Date) {
        status = StatusMessage(text, level: level, now: now, lasting: level == .error ? 8 : 5)
    }

    // MARK: drawing

    public func draw(on surface: Surface, context: TerminalContext) {
        let now = clock()
        users.now = now
        teams.now = now
        users.rereadIfDue(now: now)
        teams.rereadIfDue(now: now)
        if users.applyPendingFilter() { needsSync.insert(.users) }
        guard TooSmallScreen.fits(surface.size) else {
            TooSmallScreen.draw(on: surface)
            return
        }
        let l = layout(surface.size)
        let visible = Table.visibleRows(in: l.table)
        if followPending, tab == .requests {
            followPending = false
            followNewest(visible: visible)
        }
        if needsSync.contains(tab) {
            var state = states[tab] ?? TableState()
            state.sync(with: source, visibleRows: visible)
            states[tab] = state
            needsSync.remove(tab)
        }
        drawHeader(on: surface, in: l.header, now: now, asciiOnly: context.asciiOnly)
        TabStrip(tabs: LiveTab.allCases.map(\.title), selected: tab.rawValue).draw(on: surface, in: l.tabs)
        drawTable(on: surface, in: l.table)
        drawDetail(on: surface, in: l.detail)
        drawFooter(on: surface, in: l.footer)
        StatusLine(currentStatus(now: now)).draw(on: surface, in: l.status, now: now)
        switch mode {
        case .dialog(let dialog, _): dialog.draw(on: surface, in: Rect(size: surface.size))
        case .help(let offset):
            helpLayout(surface.size).overlay.draw(on: surface, in: Rect(size: surface.size), offset: offset)
        default: break
        }
    }

    private func currentStatus(now: Date) -> StatusMessage? {
        if let error = [users.lastError, teams.lastError, requests.lastError].compactMap({ $0 }).first {
            return StatusMessage("Database error: \(error)", level: .error, now: now)
        }
        return status
    }

    /// The header's segments, each with the rank at which it gives way when
    /// the line is short (lowest first): the endpoint, the counts and
    /// LIVE/PAUSED never do; the sparkline goes first.
    func headerSegments(now: Date, asciiOnly: Bool) -> [HeaderBar.Segment] {
        // Unfiltered tables already hold these counts; ask the Directory only when a filter hides rows.
        let userCount = users.browse.filter.isEmpty ? users.count : ((try? directory.userCount()) ?? 0)
        let teamCount = teams.browse.filter.isEmpty ? teams.count : ((try? directory.groupCount()) ?? 0)
        var segments: [HeaderBar.Segment] = [HeaderBar.Segment(Span(shortEndpoint, Style(.dim)))]
        if configuration.readOnly { segments.append(HeaderBar.Segment(Span("READ-ONLY", Style(.warn, bold: true)), drop: 5)) }
        segments.append(HeaderBar.Segment(Span(Self.counted(userCount, "user"))))
        segments.append(HeaderBar.Segment(Span(Self.counted(teamCount, "team"))))
        let spark = Sparkline(values: rate.series(now: now), useASCII: asciiOnly).render(width: 18)
        segments.append(HeaderBar.Segment(Span(spark, Style(.title)), drop: 0))
        segments.append(HeaderBar.Segment(Span(String(format: "%.1f req/s", rate.perSecond(now: now)), Style(.title)), drop: 1))
        if let errorRate = rate.errorRate(now: now) {
            segments.append(HeaderBar.Segment(Span(String(format: "errors %.0f%%", errorRate * 100),
                                                   Style(errorRate > 0 ? .warn : .ok)), drop: errorRate > 0 ? 4 : 2))
        }
        // Only this process's own endpoint's drops are known here (`Directory.logSoon`).
        let unlogged = directory.unloggedExchanges
        if unlogged > 0 { segments.append(HeaderBar.Segment(Span("\(unlogged) not logged", Style(.warn, bold: true)), drop: 3)) }
        let cut = directory.responseBodiesNotKept
        if cut > 0 {
            segments.append(HeaderBar.Segment(Span(cut == 1 ? "1 body not kept" : "\(cut) bodies not kept", Style(.warn, bold: true)),
                                              drop: 3))
        }
        if let p = paused {
            segments.append(HeaderBar.Segment(Span("PAUSED · \(p.newCount) new", Style(.warn, bold: true))))
        } else {
            segments.append(HeaderBar.Segment(Span("LIVE", Style(.ok, bold: true))))
        }
        return segments
    }

    /// `1 user`, `2 users`, with thousands separated.
    static func counted(_ n: Int, _ noun: String) -> String {
        let digits = String(n)
        var grouped = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return String(grouped.reversed()) + " " + noun + (n == 1 ? "" : "s")
    }

    private func drawHeader(on surface: Surface, in rect: Rect, now: Date, asciiOnly: Bool) {
        HeaderBar(title: "scim-console", segments: headerSegments(now: now, asciiOnly: asciiOnly)).draw(on: surface, in: rect)
    }

    /// `127.0.0.1:9310 · default` from the connector URL.
    var shortEndpoint: String {
        let url = configuration.endpointURL
        let hostPart = url.split(separator: "/").dropFirst().first.map(String.init) ?? url
        let namespace = url.split(separator: "/").last.map(String.init) ?? ""
        return "\(hostPart) · \(namespace)"
    }

    var emptyText: String {
        if !currentBrowse.filter.isEmpty { return "Nothing matches </\(currentBrowse.filter)>; Esc clears the filter." }
        switch tab {
        case .users, .teams:
            return """
                No \(tab == .users ? "users" : "teams") provisioned yet. Okta's SCIM connector base URL:
                  \(configuration.endpointURL)
                (Okta needs a public HTTPS address: put a tunnel or reverse proxy in front.)
                To try it without Okta: scim-console simulate --url URL --token TOKEN
                """
        case .requests:
            return "No requests yet: they appear here as Okta (or anything) calls \(configuration.endpointURL)"
        }
    }

    func tableTitle() -> String {
        let browse = currentBrowse
        let shown = source.count
        let total: Int
        switch tab {
        case .users: total = browse.filter.isEmpty ? shown : (try? directory.userCount()) ?? shown
        case .teams: total = browse.filter.isEmpty ? shown : (try? directory.groupCount()) ?? shown
        case .requests: total = browse.filter.isEmpty ? shown : (try? directory.countRequests(Browse(), maxID: requests.maxID)) ?? shown
        }
        var title = "\(tab.title) (\(shown)/\(total))"
        if !browse.filter.isEmpty { title += " </\(browse.filter)>" }
        if tab == .users, users.pendingFilter != nil { title += " · reading users to filter…" }
        if tab == .requests { title += follow && paused == nil ? " · following" : "" }
        return title
    }

    private func drawTable(on surface: Surface, in rect: Rect) {
        let state = states[tab] ?? TableState()
        let focused = focus == .table
        switch tab {
        case .users:
            Table(title: tableTitle(), columns: UsersTable.columns, source: users, state: state,
                  sortColumn: users.sortColumn, sortDescending: users.browse.descending, focused: focused,
                  emptyText: emptyText)
                .draw(on: surface, in: rect)
        case .teams:
            Table(title: tableTitle(), columns: TeamsTable.columns, source: teams, state: state,
                  sortColumn: teams.sortColumn, sortDescending: teams.browse.descending, focused: focused,
                  emptyText: emptyText)
                .draw(on: surface, in: rect)
        case .requests:
            Table(title: tableTitle(), columns: RequestsTable.columns, source: requests, state: state,
                  sortColumn: requests.sortColumn, sortDescending: requests.browse.descending, focused: focused,
                  emptyText: emptyText)
                .draw(on: surface, in: rect)
        }
    }

    private func drawDetail(on surface: Surface, in rect: Rect) {
        let key = "\(tab.rawValue):\(selectedID ?? "-"):\(detailVersion)"
        if detailCache?.key != key {
            let (lines, members) = detailLines()
            detailCache = (key, lines, members)
            if memberIndex >= members.count { memberIndex = max(0, members.count - 1) }
        }
        var lines = detailCache!.lines
        // Long lines wrap (a `$ref`, a long header), except a team's members, chosen by line.
        if tab != .teams {
            let width = rect.width - 2
            if wrappedDetail?.key != key || wrappedDetail?.width != width {
                wrappedDetail = (key, width, lines.flatMap { $0.wrapped(width: width) })
            }
            lines = wrappedDetail!.lines
            if !detailSearch.isEmpty {
                let needle = detailSearch.lowercased()
                lines = lines.map { $0.plainText.lowercased().contains(needle) ? StyledLine($0.spans.map { Span($0.text, Style($0.style.role, bold: true, reverse: true)) }) : $0 }
            }
        }
        var offset = detailOffset
        if tab == .teams, let members = detailCache?.members, !members.isEmpty, focus == .detail {
            // The member list starts after the two heading lines; highlight the chosen member.
            let line = 2 + memberIndex
            if line < lines.count { lines[line] = StyledLine(lines[line].plainText, Style(.selection)) }
            let visible = max(1, rect.height - 2)
            offset = max(0, line - visible + 1)
        }
        offset = DetailPane.scrolled(offset, by: 0, lineCount: lines.count, rect: rect)
        if !(tab == .teams && focus == .detail) { detailOffset = offset }
        let title: String = switch tab {
        case .users: "User"
        case .teams: focus == .detail ? "Members — Enter jumps to the user" : "Team"
        case .requests: "Request"
        }
        DetailPane(title: title, lines: lines, offset: offset, focused: focus == .detail).draw(on: surface, in: rect)
    }

    private func drawFooter(on surface: Surface, in rect: Rect) {
        switch mode {
        case .filter(let field):
            surface.fill(rect)
            surface.put("/", at: Point(x: rect.x, y: rect.y), style: Style(.keyHint))
            surface.text(field.text, at: Point(x: rect.x + 1, y: rect.y), width: rect.width - 1)
            surface.setCursor(Point(x: rect.x + 1 + DisplayWidth.of(String(field.text.prefix(field.cursor))), y: rect.y))
        case .detailSearch(let field):
            surface.fill(rect)
            surface.put("search /", at: Point(x: rect.x, y: rect.y), style: Style(.keyHint))
            surface.text(field.text, at: Point(x: rect.x + 8, y: rect.y), width: rect.width - 8)
            surface.setCursor(Point(x: rect.x + 8 + DisplayWidth.of(String(field.text.prefix(field.cursor))), y: rect.y))
        case .prompt(let field):
            surface.fill(rect)
            surface.put(":", at: Point(x: rect.x, y: rect.y), style: Style(.keyHint))
            surface.text(field.text, at: Point(x: rect.x + 1, y: rect.y), width: rect.width - 1)
            surface.setCursor(Point(x: rect.x + 1 + DisplayWidth.of(String(field.text.prefix(field.cursor))), y: rect.y))
        default:
            KeyHintFooter(footerBindings).draw(on: surface, in: rect)
        }
    }

    // MARK: key bindings (from `LiveKeyTable`)

    var footerBindings: [KeyBinding] {
        if case .dialog = mode {
            return [KeyBinding("y", "confirm"), KeyBinding("n/Esc", "cancel"), KeyBinding("Tab", "switch button"),
                    KeyBinding("Enter", "press the focused button")]
        }
        if case .help = mode {
            return [KeyBinding("↑↓ PgUp PgDn g G", "scroll"), KeyBinding("Esc ?", "close help", keep: true)]
        }
        return LiveKeyTable.footer(tab: tab, detailFocused: focus == .detail, readOnly: configuration.readOnly)
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
