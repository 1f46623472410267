import Directory
import Foundation

/// The headers of a message that belong to the exchange, not to one
/// connection (RFC 9110 §7.6.1): what a relay passes on and a resent
/// request carries. `Host` and `Content-Length` go too: the client sets
/// them for the connection it makes.
public enum EndToEndHeaders {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// The fields that pass on: not hop-by-hop, nor named in the message's `Connection`.
    public static func of(_ fields: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var dropped = hopByHop
        for field in fields where field.name.lowercased() == "connection" {
            for token in field.value.split(separator: ",") {
                dropped.insert(token.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        return fields.filter { !dropped.contains($0.name.lowercased()) }
    }
}

extension LoggedRequest {
    /// The logged header lines as fields, in order (`Authorization` as redacted).
    var headerFields: [(name: String, value: String)] {
        requestHeaders.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }
}
