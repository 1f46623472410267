import Foundation
import GRDB
import SCIM

/// A logged exchange without its headers and bodies: what a list of
/// requests shows. A logged list page's body is 54 KB; a table of 60 rows,
/// or the console's start (the last three minutes' statuses), read as whole
/// entries would copy megabytes to show a line each.
public struct RequestSummary: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    public var method: String
    public var path: String
    public var query: String
    public var status: Int
    /// Seconds.
    public var duration: Double
    public var client: String
    public var userAgent: String

    public init(id: Int64, time: Date, method: String, path: String, query: String, status: Int, duration: Double,
                client: String, userAgent: String) {
        self.id = id
        self.time = time
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.duration = duration
        self.client = client
        self.userAgent = userAgent
    }

    /// The columns `init(row:)` reads.
    package static let columns = "id, time, method, path, query, status, duration, client, user_agent"

    package init(row: Row) {
        self.init(id: row[0], time: Date(timeIntervalSince1970: row[1]), method: row[2], path: row[3], query: row[4],
                  status: row[5], duration: row[6], client: row[7], userAgent: row[8])
    }

    /// What the Requests tab's filter matches (`request_log.search`): the
    /// line as a person reads it, the query decoded, lowercased. Written with
    /// the entry, so a filter compares one column instead of building it for
    /// each row at every query.
    static func searchText(method: String, path: String, query: String, status: Int, userAgent: String) -> String {
        let shownQuery = query.isEmpty ? "" : "?" + FormDecoding.decode(query)
        return "\(method) \(path)\(shownQuery) \(status) \(userAgent)".lowercased()
    }
}
