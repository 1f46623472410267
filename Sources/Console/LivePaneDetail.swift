import Directory
import Foundation
import SCIM
import Setup
import TerminalUI

/// What the detail pane shows for the selected row.
extension LivePane {
    func detailLines() -> ([StyledLine], [MemberReference]) {
        guard let id = selectedID else { return ([StyledLine("Nothing selected.", Style(.dim))], []) }
        do {
            switch tab {
            case .users: return (try userDetail(id), [])
            case .teams: return try teamDetail(id)
            case .requests: return (try requestDetail(id), [])
            }
        } catch {
            return ([StyledLine("Could not read it: \(StorageErrorText.sentence(error))", Style(.error))], [])
        }
    }

    private func userDetail(_ id: String) throws -> [StyledLine] {
        guard let user = try directory.user(id: id) else { return [StyledLine("This user is gone.", Style(.dim))] }
        var lines: [StyledLine] = []
        lines.append(StyledLine([Span("Teams: ", Style(.title)),
                                 Span(user.groups.isEmpty ? "none" : user.groups.map(\.displayName).joined(separator: ", "))]))
        let touching = try requestLog.summaries(touching: id, limit: 8)
        lines.append(StyledLine("Recent requests:", Style(.title)))
        if touching.isEmpty { lines.append(StyledLine("  none logged", Style(.dim))) }
        for r in touching {
            lines.append(StyledLine([Span("  \(TimeText.clock(r.time)) "), Span("\(r.method) ", Style(.keyHint)),
                                     Span(shortPath(r.path) + " "), Span(String(r.status), Style(r.status >= 400 ? .warn : .ok))]))
        }
        lines.append(StyledLine(""))
        let base = configuration.endpointURL
        lines += JSONHighlighter.lines(JSONCoding.serialize(user.representation(baseURL: base)))
        return lines
    }

    private func teamDetail(_ id: String) throws -> ([StyledLine], [MemberReference]) {
        guard let group = try directory.group(id: id) else { return ([StyledLine("This team is gone.", Style(.dim))], []) }
        var lines: [StyledLine] = []
        lines.append(StyledLine([Span(group.displayName, Style(.title)),
                                 Span("  externalId: \(group.document["externalId"]?.stringValue ?? "-")", Style(.dim))]))
        lines.append(StyledLine("Members (\(group.members.count)):", Style(.title)))
        for m in group.members {
            lines.append(StyledLine("  \(m.userName)" + (m.display.map { $0 == m.userName ? "" : "  (\($0))" } ?? "")))
        }
        if group.members.isEmpty { lines.append(StyledLine("  none", Style(.dim))) }
        return (lines, group.members)
    }

    private func requestDetail(_ id: String) throws -> [StyledLine] {
        guard let r = Int64(id).flatMap({ try? requestLog.entry(id: $0) }) else {
            return [StyledLine("This request has left the log.", Style(.dim))]
        }
        var lines: [StyledLine] = []
        let query = r.query.isEmpty ? "" : "?" + r.query
        lines.append(StyledLine([Span(r.method + " ", Style(.keyHint, bold: true)), Span(r.path + query)]))
        if !r.query.isEmpty { lines.append(StyledLine("  query: " + FormDecoding.decode(r.query), Style(.dim))) }
        lines.append(StyledLine([
            Span("Status \(r.status)", Style(r.status >= 500 ? .error : r.status >= 400 ? .warn : .ok)),
            Span(String(format: " · %.1f ms%@ · %@ · %@ · %@", r.duration * 1000,
                        r.upstreamDuration.map { String(format: " (Grafana %.1f ms)", $0 * 1000) } ?? "",
                        r.client, RequestsTable.client(r.userAgent), TimeText.clock(r.time))),
        ]))
        if let why = FailureExplanations.explain(method: r.method, path: r.path, status: r.status, body: r.responseBody) {
            lines.append(StyledLine([Span("Likely cause: ", Style(.warn, bold: true)), Span(why.cause + ".")]))
            lines.append(StyledLine([Span("What to do: ", Style(.warn, bold: true)), Span(why.fix + ".")]))
        }
        if let changes = changeLines(r), !changes.isEmpty {
            lines.append(StyledLine(""))
            lines.append(StyledLine("Changed attributes (before → after):", Style(.title)))
            lines += changes
        } else if let changes = Self.requestedChangeLines(r) {
            lines.append(StyledLine(""))
            lines.append(StyledLine("Changes applied (answered \(r.status), no body to compare):", Style(.title)))
            lines += changes
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Request headers:", Style(.title)))
        for h in r.requestHeaders { lines.append(StyledLine("  " + h)) }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Request body:", Style(.title)))
        lines += r.requestBody.isEmpty ? [StyledLine("  (empty)", Style(.dim))] : JSONHighlighter.lines(r.requestBody)
        lines.append(StyledLine(""))
        lines.append(StyledLine("Response headers:", Style(.title)))
        if r.responseHeaderText.isEmpty { lines.append(StyledLine("  (not kept for this exchange)", Style(.dim))) }
        for h in r.responseHeaderText.split(separator: "\n") { lines.append(StyledLine("  " + h)) }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Response body:", Style(.title)))
        lines += r.responseBytes.isEmpty ? [StyledLine("  (empty)", Style(.dim))] : JSONHighlighter.lines(r.responseBody)
        return lines
    }

    private func shortPath(_ path: String) -> String {
        path.hasPrefix(configuration.scimBasePath) ? "…" + path.dropFirst(configuration.scimBasePath.count) : path
    }

    /// For PUT and PATCH: each attribute whose value differs between the
    /// resource before the request and the response.
    func changeLines(_ r: LoggedRequest) -> [StyledLine]? {
        guard r.method == "PUT" || r.method == "PATCH", let beforeText = r.resourceBefore,
            let before = try? JSONCoding.parse(beforeText), let after = try? JSONCoding.parse(r.responseBody)
        else { return nil }
        let old = Self.flatten(before), new = Self.flatten(after)
        var lines: [StyledLine] = []
        for key in Set(old.keys).union(new.keys).sorted() where !key.hasPrefix("meta.") {
            switch (old[key], new[key]) {
            case let (a?, b?) where a != b:
                lines.append(StyledLine([Span("  ~ \(key): ", Style(.warn)), Span(a, Style(.dim)), Span(" → "), Span(b, Style(.ok))]))
            case let (nil, b?):
                lines.append(StyledLine([Span("  + \(key): ", Style(.ok)), Span(b)]))
            case let (a?, nil):
                lines.append(StyledLine([Span("  - \(key): ", Style(.error)), Span(a, Style(.dim))]))
            default: break
            }
        }
        if lines.isEmpty { lines.append(StyledLine("  nothing changed", Style(.dim))) }
        return lines
    }

    /// For a PATCH answered without a body (a team's membership change
    /// answers 204): its operations as sent, one member to a line, so the
    /// pane still says who joined and who left.
    static func requestedChangeLines(_ r: LoggedRequest) -> [StyledLine]? {
        guard r.method == "PATCH", (200..<300).contains(r.status), r.responseBytes.isEmpty,
            let operations = (try? JSONCoding.parse(r.requestBody))?[attribute: "Operations"]?.arrayValue
        else { return nil }
        var lines: [StyledLine] = []
        for operation in operations {
            let op = operation[attribute: "op"]?.stringValue?.lowercased() ?? "?"
            let path = operation[attribute: "path"]?.stringValue ?? ""
            let value = operation[attribute: "value"]
            switch (op, value?.arrayValue) {
            case ("add", let members?) where path.equalsIgnoringCase("members"):
                for m in members {
                    let id = m[attribute: "value"]?.stringValue ?? JSONCoding.serialize(m)
                    let display = m[attribute: "display"]?.stringValue.map { "  (\($0))" } ?? ""
                    lines.append(StyledLine([Span("  + members: ", Style(.ok)), Span(id + display)]))
                }
            case ("remove", _):
                lines.append(StyledLine([Span("  - ", Style(.error)), Span(path)]))
            default:
                let text = [path, value.map { JSONCoding.serialize($0) } ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
                lines.append(StyledLine([Span("  ~ \(op) ", Style(.warn)), Span(text)]))
            }
        }
        return lines.isEmpty ? nil : lines
    }

    /// `name.givenName`, `emails[0].value`… → value text.
    static func flatten(_ value: JSONValue, prefix: String = "") -> [String: String] {
        switch value {
        case .object(let o):
            var out: [String: String] = [:]
            for (k, v) in o { out.merge(flatten(v, prefix: prefix.isEmpty ? k : "\(prefix).\(k)")) { a, _ in a } }
            return out
        case .array(let items):
            var out: [String: String] = [:]
            for (i, v) in items.enumerated() { out.merge(flatten(v, prefix: "\(prefix)[\(i)]")) { a, _ in a } }
            if items.isEmpty { out[prefix] = "[]" }
            return out
        default:
            return [prefix: JSONCoding.serialize(value)]
        }
    }
}
