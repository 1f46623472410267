import ConsoleQueries
import Directory
import Foundation
import GrafanaMirror
import PlainErrors
import SCIM
import Setup
import TerminalUI

/// What the live pane does for a person: deactivate and reactivate (asked
/// first, logged as the console's own), the `:` commands, copying, the status line.
extension LivePane {
    // MARK: actions

    func askActive(_ active: Bool, now: Date) {
        guard mayChangeState(now) else { return }
        guard let id = selectedID, let user = try? directory.user(id: id) else {
            say("Select a user first.", .warn, now)
            return
        }
        openActiveDialog(user: user, active: active, now: now)
    }

    func openActiveDialog(user: StoredUser, active: Bool, now: Date) {
        if user.active == active {
            say("\(user.userName) is already \(active ? "active" : "inactive").", .info, now)
            return
        }
        let name = user.document["displayName"]?.stringValue.map { " (\($0))" } ?? ""
        if let mirror = configuration.mirror {
            // The change is Grafana's to make: the dialog names that Grafana.
            let verb = active ? "Reactivate" : "Deactivate"
            let pending: Pending = active ? .activate(id: user.id, userName: user.userName) : .deactivate(id: user.id, userName: user.userName)
            mode = .dialog(ConfirmDialog(title: "\(verb) user in Grafana",
                                         target: "\(verb) \(user.userName) in \(mirror.target.host) (\(mirror.target.namespace))?",
                                         consequence: "Okta may turn it back on at its next push.",
                                         confirmLabel: verb), pending)
            return
        }
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
    func finish(_ pending: Pending, _ outcome: ConfirmDialog.Outcome, now: Date) -> AppStep {
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

    func perform(_ pending: Pending, now: Date) -> AppStep {
        switch pending {
        case .quit:
            return .quit(0)
        case .replay(let id):
            replay(id, now: now)
            return .continue
        case .deactivate(let id, let name), .activate(let id, let name):
            let active: Bool = if case .activate = pending { true } else { false }
            if let mirror = configuration.mirror {
                // Grafana answers; the mirror changes only from that answer.
                say("Asking Grafana at \(mirror.target.host) to \(active ? "reactivate" : "deactivate") \(name)…", .info, now)
                startWork {
                    let outcome = await mirror.setActive(active, userID: id, userName: name)
                    return PaneNote(outcome.sentence, succeeded: outcome.succeeded)
                }
                return .continue
            }
            do {
                // The same Directory operation a SCIM PATCH uses, logged as one.
                try directory.setActiveByHand(active, userID: id, scimBasePath: configuration.scimBasePath, origin: "console")
                // The person's own change shows at once, however slow the table is to read.
                users.invalidate()
                say("\(active ? "Reactivated" : "Deactivated") \(name).", .ok, now)
            } catch {
                say("Could not \(active ? "reactivate" : "deactivate") \(name): \(StorageErrorText.sentence(error))", .error, now)
            }
            return .continue
        }
    }

    func run(_ line: String, visible: Int, now: Date) -> AppStep {
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

    func jumpToMember(visible: Int, now: Date) {
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

    func copySelection(context: TerminalContext, now: Date) {
        guard let id = selectedID else { return }
        var text = id
        if tab == .requests, let r = Int64(id).flatMap({ try? requestLog.entry(id: $0) }) {
            text = "\(r.method) \(r.path)\(r.query.isEmpty ? "" : "?" + r.query)"
        } else if tab == .users, let u = try? directory.user(id: id) {
            text = u.id
        }
        context.copyToClipboard(text)
        say("Copied: \(text)", .ok, now)
    }

    /// The selected request as a curl command that sends it again to this
    /// endpoint (a relay passes it on): copied with OSC 52, and saved, 0600,
    /// as `request-ID.sh` in the export folder. The token is never written.
    func exportSelection(context: TerminalContext, now: Date) {
        guard tab == .requests, let id = selectedID, let r = Int64(id).flatMap({ try? requestLog.entry(id: $0) }) else { return }
        let url = configuration.endpointURL
        let base = url.range(of: "/apis/").map { String(url[..<$0.lowerBound]) } ?? url
        guard let command = CurlCommand.of(r, base: base) else { return }  // a base is given: always made
        context.copyToClipboard(command)
        guard let folder = configuration.exportFolder else {
            say("Request \(id) as curl (set GRAFANA_TOKEN to run it): copied.", .ok, now)
            return
        }
        let path = "\(folder)/request-\(id).sh"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: path, contents: Data((command + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else { throw CocoaError(.fileWriteUnknown) }
            say("Request \(id) as curl (set GRAFANA_TOKEN to run it): copied, and saved to \(path).", .ok, now)
        } catch {
            say("Request \(id) as curl: copied, but not saved in \(folder): \(PlainErrorText.reason(error)).", .warn, now)
        }
    }

    /// `r`: asks before sending the selected request again.
    func askReplay(now: Date) {
        guard tab == .requests, let id = selectedID.flatMap(Int64.init), let r = try? requestLog.entry(id: id) else {
            say("Select a request first.", .warn, now)
            return
        }
        guard let replay = configuration.replay else {
            say("Nothing to replay to: Okta talks to Grafana directly in watch mode. Relay it (--relay-to) to replay its requests.", .warn, now)
            return
        }
        guard replay.token != nil else {
            say("Replay needs the SCIM token: start the console with --token-file FILE (or GRAFANA_TOKEN).", .warn, now)
            return
        }
        guard mayChangeState(now) else { return }
        let path = r.path.hasPrefix(configuration.scimBasePath) ? "…" + r.path.dropFirst(configuration.scimBasePath.count) : r.path
        let lost = RequestReplay.lostSecrets(r) ? " Its password was not kept: \"[redacted]\" is sent in its place." : ""
        mode = .dialog(ConfirmDialog(title: "Replay request", target: "Send request \(id) (\(r.method) \(path)) again?",
                                     consequence: "It goes, as logged, to \(replay.destination) with the console's token, and is logged as a replay.\(lost)",
                                     confirmLabel: "Replay"), .replay(id: id))
    }

    func replay(_ id: Int64, now: Date) {
        guard let replay = configuration.replay, let token = replay.token, let r = try? requestLog.entry(id: id) else { return }
        say("Replaying request \(id)…", .info, now)
        startWork {
            switch await RequestReplay.send(r, to: replay.base, token: token) {
            case .success(let status):
                return PaneNote("Replayed request \(id) to \(replay.destination): \(status).", succeeded: status < 400)
            case .failure(let error):
                return PaneNote("Could not replay request \(id): \(error.description)", succeeded: false)
            }
        }
    }

    /// `R`: a whole read of the mirrored Grafana, now.
    func readMirrorAgain(now: Date) {
        guard let mirror = configuration.mirror, mirror.hasToken else { return }
        mirror.readAgainNow()
        say("Reading Grafana at \(mirror.target.host) again.", .info, now)
    }

    /// Shows a message in the status line.
    public func say(_ text: String, _ level: StatusMessage.Level, _ now: Date) {
        status = StatusMessage(text, level: level, now: now, lasting: level == .error ? 8 : 5)
    }
}
