import Foundation
import GRDB

/// A logged exchange without its headers and bodies: what a list of
/// requests shows. A logged list page's body is 54 KB; a table of 60 rows,
/// or the console's start (the last three minutes' statuses), read as whole
/// entries copied megabytes to show a line each.
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
    static let columns = "id, time, method, path, query, status, duration, client, user_agent"

    init(row: Row) {
        self.init(id: row[0], time: Date(timeIntervalSince1970: row[1]), method: row[2], path: row[3], query: row[4],
                  status: row[5], duration: row[6], client: row[7], userAgent: row[8])
    }

    /// What the Requests tab's filter matches (`request_log.search`): the
    /// line as a person reads it, the query decoded, lowercased. Written with
    /// the entry, so a filter compares one column: building it for each row
    /// at every query was 10 ms for 10,000 exchanges, three times a frame.
    static func searchText(method: String, path: String, query: String, status: Int, userAgent: String) -> String {
        let shownQuery = query.isEmpty ? "" : "?" + QueryText.decoded(query)
        return "\(method) \(path)\(shownQuery) \(status) \(userAgent)".lowercased()
    }
}

/// Query strings shown readably: `%20`/`+` as spaces, `%22` as quotes.
public enum QueryText {
    /// The query percent-decoded, `+` as a space; as it is when a `%` is not
    /// followed by two hex digits or the bytes are not UTF-8.
    ///
    /// By hand rather than with Foundation's `removingPercentEncoding` (after
    /// replacing `+`), which with the rest of the search text took 20 µs of
    /// the log writer's time per exchange, twice the writing itself.
    public static func decoded(_ query: String) -> String {
        guard query.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return query }
        let bytes = Array(query.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
                i += 1
            case UInt8(ascii: "%"):
                guard i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) else { return query }
                out.append(high << 4 | low)
                i += 3
            default:
                out.append(bytes[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self) ?? query
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
