import TerminalUI

/// What a key does in the live pane.
enum LiveAction: Equatable {
    case showTab(LiveTab), nextTab, previousTab
    case move(Movement)
    case filter, command, help, askQuit, quitNow
    case sort, reverseSort, pause, follow
    case deactivate, activate, copy
    /// The selected request as a curl command: copied, and saved to a file.
    case export
    /// Reads the mirrored Grafana's users and teams again now.
    case reread
    /// Sends the selected request again (asks first).
    case replay
    /// In the detail pane: the next and previous line holding the search text.
    case nextMatch, previousMatch
    /// Enter: opens the detail; in a team's detail, jumps to the chosen member.
    case open
    /// Esc: back from the detail to the table, else clears the filter.
    case back

    enum Movement: Equatable {
        case up, down, pageUp, pageDown, top, bottom
    }
}

/// What some keys need of the pane: a mirror that can read its Grafana
/// (`R`), somewhere to send a replay (`r`).
enum LiveCapability: Hashable {
    case mirror, replay
}

/// One row of the live pane's key table.
struct LiveKeyBinding {
    /// The tabs it works on; nil for every tab.
    var tabs: Set<LiveTab>?
    var keys: [Key]
    /// The keys as the footer and help write them.
    var label: String
    var help: String
    /// The footer's words while the table has focus; nil keeps it to the help.
    var footer: String?
    /// The footer's words while the detail pane has focus.
    var detailFooter: String?
    /// Changes provisioned state: hidden and refused with `--read-only`.
    var changesState = false
    /// Never gives way in a narrow footer.
    var keep = false
    /// What the key needs to do anything: hidden where the pane lacks it.
    var needs: LiveCapability?
    var action: LiveAction

    func applies(to tab: LiveTab) -> Bool { tabs?.contains(tab) ?? true }
}

/// The live pane's keys: the one table that drives what a key does, what
/// the footer offers, what the help lists and what `--read-only` hides.
enum LiveKeyTable {
    static let bindings: [LiveKeyBinding] = [
        LiveKeyBinding(tabs: [.users], keys: [.char("d")], label: "d", help: "deactivate the selected user (asks first)",
                       footer: "deactivate", changesState: true, action: .deactivate),
        LiveKeyBinding(tabs: [.users], keys: [.char("a")], label: "a", help: "reactivate the selected user (asks first)",
                       footer: "reactivate", changesState: true, action: .activate),
        LiveKeyBinding(tabs: [.users, .teams], keys: [.char("R")], label: "R",
                       help: "read the mirrored Grafana's users and teams again now", footer: "re-read", needs: .mirror,
                       action: .reread),
        LiveKeyBinding(tabs: [.requests], keys: [.char(" ")], label: "Space",
                       help: "pause or resume the display (requests keep being recorded)", footer: "pause/resume", action: .pause),
        LiveKeyBinding(tabs: [.requests], keys: [.char("f")], label: "f", help: "follow the newest request again",
                       footer: "follow", action: .follow),
        LiveKeyBinding(keys: [.enter], label: "Enter",
                       help: "open the detail pane; on a team's members, jump to the chosen user",
                       footer: "detail", detailFooter: "jump to user", action: .open),
        LiveKeyBinding(keys: [.char("/")], label: "/",
                       help: "filter the table as you type (Esc clears); in the detail pane, search it",
                       footer: "filter", detailFooter: "search", action: .filter),
        LiveKeyBinding(keys: [.char("n")], label: "n", help: "in the detail pane: the next match of the search",
                       action: .nextMatch),
        LiveKeyBinding(keys: [.char("N")], label: "N", help: "in the detail pane: the previous match", action: .previousMatch),
        LiveKeyBinding(keys: [.char("1"), .char("2"), .char("3")], label: "1-3", help: "Users, Teams, Requests",
                       footer: "tabs", action: .showTab(.users)),
        LiveKeyBinding(keys: [.tab], label: "Tab", help: "next tab", action: .nextTab),
        LiveKeyBinding(keys: [.backTab], label: "Shift-Tab", help: "previous tab", action: .previousTab),
        LiveKeyBinding(keys: [.char("s")], label: "s", help: "sort by the next column", footer: "sort", action: .sort),
        LiveKeyBinding(keys: [.char("S")], label: "S", help: "reverse the sort order", action: .reverseSort),
        LiveKeyBinding(keys: [.char(":")], label: ":", help: "a command (below); Tab completes, ↑ recalls",
                       footer: "command", action: .command),
        LiveKeyBinding(keys: [.up, .char("k")], label: "↑ k", help: "up a row (in the detail pane: scroll)",
                       detailFooter: "scroll", action: .move(.up)),
        LiveKeyBinding(keys: [.down, .char("j")], label: "↓ j", help: "down a row (in the detail pane: scroll)",
                       action: .move(.down)),
        LiveKeyBinding(keys: [.pageUp, .ctrl("b")], label: "PgUp Ctrl-B", help: "up a page", action: .move(.pageUp)),
        LiveKeyBinding(keys: [.pageDown, .ctrl("f")], label: "PgDn Ctrl-F", help: "down a page", action: .move(.pageDown)),
        LiveKeyBinding(keys: [.home, .char("g")], label: "g Home", help: "to the first row", action: .move(.top)),
        LiveKeyBinding(keys: [.end, .char("G")], label: "G End", help: "to the last row (in Requests: the newest)",
                       action: .move(.bottom)),
        LiveKeyBinding(keys: [.char("c")], label: "c", help: "copy the selected id, or the request line (OSC 52)",
                       action: .copy),
        LiveKeyBinding(tabs: [.requests], keys: [.char("r")], label: "r",
                       help: "replay the selected request (asks first): sent again as logged, and logged as a replay",
                       footer: "replay", changesState: true, needs: .replay, action: .replay),
        LiveKeyBinding(tabs: [.requests], keys: [.char("x")], label: "x",
                       help: "the selected request as a curl command, copied (OSC 52) and saved to a file; $GRAFANA_TOKEN stands for the token",
                       action: .export),
        LiveKeyBinding(keys: [.escape], label: "Esc", help: "back from the detail pane; else clear the filter",
                       detailFooter: "back to table", action: .back),
        LiveKeyBinding(keys: [.char("?")], label: "?", help: "this help", footer: "help", detailFooter: "help", keep: true,
                       action: .help),
        LiveKeyBinding(keys: [.char("q")], label: "q", help: "quit (asks first)", footer: "quit", detailFooter: "quit",
                       keep: true, action: .askQuit),
        LiveKeyBinding(keys: [.char("Q"), .ctrl("c")], label: "Q Ctrl-C", help: "quit at once", action: .quitNow),
    ]

    /// The binding `key` triggers on `tab`, whatever `--read-only` says (the pane refuses those itself).
    static func binding(for key: Key, on tab: LiveTab) -> LiveKeyBinding? {
        bindings.first { $0.applies(to: tab) && $0.keys.contains(key) }
    }

    /// The action of `key`: number keys name their own tab.
    static func action(for key: Key, on tab: LiveTab) -> LiveAction? {
        guard let binding = binding(for: key, on: tab) else { return nil }
        if case .showTab = binding.action, case .char(let c) = key, let n = c.wholeNumberValue {
            return LiveTab(rawValue: n - 1).map { .showTab($0) }
        }
        return binding.action
    }

    /// What the footer offers, most important first; help and quit always stay.
    static func footer(tab: LiveTab, detailFocused: Bool, readOnly: Bool, available: Set<LiveCapability> = []) -> [KeyBinding] {
        bindings.compactMap { b in
            guard b.applies(to: tab), !(readOnly && b.changesState), b.needs.map(available.contains) ?? true,
                let words = detailFocused ? b.detailFooter : b.footer else { return nil }
            return KeyBinding(detailFocused && b.action == .move(.up) ? "↑↓" : b.label, words, keep: b.keep)
        }.filter { !(detailFocused && $0.keys == "Enter" && tab != .teams) }
    }

    /// The help: keys for every tab, then each tab's own, then the commands.
    static func helpSections(readOnly: Bool, reason: String = "the console was started with --read-only",
                             available: Set<LiveCapability> = [])
        -> [(title: String, bindings: [KeyBinding])] {
        func rows(_ pick: (LiveKeyBinding) -> Bool) -> [KeyBinding] {
            bindings.filter { pick($0) && !(readOnly && $0.changesState) && ($0.needs.map(available.contains) ?? true) }.map { KeyBinding($0.label, $0.help) }
        }
        var sections: [(title: String, bindings: [KeyBinding])] = [("Everywhere", rows { $0.tabs == nil })]
        for tab in LiveTab.allCases {
            let own = rows { $0.tabs?.contains(tab) == true }
            if !own.isEmpty { sections.append((tab.title, own)) }
        }
        if readOnly { sections.append(("Read-only", [KeyBinding("d a :deactivate :activate", "off: \(reason)")])) }
        sections.append(("Commands", LiveCommand.help(readOnly: readOnly)))
        sections.append(("Mouse", [KeyBinding("click", "select a row or a tab"), KeyBinding("wheel", "scroll")]))
        return sections
    }
}
