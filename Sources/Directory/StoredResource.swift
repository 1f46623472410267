import Foundation
import SCIM

/// A user as stored: the client's normalized document, the server's id and
/// meta, and the teams it belongs to (SCIM's read-only `groups`).
public struct StoredUser: Sendable, Equatable {
    public var id: String
    public var document: [String: JSONValue]
    public var meta: Meta
    public var groups: [GroupReference]

    public var userName: String { document["userName"]?.stringValue ?? "" }
    public var active: Bool { document["active"]?.boolValue ?? true }

    /// The SCIM representation, as served at `{baseURL}/Users/{id}`.
    public func representation(baseURL: String) -> JSONValue {
        var doc = document
        if !groups.isEmpty {
            doc["groups"] = .array(groups.map { g in
                ["value": .string(g.id), "display": .string(g.displayName),
                 "$ref": .string("\(baseURL)/Groups/\(g.id)"), "type": "direct"]
            })
        }
        return ResourceType.user.representation(id: id, document: doc, meta: meta, baseURL: baseURL)
    }
}

/// A group (a Grafana team) as stored, with its members.
public struct StoredGroup: Sendable, Equatable {
    public var id: String
    public var document: [String: JSONValue]
    public var meta: Meta
    public var members: [MemberReference]

    public var displayName: String { document["displayName"]?.stringValue ?? "" }

    public func representation(baseURL: String) -> JSONValue {
        var doc = document
        if !members.isEmpty {
            doc["members"] = .array(members.map { m in
                var member: [String: JSONValue] = [
                    "value": .string(m.id), "$ref": .string("\(baseURL)/Users/\(m.id)"), "type": "User",
                ]
                if let display = m.display { member["display"] = .string(display) }
                return .object(member)
            })
        }
        return ResourceType.group.representation(id: id, document: doc, meta: meta, baseURL: baseURL)
    }
}

public struct GroupReference: Sendable, Equatable {
    public var id: String
    public var displayName: String
}

public struct MemberReference: Sendable, Equatable {
    public var id: String
    public var userName: String
    /// What the client sent as `display` (Okta sends the userName); nil when it sent none.
    public var display: String?

    public init(id: String, userName: String = "", display: String? = nil) {
        self.id = id
        self.userName = userName
        self.display = display
    }
}

/// One page of a list.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var totalResults: Int
    public var startIndex: Int
}
