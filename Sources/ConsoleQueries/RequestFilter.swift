import Directory
import GRDB

/// What the Requests tab's filter asks for: free text, matched against the
/// line as a person reads it, plus terms that name a field:
/// `status:4xx` or `status:404`, `method:PATCH`, and `user:NAME`, the
/// requests about the users whose userName, name or email contains NAME
/// (by the resource they touched, or NAME in the line, as a `userName eq`
/// lookup has it). Every part must hold.
public struct RequestFilter: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case exactly(Int)
        /// `4xx`: 400 to 499.
        case hundreds(Int)
    }

    public var text: String
    public var status: Status?
    public var method: String?
    public var user: String?

    /// Reads a filter as typed. A term that does not parse (`status:abc`) stays part of the text.
    public init(_ typed: String) {
        var words: [String] = []
        for word in typed.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let lower = word.lowercased()
            if lower.hasPrefix("status:"), let s = Self.status(String(lower.dropFirst(7))) {
                status = s
            } else if lower.hasPrefix("method:"), lower.count > 7 {
                method = String(word.dropFirst(7)).uppercased()
            } else if lower.hasPrefix("user:"), lower.count > 5 {
                user = String(word.dropFirst(5))
            } else {
                words.append(word)
            }
        }
        text = words.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    static func status(_ s: String) -> Status? {
        if s.count == 3, s.hasSuffix("xx"), let d = s.first?.wholeNumberValue, (1...5).contains(d) { return .hundreds(d) }
        if s.count == 3, let n = Int(s), (100...599).contains(n) { return .exactly(n) }
        return nil
    }

    /// The condition on a `request_log` row, given the ids of the users `user` names.
    func condition(userIDs: [String]) -> (sql: String, arguments: StatementArguments) {
        var parts: [String] = []
        var args: StatementArguments = []
        if !text.isEmpty {
            parts.append(RequestLog.requestSearchCondition)
            args += [Browse(filter: text).pattern]
        }
        switch status {
        case .exactly(let n)?: parts.append("status = ?"); args += [n]
        case .hundreds(let d)?: parts.append("status BETWEEN ? AND ?"); args += [d * 100, d * 100 + 99]
        case nil: break
        }
        if let method { parts.append("method = ?"); args += [method] }
        if let user {
            var either = [RequestLog.requestSearchCondition]
            args += [Browse(filter: user).pattern]
            if !userIDs.isEmpty {
                either.append("resource_id IN (\(Array(repeating: "?", count: userIDs.count).joined(separator: ",")))")
                args += StatementArguments(userIDs)
            }
            parts.append("(" + either.joined(separator: " OR ") + ")")
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), args)
    }
}
