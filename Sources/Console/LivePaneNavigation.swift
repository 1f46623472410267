import ConsoleQueries
import Directory
import Foundation
import SCIM
import TerminalUI

/// Moving about the live pane: rows, tabs, the detail pane and its search,
/// the help, the mouse, sorting and pausing.
extension LivePane {
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
        let overlay = HelpOverlay(sections: LiveKeyTable.helpSections(readOnly: configuration.readOnly,
                                                                            reason: configuration.readOnlyReason,
                                                                            available: configuration.capabilities))
        return (overlay, overlay.rect(in: Rect(size: size)))
    }

    func helpOffset(_ offset: Int, _ movement: LiveAction.Movement, size: Size, times: Int = 1) -> Int {
        let (overlay, rect) = helpLayout(size)
        let page = max(1, rect.height - 2)
        let delta = Self.delta(movement, visible: page)
        // Top and bottom are far past either end already; a repeat would overflow them.
        let steps = abs(delta) > page ? delta : delta * times
        return DetailPane.scrolled(offset, by: steps, lineCount: overlay.lines(width: rect.width - 2).count, rect: rect)
    }

    /// Whether an action that changes provisioned state may run; says why not.
    func mayChangeState(_ now: Date) -> Bool {
        guard configuration.readOnly else { return true }
        say("Read-only: \(configuration.readOnlyReason).", .warn, now)
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
    func handleMouse(x: Int, y: Int, button: MouseButton, size: Size, now: Date) -> AppStep {
        let visible = visibleRows(size)
        let l = layout(size)
        let wheel: LiveAction.Movement? = button == .wheelUp ? .up : button == .wheelDown ? .down : nil
        switch mode {
        case .help(let offset):
            if let wheel { mode = .help(offset: helpOffset(offset, wheel, size: size, times: 3)) }
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

    func cycleSort(reverse: Bool) {
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

    func togglePause(visible: Int) {
        if paused != nil {
            paused = nil
            requests.maxID = nil
            needsSync.insert(.requests)
            if follow { followNewest(visible: visible) }
        } else {
            let latest = ((try? requestLog.latestID()) ?? nil) ?? 0
            paused = (latest, 0)
            requests.maxID = latest
        }
    }
}
