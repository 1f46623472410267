import Foundation
import GRDB
import Synchronization

/// One HTTP exchange as recorded: secrets are redacted by the Endpoint
/// before a `LoggedRequest` is built, so nothing secret reaches the database.
@dynamicMemberLookup
public struct LoggedRequest: Sendable, Equatable {
    /// The exchange's line: id, time, method, path, query, status, duration,
    /// client and user agent (read through, as `entry.status`).
    public var summary: RequestSummary

    public subscript<T>(dynamicMember field: WritableKeyPath<RequestSummary, T>) -> T {
        get { summary[keyPath: field] }
        set { summary[keyPath: field] = newValue }
    }

    /// Header lines (`Name: value`), `Authorization` already redacted, one to
    /// a line: the text the log stores. Kept whole rather than as an array of
    /// lines, which would be a string allocated for each header on the event
    /// loop, joined on the log's writer, then each freed.
    public var requestHeaderText: String
    /// `requestHeaderText`'s lines.
    public var requestHeaders: [String] {
        get { requestHeaderText.isEmpty ? [] : requestHeaderText.components(separatedBy: "\n") }
        set { requestHeaderText = newValue.joined(separator: "\n") }
    }
    public var requestBody: String
    /// The response body's UTF-8 bytes as sent (cut to the log's size). Kept as
    /// bytes, not a `String`: the endpoint hands over the very array it answered
    /// from, where making a `String` would copy and validate every 54 KB list
    /// page; only the console, showing one entry, decodes it.
    public var responseBytes: [UInt8]
    public var responseBody: String {
        get { String(decoding: responseBytes, as: UTF8.self) }
        set { responseBytes = Array(newValue.utf8) }
    }
    /// The response's header lines, as `requestHeaderText` (empty for
    /// exchanges logged before they were kept).
    public var responseHeaderText: String
    /// The user or group the request touched, when there was one.
    public var resourceID: String?

    /// The User-Agent of the console's own requests: the setup wizard's
    /// probes and its hand actions. Their entries are labelled as the
    /// console's and left out of the error rate.
    public static let consoleUserAgentPrefix = "scim-console"

    /// Whether the console itself made this exchange.
    public var isByConsole: Bool { summary.userAgent.hasPrefix(Self.consoleUserAgentPrefix) }
    /// For PUT and PATCH: the resource as it was before, to show what changed.
    public var resourceBefore: String?
    /// Seconds a relayed Grafana took to answer (nil: answered here, or no answer came).
    public var upstreamDuration: Double?

    /// An exchange as the log stores it: its headers as one text, its response as bytes.
    public init(id: Int64 = 0, time: Date, method: String, path: String, query: String, status: Int,
                duration: Double, client: String, userAgent: String, requestHeaderText: String,
                requestBody: String, responseBytes: [UInt8], resourceID: String?, resourceBefore: String? = nil,
                responseHeaderText: String = "", upstreamDuration: Double? = nil) {
        summary = RequestSummary(id: id, time: time, method: method, path: path, query: query, status: status,
                                 duration: duration, client: client, userAgent: userAgent)
        self.responseHeaderText = responseHeaderText
        self.requestHeaderText = requestHeaderText
        self.requestBody = requestBody
        self.responseBytes = responseBytes
        self.resourceID = resourceID
        self.resourceBefore = resourceBefore
        self.upstreamDuration = upstreamDuration
    }

    /// An exchange from its header lines and its response body as text.
    public init(id: Int64 = 0, time: Date, method: String, path: String, query: String, status: Int,
                duration: Double, client: String, userAgent: String, requestHeaders: [String],
                requestBody: String, responseBody: String, resourceID: String?, resourceBefore: String? = nil) {
        self.init(id: id, time: time, method: method, path: path, query: query, status: status, duration: duration,
                  client: client, userAgent: userAgent, requestHeaderText: requestHeaders.joined(separator: "\n"),
                  requestBody: requestBody, responseBytes: Array(responseBody.utf8), resourceID: resourceID,
                  resourceBefore: resourceBefore)
    }
}

extension LoggedRequest {
    /// The entry with its response body replaced by a notice that says how
    /// long it was and why it was not kept (`RequestLogQueue`).
    func withoutResponseBody() -> LoggedRequest {
        var slim = self
        slim.responseBytes = Array(Self.bodyNotKeptNotice(bytes: responseBytes.count).utf8)
        return slim
    }

    /// What a response body reads as when the log's writer had fallen behind and did not keep it.
    public static func bodyNotKeptNotice(bytes: Int) -> String {
        "(this response body, \(bytes) bytes, was not kept: the request log's writer had fallen behind)"
    }

    /// The bytes an entry holds, near enough to bound a queue of them.
    var approximateBytes: Int {
        256 + summary.method.utf8.count + summary.path.utf8.count + summary.query.utf8.count
            + summary.client.utf8.count + summary.userAgent.utf8.count
            + requestHeaderText.utf8.count + requestBody.utf8.count + responseBytes.count
            + (resourceID?.utf8.count ?? 0) + (resourceBefore?.utf8.count ?? 0)
    }
}
