import Foundation
import Setup
import TerminalUI

/// Drawing the wizard: header with "Step N of 6", the step rail on the
/// left, the step's form, review or result on the right, keys and status below.
extension SetupWizard {
    static let railWidth = 24

    func draw(on surface: Surface, context: TerminalContext) {
        surface.clear()
        surface.setCursor(nil)
        let size = surface.size
        guard TooSmallScreen.fits(size) else {
            TooSmallScreen.draw(on: surface)
            return
        }
        let all = Rect(size: size)
        let (header, rest) = all.splitTop(1)
        let (above, bottom) = rest.splitBottom(2)
        let (footer, statusRect) = bottom.splitTop(1)
        // The connector URL gets whole lines of its own, across the full width,
        // so it is never clipped or broken inside a box (and copies cleanly).
        let band = urlBand.map { TextWrap.lines($0, width: size.width) } ?? []
        let (body, bandRect) = above.splitBottom(band.isEmpty ? 0 : band.count + 1)
        if !band.isEmpty {
            surface.text(urlBandLabel, at: Point(x: bandRect.x, y: bandRect.y), width: bandRect.width, style: Style(.dim))
            for (i, line) in band.enumerated() {
                surface.text(line, at: Point(x: bandRect.x, y: bandRect.y + 1 + i), width: bandRect.width, style: Style(.ok, bold: true))
            }
        }
        HeaderBar(title: "scim-console setup", segments: [
            Span("Step \(step.number) of \(SetupStep.count)", Style(.title)),
            Span(targetLabel),
        ]).draw(on: surface, in: header)
        let (rail, content) = body.splitLeft(Self.railWidth)
        drawRail(on: surface, in: rail)
        surface.box(content, title: "Step \(step.number) of \(SetupStep.count): \(step.title)", focused: true)
        let inner = content.inset(1)
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        switch phase {
        case .form: drawForm(on: surface, in: area)
        case .review: drawLines(reviewLines, on: surface, in: area)
        case .working: drawLines(workingLines, on: surface, in: area)
        case .result: drawLines(resultLines, on: surface, in: area)
        }
        if let savePath {
            let box = all.centered(width: min(70, size.width - 4), height: 6)
            surface.fill(box)
            surface.box(box, title: "Save the token", focused: true)
            TextField(label: "File (created 0600; an existing file is not overwritten)", state: savePath, focused: true,
                      hint: "Enter saves · Esc cancels")
                .draw(on: surface, at: Point(x: box.x + 2, y: box.y + 1), width: box.width - 4)
        }
        if let quitDialog { quitDialog.draw(on: surface, in: all) }
        KeyHintFooter(keyBindings).draw(on: surface, in: footer)
        StatusLine(visibleStatus).draw(on: surface, in: statusRect, now: clock())
    }

    /// While network work runs: a spinner, where it goes, how long it has taken, and how to stop it.
    var workingLines: [StyledLine] {
        let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
        let elapsed = workStarted.map { clock().timeIntervalSince($0) } ?? 0
        let frame = frames[Int(elapsed * 10) % frames.count]
        return [StyledLine([Span(frame + " ", Style(.title)), Span("Talking to \(target().baseURL)… "),
                            Span(String(format: "%.1f s", elapsed), Style(.dim))]),
                StyledLine(""),
                StyledLine("Esc cancels.", Style(.dim))]
    }

    /// The connector URL, shown on its own full-width lines on the steps that use it.
    var urlBand: String? {
        switch step {
        case .connectorURL where errors.isEmpty: return answers.connectorURL
        case .okta: return answers.oktaConnectorURL
        case .test where answers.target != .embedded && answers.mode == .relay && errors.isEmpty: return answers.oktaConnectorURL
        default: return nil
        }
    }

    var urlBandLabel: String {
        let copy = step == .okta ? "c copies it" : "Ctrl-Y copies it"
        return answers.hasPublicHost ? "SCIM connector base URL (\(copy)):"
            : "Connector URL (\(copy)); YOUR-PUBLIC-HOST is your tunnel's host:"
    }

    var targetLabel: String {
        switch answers.target {
        case .embedded: return "embedded endpoint"
        case .selfHosted, .cloud: return answers.grafanaURL.isEmpty ? answers.target.rawValue : answers.grafanaURL
        }
    }

    func drawRail(on surface: Surface, in rect: Rect) {
        surface.box(rect, title: "Guide", focused: false)
        for (i, s) in SetupStep.allCases.enumerated() where rect.y + 1 + i * 2 < rect.maxY - 1 {
            let done = progress.isApplied(s)
            let mark = s == step ? "▸" : done ? "✓" : " "
            let style: Style = s == step ? Style(.selection) : done ? Style(.ok) : Style(.dim)
            surface.text("\(mark) \(s.number). \(s.shortTitle)", at: Point(x: rect.x + 1, y: rect.y + 1 + i * 2),
                         width: rect.width - 2, style: style, pad: s == step)
        }
    }

    // MARK: form

    /// The explanation at the top of each step's form.
    var intro: [StyledLine] {
        switch step {
        case .grafana:
            return [StyledLine("Which Grafana should Okta provision? The embedded endpoint is a stand-in for Grafana that runs inside this console: nothing else to install.")]
        case .toggle:
            switch answers.target {
            case .embedded:
                let findings = toggleChange?.report.findings.map { StyledLine("• " + $0, $0.hasPrefix("Warning") ? Style(.warn) : .normal) } ?? []
                return [StyledLine("The embedded endpoint's ini file: \(embedded.iniPath)")] + findings
                    + [StyledLine(""), StyledLine("Enter shows the change before anything is written.", Style(.dim))]
            case .selfHosted:
                let found = FeatureToggleStep.foundConfigFiles()
                return [StyledLine("Which ini file does your Grafana read? Found here: \(found.isEmpty ? "none" : found.joined(separator: ", ")). Leave it empty when Grafana runs on another machine."),
                        StyledLine("Enter shows the change before anything is written.", Style(.dim))]
            case .cloud:
                return FeatureToggleStep.cloudInstructions.map { StyledLine($0) } + [StyledLine("Enter checks whether enableSCIM is live.", Style(.dim))]
            }
        case .serviceAccount:
            return [StyledLine("Okta authenticates with a service account token. An account with this name is reused if it exists.")]
        case .connectorURL:
            switch answers.target {
            case .embedded: return [StyledLine("The public host is your tunnel or proxy in front of this machine. A stack id gives a Cloud-style namespace (stacks-N).")]
            case .selfHosted: return [StyledLine("The host Okta reaches Grafana at, and the org (1 → default).")]
            case .cloud: return [StyledLine("Your stack's host, and its stack id (grafana.com › your stack › Details).")]
            }
        case .okta:
            return [StyledLine("In Okta: Applications › your Grafana app › Provisioning. Enter these:")]
        case .test:
            return [StyledLine("Enter sends what Okta's Test Connector Configuration sends, and a request with a wrong token, which must be refused.")]
        }
    }

    func label(_ field: WizardField) -> String {
        switch field {
        case .target: return "Grafana"
        case .grafanaURL: return "Grafana URL"
        case .authMode: return "Log in with"
        case .adminUser: return "Admin user"
        case .secret: return answers.useToken ? "Service account token (role Admin)" : "Password"
        case .orgID: return "Org id (1 is the main org)"
        case .tls: return "TLS"
        case .iniPath: return "Grafana ini file"
        case .accountName: return "Service account name"
        case .role: return "Role"
        case .tokenName: return "Token name"
        case .host: return answers.target == .embedded ? "Public host (tunnel or proxy; optional for now)" : "Grafana host (a pasted URL is fine)"
        case .stackID: return answers.target == .embedded ? "Stack id (optional: Cloud-style namespace)" : "Stack id"
        case .org: return answers.target == .embedded ? "Org (optional; 1 is default)" : "Org (1 → default, N → org-N)"
        case .pastedToken: return "Token (glsa_…)"
        case .consoleMode: return "Afterwards, the console"
        case .relayHost: return "Public host Okta reaches this console at"
        }
    }

    func hint(_ field: WizardField) -> String? {
        switch field {
        case .secret, .pastedToken: return "Ctrl-R shows it · never saved"
        case .grafanaURL: return "https://grafana.example.com or https://acme.grafana.net"
        case .role: return ServiceAccountStep.roleExplanations[answers.choice(of: .role)]
        case .tls where !answers.verifyTLS: return "Insecure: the credentials could be read in transit. Only for a self-signed certificate you trust."
        case .target where answers.target == .embedded: return "Okta will need a tunnel or reverse proxy to reach it (step 4)."
        case .relayHost: return "Okta's connector URL becomes this host plus Grafana's path (https://HOST/apis/…)"
        default: return nil
        }
    }

    func details(_ field: WizardField) -> [String] {
        switch field {
        case .target: return WizardField.targetDetails
        case .consoleMode: return WizardField.modeDetails
        default: return []
        }
    }

    func drawForm(on surface: Surface, in rect: Rect) {
        let f = fields
        guard !f.isEmpty else {
            // Nothing to type: the explanation and what follows it, scrollable.
            drawLines(intro + [StyledLine("")] + trailer, on: surface, in: rect)
            return
        }
        var y = rect.y
        for line in wrap(intro, width: rect.width) where y < rect.maxY {
            line.draw(on: surface, at: Point(x: rect.x, y: y), width: rect.width)
            y += 1
        }
        y += 1
        let current = focusedField
        let trailerLines = wrap(trailer, width: rect.width)
        // Keep the focused field on screen: skip whole fields above it when space is short.
        let heights = f.map { fieldHeight($0, width: rect.width) }
        var first = 0
        if let current, let index = f.firstIndex(of: current) {
            while first < index, heights[first...index].reduce(0, +) > rect.maxY - y { first += 1 }
        }
        for (offset, field) in f[first...].enumerated() {
            let height = heights[first + offset]
            guard y + height - 1 <= rect.maxY else { break }
            let focused = field == current
            var messageY = y + 2
            if field.isChoice {
                surface.text(label(field), at: Point(x: rect.x, y: y), width: rect.width, style: Style(focused ? .title : .normal))
                ChoiceList(options: options(field), details: details(field), selected: answers.choice(of: field))
                    .draw(on: surface, in: Rect(x: rect.x + 1, y: y + 1, width: rect.width - 1, height: options(field).count),
                          focused: focused)
                messageY = y + 1 + options(field).count
            } else {
                TextField(label: label(field), state: textState(field), focused: focused)
                    .draw(on: surface, at: Point(x: rect.x, y: y), width: rect.width)
            }
            for (k, line) in message(field, width: rect.width).enumerated() where messageY + k < rect.maxY {
                line.draw(on: surface, at: Point(x: rect.x, y: messageY + k), width: rect.width)
            }
            y += height
        }
        for line in trailerLines where y < rect.maxY {
            line.draw(on: surface, at: Point(x: rect.x, y: y), width: rect.width)
            y += 1
        }
    }

    /// The wrapped lines under a field: its error, else its hint.
    func message(_ field: WizardField, width: Int) -> [StyledLine] {
        if let error = shownError(field) {
            return TextWrap.lines("✗ " + error, width: width).prefix(3).map { StyledLine($0, Style(.error)) }
        }
        if field == .tokenName, let note = tokenNameProblem {
            return TextWrap.lines("! " + note, width: width).prefix(3).map { StyledLine($0, Style(.warn)) }
        }
        if let hint = hint(field) {
            return TextWrap.lines(hint, width: width).prefix(2).map { StyledLine($0, Style(.dim)) }
        }
        return []
    }

    func fieldHeight(_ field: WizardField, width: Int) -> Int {
        let body = field.isChoice ? 1 + options(field).count : 2
        return body + message(field, width: width).count + 1
    }

    /// Wraps long single-style lines; lines of several styles are kept (and clipped).
    func wrap(_ lines: [StyledLine], width: Int) -> [StyledLine] {
        var result: [StyledLine] = []
        for line in lines {
            let text = line.plainText
            if DisplayWidth.of(text) <= width || line.spans.count > 1 {
                result.append(line)
            } else {
                let style = line.spans.first?.style ?? .normal
                for (i, part) in TextWrap.lines(text, width: width - 2).enumerated() {
                    result.append(StyledLine(i == 0 ? part : "  " + part, style))
                }
            }
        }
        return result
    }

    /// Lines under the fields: the live connector URL, the Okta checklist.
    var trailer: [StyledLine] {
        switch step {
        case .connectorURL:
            if errors.isEmpty {
                var lines: [StyledLine] = answers.connectorURLWarning.map { [StyledLine("! " + $0, Style(.warn))] } ?? []
                if answers.target == .embedded, case .success(let ns) = answers.namespace {
                    lines.append(StyledLine("Local: \(ConnectorURL.on(base: localBaseURL, namespace: ns))", Style(.dim)))
                }
                return lines
            }
            return [StyledLine("Connector URL: fix the fields marked ✗ to see it.", Style(.warn))]
        case .okta:
            var lines: [StyledLine] = []
            let hint = token != nil ? "the token from step 3" : answers.tokenFile.isEmpty ? "the token from step 3" : "the token in \(answers.tokenFile)"
            for item in OktaChecklist.items(connectorURL: "shown in full below", tokenHint: hint) {
                lines.append(StyledLine("☐ \(item.setting)", Style(.title)))
                lines.append(StyledLine("  \(item.value)", item.copyable ? Style(.ok) : .normal))
            }
            lines.append(StyledLine("c copies the connector URL · Enter when done", Style(.dim)))
            return lines
        case .test:
            guard !testBase.isEmpty else { return [] }
            return [StyledLine("Requests go to \(testBase)", Style(.dim))]
        default:
            return []
        }
    }

    // MARK: review and result

    var reviewLines: [StyledLine] {
        var lines: [StyledLine] = [StyledLine("Review: nothing has been changed yet. Enter applies, Esc goes back.", Style(.title)), StyledLine("")]
        switch step {
        case .toggle:
            guard let change = toggleChange else {
                if hasNoLocalFile {
                    lines.append(StyledLine("No ini file given: Grafana runs elsewhere. Turn the toggle on there:"))
                    lines += FeatureToggleStep.environmentInstructions(version: progress.grafanaVersion).map { StyledLine($0) }
                    lines.append(StyledLine("or add enableSCIM = true under [feature_toggles] in its grafana.ini. Enter then checks /api/frontend/settings."))
                }
                return lines
            }
            lines.append(StyledLine("File: \(change.path)"))
            for finding in change.report.findings {
                lines.append(StyledLine(finding, finding.hasPrefix("Warning") ? Style(.warn) : .normal))
            }
            lines.append(StyledLine(""))
            if change.isEmpty {
                lines.append(StyledLine("Nothing to change: Enter checks that enableSCIM is live.", Style(.ok)))
            } else {
                lines.append(StyledLine("The change (a timestamped backup is kept beside the file):"))
                for d in change.diff {
                    let style: Style = switch d.kind {
                    case .added: Style(.ok)
                    case .removed: Style(.error)
                    case .context, .gap: Style(.dim)
                    }
                    lines.append(StyledLine(d.description, style))
                }
            }
            if answers.target == .selfHosted {
                lines.append(StyledLine(""))
                lines += FeatureToggleStep.environmentInstructions(version: progress.grafanaVersion).map { StyledLine($0, Style(.dim)) }
            }
        case .serviceAccount:
            lines.append(StyledLine("• Find the service account \"\(answers.serviceAccountName)\"; create it with role \(answers.role) if missing."))
            lines.append(StyledLine("• Create the token \"\(answers.tokenName)\" (never expires). It is shown once."))
            if answers.role == "None" {
                lines.append(StyledLine("  Role None: grant org.users:read/write/add/remove and teams:read/create/write/delete.", Style(.warn)))
            }
        case .connectorURL:
            lines.append(StyledLine("Connector URL: \(answers.connectorURL)", Style(.ok, bold: true)))
            if answers.target == .embedded, case .success(let ns) = answers.namespace {
                lines.append(StyledLine("• The embedded endpoint will answer for namespace \(ns) (other namespaces get 403)."))
            }
        default: break
        }
        return lines
    }

    var resultLines: [StyledLine] {
        var lines = report.lines.map { line -> StyledLine in
            let style: Style = switch line.level {
            case .ok: Style(.ok)
            case .warn: Style(.warn)
            case .fail: Style(.error)
            case .info: .normal
            }
            return StyledLine(line.description, style)
        }
        if step == .serviceAccount, token != nil {
            lines.append(StyledLine(""))
            lines.append(StyledLine("Token (r reveals · c copies · s saves to a 0600 file):", Style(.title)))
            lines.append(StyledLine(tokenView.shown, Style(.ok, bold: true)))
            if !answers.tokenFile.isEmpty { lines.append(StyledLine("Saved in \(answers.tokenFile).", Style(.dim))) }
        } else if step == .serviceAccount, progress.isApplied(.serviceAccount) {
            lines.append(StyledLine(""))
            lines.append(StyledLine("The token was shown when it was made and is not kept" + (answers.tokenFile.isEmpty ? "" : " (except in \(answers.tokenFile))") + ". Lost it? Esc, then make a new one.", Style(.dim)))
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine(resultHint, Style(.dim)))
        return lines
    }

    var resultHint: String {
        switch step {
        case .test:
            return checks.allSatisfy(\.passed) && !checks.isEmpty
                ? "Every check passed. Enter opens the live pane." : "r runs the checks again · Esc edits the token"
        case .toggle:
            return report.ok ? "Enter: next step · v checks again" : "v checks again after the restart · Esc goes back"
        default:
            return report.ok ? "Enter: next step · Esc: back to the form" : "Esc: back to the form to fix it"
        }
    }

    func drawLines(_ lines: [StyledLine], on surface: Surface, in rect: Rect) {
        // Long lines wrap, so nothing that matters is clipped at 80 columns.
        let wrapped = wrap(lines, width: rect.width)
        let maxScroll = max(0, wrapped.count - rect.height)
        scroll = min(scroll, maxScroll)
        overflowing = maxScroll > 0
        let offset = scroll
        for (i, line) in wrapped.dropFirst(offset).prefix(rect.height).enumerated() {
            line.draw(on: surface, at: Point(x: rect.x, y: rect.y + i), width: rect.width)
        }
        if maxScroll > 0 {
            // On the box's bottom edge, where it hides nothing.
            let more = offset < maxScroll ? " ↓ PgDn more " : " ↑ PgUp back "
            surface.text(more, at: Point(x: rect.maxX - 13, y: rect.maxY), width: 13, style: Style(.dim))
        }
    }

    var keyBindings: [KeyBinding] {
        if quitDialog != nil {
            return [KeyBinding("y", "quit"), KeyBinding("n/Esc", "stay"), KeyBinding("Tab", "switch button"),
                    KeyBinding("Enter", "press the focused button")]
        }
        var b: [KeyBinding] = []
        let scrolls = overflowing ? [KeyBinding("↑↓ PgDn", "scroll")] : []
        switch phase {
        case .form:
            let f = fields
            b = [KeyBinding("Enter", focus >= f.count - 1 ? "next step" : "next field")]
            if f.count > 1 { b.append(KeyBinding("Tab", "fields")) }
            b.append(KeyBinding("Esc", "back a step"))
            if step == .connectorURL { b.append(KeyBinding("^Y", "copy URL")) }
            if step == .okta { b.append(KeyBinding("c", "copy URL")) }
            if f.isEmpty { b += scrolls }
        case .review: b = [KeyBinding("Enter", "apply"), KeyBinding("Esc", "back")] + scrolls
        case .working: b = [KeyBinding("Esc", "cancel")]
        case .result:
            b = [KeyBinding("Enter", step == .test ? "finish" : "next"), KeyBinding("Esc", "back")] + scrolls
        }
        // On a result nothing is typed, so a bare q quits too.
        b.append(KeyBinding(phase == .result ? "q ^Q" : "^Q", "quit", keep: true))
        return b
    }
}
