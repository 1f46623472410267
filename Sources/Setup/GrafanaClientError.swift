import AsyncHTTPClient
import Foundation

/// Why a call to Grafana failed, as a sentence that says what to do.
public enum GrafanaClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case badURL(String)
    case unknownHost(String)
    case refused(String)
    case timedOut(String)
    case tls(host: String, detail: String)
    case unauthorized(String)
    /// 403, with Grafana's message (which names the missing permission).
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    case status(Int, String)
    case badResponse(String)
    case other(String)

    public var description: String {
        switch self {
        case .badURL(let u):
            return "\"\(u)\" is not a URL the console can call: use https://host[:port]."
        case .unknownHost(let h):
            return "The host \(h) could not be found (DNS): check the spelling of Grafana's URL."
        case .refused(let h):
            return "Nothing answers at \(h) (connection refused): check the URL and port, and that Grafana is running."
        case .timedOut(let h):
            return "\(h) did not answer in time: check the URL, a firewall or proxy between here and Grafana."
        case .tls(let h, let detail):
            return "The TLS connection to \(h) failed (\(detail)): check the certificate, or turn TLS verification off for a self-signed one."
        case .unauthorized(let m):
            return "Grafana refused the credentials (401: \(m)): check the admin user and password, or the token."
        case .forbidden(let m):
            return "Grafana says these credentials may not do this (403: \(m)). Use a Grafana admin, or a token of a service account with role Admin."
        case .notFound(let what):
            return "Grafana answered 404 for \(what): check the URL points at Grafana itself (no extra path)."
        case .conflict(let m):
            return "Grafana reports a conflict (409: \(m))."
        case .status(let code, let m):
            return "Grafana answered \(code): \(m)"
        case .badResponse(let detail):
            return "Grafana's answer was not what the console expected: \(detail)"
        case .other(let detail):
            return "The call to Grafana failed: \(detail)"
        }
    }

    /// `host[:port]` of a URL, as the sentences name where a call went; the URL itself when it has no host.
    public static func host(of url: String) -> String {
        guard let u = URL(string: url), let host = u.host else { return url }
        return host + (u.port.map { ":\($0)" } ?? "")
    }

    /// Names a transport error. AsyncHTTPClient and NIO report DNS, refusal and
    /// TLS failures as different types across platforms, so this reads them by
    /// their description rather than by type.
    public static func transport(_ error: any Error, host: String) -> GrafanaClientError {
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return .timedOut(host)
            case .remoteConnectionClosed:
                return .other("\(host) closed the connection before answering.")
            default: break
            }
        }
        let text = String(reflecting: error)
        let lower = text.lowercased()
        if lower.contains("refused") || lower.contains("errno: 111") || lower.contains("econnrefused") {
            return .refused(host)
        }
        if lower.contains("dns") || lower.contains("unknown host") || lower.contains("name or service not known")
            || lower.contains("no address") || lower.contains("nodename nor servname") || lower.contains("resolve")
        {
            return .unknownHost(host)
        }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") {
            return .tls(host: host, detail: String(text.prefix(160)))
        }
        if lower.contains("timeout") || lower.contains("timed out") { return .timedOut(host) }
        return .other(String(text.prefix(200)))
    }
}
