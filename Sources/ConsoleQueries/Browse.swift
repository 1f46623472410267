import Directory
import Foundation
import GRDB
import SCIM

/// A user as a list shows it: the columns of the live pane's Users table.
public struct UserSummary: Sendable, Equatable {
    public var id: String
    public var userName: String
    public var displayName: String
    public var workEmail: String
    public var active: Bool
    public var externalId: String
    public var teams: [String]
    public var lastModified: Date
}

/// A team as a list shows it.
public struct GroupSummary: Sendable, Equatable {
    public var id: String
    public var displayName: String
    public var memberCount: Int
    public var externalId: String
    public var lastModified: Date
}

/// Which rows a browsing view wants: a case-insensitive substring filter and
/// an order. Windows of it are read a page at a time, so a view over 100,000
/// users reads only what it shows.
public struct Browse: Sendable, Equatable {
    public enum UserOrder: String, Sendable, CaseIterable {
        case created, userName, displayName, externalId, lastModified
    }
    public enum GroupOrder: String, Sendable, CaseIterable {
        case created, displayName, externalId, lastModified
    }

    public var filter: String
    public var descending: Bool

    public init(filter: String = "", descending: Bool = false) {
        self.filter = filter
        self.descending = descending
    }

    var pattern: String {
        let escaped = filter.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return "%\(escaped)%"
    }
}
