import Directory
import Foundation

/// A logged request as a curl command that sends it again: the method, the
/// URL, the end-to-end headers as logged, and the body as sent. The token
/// is never written: `Authorization` reads `$GRAFANA_TOKEN` from the shell,
/// so the command runs as is once that is set. `Accept-Encoding` is left
/// out, so the answer prints as text.
public enum CurlCommand {
    /// The command for `request`, sent to `base` (`https://host:port`, no
    /// path), or by default to `http://` and the Host it was sent to; nil
    /// when no base is given and the log kept no Host.
    public static func of(_ request: LoggedRequest, base: String? = nil) -> String? {
        let fields = request.headerFields
        guard var base = base ?? fields.first(where: { $0.name.lowercased() == "host" }).map({ "http://\($0.value)" }) else {
            return nil
        }
        while base.hasSuffix("/") { base.removeLast() }
        let url = base + request.path + (request.query.isEmpty ? "" : "?" + request.query)
        var lines = ["curl -sS -X \(request.method) \(quoted(url))"]
        var authorized = false
        for field in EndToEndHeaders.of(fields) {
            switch field.name.lowercased() {
            case "authorization": authorized = true
            case "accept-encoding": continue
            default: lines.append("-H \(quoted("\(field.name): \(field.value)"))")
            }
        }
        if authorized { lines.append(#"-H "Authorization: Bearer $GRAFANA_TOKEN""#) }
        guard !request.requestBody.isEmpty else { return lines.joined(separator: " \\\n  ") }
        var end = "SCIM_BODY"
        while request.requestBody.contains(end) { end += "_" }
        lines.append("--data-binary @- <<'\(end)'")
        return lines.joined(separator: " \\\n  ") + "\n" + request.requestBody + "\n" + end
    }

    /// `text` in single quotes for a POSIX shell.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
