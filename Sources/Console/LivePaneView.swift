import ConsoleQueries
import Directory
import Foundation
import GrafanaMirror
import SCIM
import Setup
import TerminalUI

/// Drawing the live pane: header, tabs, table, detail, footer, status.
extension LivePane {
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

    func currentStatus(now: Date) -> StatusMessage? {
        if let error = [users.lastError, teams.lastError, requests.lastError].compactMap({ $0 }).first {
            return StatusMessage("Database error: \(error)", level: .error, now: now)
        }
        if let status, status.expires > now { return status }
        // In Requests, a failure Okta would count says its likely cause in one line; the detail says it in full.
        if tab == .requests, let line = explanationLine() { return StatusMessage(line, level: .warn, now: now) }
        return status
    }

    /// `! 401 · The token is wrong, expired or revoked: …` for the selected request, when a row of
    /// `FailureExplanations` explains it; read once per selection.
    func explanationLine() -> String? {
        guard let id = selectedID.flatMap(Int64.init) else { return nil }
        if let cached = explained, cached.id == id { return cached.line }
        var line: String?
        if let r = try? requestLog.entry(id: id),
           let why = FailureExplanations.explain(method: r.method, path: r.path, status: r.status, body: r.responseBody) {
            line = "! \(r.status) · \(why.line)"
        }
        explained = (id, line)
        return line
    }

    /// The header's segments, each with the rank at which it gives way when
    /// the line is short (lowest first): the endpoint, the counts and
    /// LIVE/PAUSED never do; the sparkline goes first.
    func headerSegments(now: Date, asciiOnly: Bool) -> [HeaderBar.Segment] {
        // Unfiltered tables already hold these counts; ask the Directory only when a filter hides rows.
        let userCount = users.browse.filter.isEmpty ? users.count : ((try? directory.userCount()) ?? 0)
        let teamCount = teams.browse.filter.isEmpty ? teams.count : ((try? directory.groupCount()) ?? 0)
        let relay = configuration.relay
        let mirror = configuration.mirror
        // Which Grafana, always; its namespace goes only when the line is short.
        let place: HeaderBar.Segment = if let relay {
            HeaderBar.Segment(Span("relay → \(relay.host) · \(relay.namespace)", Style(.dim)), short: Span("relay → \(relay.host)", Style(.dim)))
        } else if let mirror {
            HeaderBar.Segment(Span("watching \(mirror.target.host) · \(mirror.target.namespace)", Style(.dim)),
                              short: Span("watching \(mirror.target.host)", Style(.dim)))
        } else {
            HeaderBar.Segment(Span(shortEndpoint, Style(.dim)))
        }
        var segments = [place]
        if relay?.isUnreachable() == true {
            segments.append(HeaderBar.Segment(Span("Grafana unreachable", Style(.error, bold: true))))
        }
        var reading = false
        if let mirror {
            switch mirror.state.phase {
            // Current, or without a token (the empty tabs say why): said when there is room.
            case .read: segments.append(HeaderBar.Segment(Span("mirror current", Style(.dim)), drop: 2))
            case .noToken: segments.append(HeaderBar.Segment(Span("no token: traffic only", Style(.dim)), drop: 2))
            case .failed:
                let style = Style(.error, bold: true)
                segments.append(HeaderBar.Segment(Span("Grafana read failed", style), short: Span("read failed", style)))
            case .waiting:
                reading = true
                segments.append(HeaderBar.Segment(Span("reading Grafana…", Style(.warn))))
            case .reading(let collection, let done, let total):
                // `reading Grafana: 4,200 / 12,000 users`, or `reading 4,200/12,000 users` when the line is short.
                reading = true
                let what = collection == .users ? "users" : "teams"
                let (count, of) = (Self.grouped(done), total.map(Self.grouped) ?? "?")
                segments.append(HeaderBar.Segment(Span("reading Grafana: \(count) / \(of) \(what)", Style(.warn)),
                                                  short: Span("reading \(count)/\(of) \(what)", Style(.warn))))
            }
        }
        if configuration.readOnly { segments.append(HeaderBar.Segment(Span("READ-ONLY", Style(.warn, bold: true)), drop: 5)) }
        if directory.damageFound > 0 { segments.append(HeaderBar.Segment(Span("DAMAGED", Style(.error, bold: true)))) }
        if directory.diskSpace.isFull { segments.append(HeaderBar.Segment(Span("DISK FULL", Style(.error, bold: true)))) }
        // A relay's users and teams are in Grafana: without a mirror, this Directory's counts would say 0.
        // While a mirror is read, its progress stands for the counts.
        if mirror?.hasToken ?? (relay == nil), !reading {
            segments.append(HeaderBar.Segment(Span(Self.counted(userCount, "user"))))
            segments.append(HeaderBar.Segment(Span(Self.counted(teamCount, "team"))))
        }
        let spark = Sparkline(values: rate.series(now: now), useASCII: asciiOnly).render(width: 18)
        segments.append(HeaderBar.Segment(Span(spark, Style(.title)), drop: 0))
        segments.append(HeaderBar.Segment(Span(String(format: "%.1f req/s", rate.perSecond(now: now)), Style(.title)), drop: 1))
        if let errorRate = rate.errorRate(now: now) {
            segments.append(HeaderBar.Segment(Span(String(format: "errors %.0f%%", errorRate * 100),
                                                   Style(errorRate > 0 ? .warn : .ok)), drop: errorRate > 0 ? 4 : 2))
        }
        // Only this process's own endpoint's drops are known here (`Directory.logSoon`).
        let unlogged = requestLog.unloggedExchanges
        if unlogged > 0 { segments.append(HeaderBar.Segment(Span("\(unlogged) not logged", Style(.warn, bold: true)), drop: 3)) }
        let cut = requestLog.responseBodiesNotKept
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
        grouped(n) + " " + noun + (n == 1 ? "" : "s")
    }

    /// `12000` as `12,000`.
    static func grouped(_ n: Int) -> String {
        var grouped = ""
        for (i, c) in String(n).reversed().enumerated() {
            if i > 0, i % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return String(grouped.reversed())
    }

    func drawHeader(on surface: Surface, in rect: Rect, now: Date, asciiOnly: Bool) {
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
        if let mirror = configuration.mirror, let text = mirrorEmptyText(mirror) { return text }
        if let relay = configuration.relay {
            switch tab {
            case .users, .teams:
                return """
                    The \(tab == .users ? "users" : "teams") Okta provisions live in Grafana at \(relay.host);
                    this relay keeps none. The Requests tab (3) shows what Okta
                    sends and what Grafana answers. Okta's connector URL:
                      \(configuration.endpointURL)
                    """
            case .requests:
                return "No requests yet: they appear here as Okta calls \(configuration.endpointURL), relayed to \(relay.host)."
            }
        }
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

    /// What an empty tab says when the pane shows a real Grafana's users and teams.
    func mirrorEmptyText(_ mirror: Mirror) -> String? {
        let host = mirror.target.host
        let noun = tab == .users ? "users" : "teams"
        switch (tab, mirror.state.phase) {
        case (.requests, _):
            guard configuration.relay == nil else { return nil }
            return """
                Okta talks to Grafana at \(host) directly: this tab sees only the
                console's own requests there (its hand actions, and reads that failed).
                To see Okta's traffic too, relay it: scim-console --relay-to CONNECTOR_URL
                """
        case (_, .noToken):
            return """
                The \(noun) live in Grafana at \(host);
                the console has no token to read them. Start it with --token-file FILE
                (or GRAFANA_TOKEN) holding the SCIM token, kept in memory only.
                The Requests tab (3) shows the traffic.
                """ + connectorLine
        case (_, .waiting), (_, .reading):
            return "Reading the \(noun) of Grafana at \(host)…" + connectorLine
        case (_, .failed(let reason)):
            return "The \(noun) of Grafana at \(host) could not be read:\n\(reason)\nR reads again." + connectorLine
        case (_, .read):
            return "Grafana at \(host) has no \(noun) yet." + connectorLine
        }
    }

    /// In relay mode, the URL Okta is to be given: the relay's.
    private var connectorLine: String {
        configuration.relay == nil ? "" : "\nOkta's connector URL (this relay):\n  \(configuration.endpointURL)"
    }

    func tableTitle() -> String {
        let browse = currentBrowse
        let shown = source.count
        let total: Int
        switch tab {
        case .users: total = browse.filter.isEmpty ? shown : (try? directory.userCount()) ?? shown
        case .teams: total = browse.filter.isEmpty ? shown : (try? directory.groupCount()) ?? shown
        case .requests: total = browse.filter.isEmpty ? shown : (try? requestLog.countRequests(Browse(), maxID: requests.maxID)) ?? shown
        }
        var title = "\(tab.title) (\(shown)/\(total))"
        if !browse.filter.isEmpty { title += " </\(browse.filter)>" }
        if tab == .users, users.pendingFilter != nil { title += " · reading users to filter…" }
        if tab == .requests { title += follow && paused == nil ? " · following" : "" }
        // Watching without relaying: Okta's requests go straight to Grafana.
        if tab == .requests, configuration.relay == nil, configuration.mirror != nil { title += " · the console's own only" }
        return title
    }

    func drawTable(on surface: Surface, in rect: Rect) {
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

    func drawDetail(on surface: Surface, in rect: Rect) {
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
            // Wrapped and searched once per selection, width and search, not every frame.
            if wrappedDetail?.key != key || wrappedDetail?.width != width || wrappedDetail?.search != detailSearch {
                let needle = detailSearch.lowercased()
                let wrapped = lines.flatMap { $0.wrapped(width: width) }.map { line in
                    needle.isEmpty || !line.plainText.lowercased().contains(needle) ? line
                        : StyledLine(line.spans.map { Span($0.text, Style($0.style.role, bold: true, reverse: true)) })
                }
                wrappedDetail = (key, width, detailSearch, wrapped)
            }
            lines = wrappedDetail!.lines
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

    func drawFooter(on surface: Surface, in rect: Rect) {
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
        return LiveKeyTable.footer(tab: tab, detailFocused: focus == .detail, readOnly: configuration.readOnly,
                                  available: configuration.capabilities)
    }
}
