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
        if !groups.isEmpty { doc["groups"] = Self.groupsValue(groups, baseURL: baseURL) }
        return ResourceType.user.representation(id: id, document: doc, meta: meta, baseURL: baseURL)
    }

    /// SCIM's read-only `groups`: the teams a user is in, as references.
    static func groupsValue(_ groups: [GroupReference], baseURL: String) -> JSONValue {
        .array(groupReferences(groups, baseURL: baseURL))
    }

    static func groupReferences(_ groups: [GroupReference], baseURL: String) -> [JSONValue] {
        groups.map { g in
            ["value": .string(g.id), "display": .string(g.displayName),
             "$ref": .string("\(baseURL)/Groups/\(g.id)"), "type": "direct"]
        }
    }

    /// The JSON text of `groupsValue(groups, baseURL:)`, written directly: the
    /// same bytes as `JSONCoding.write` gives it (members in `JSONCoding.keyRank`
    /// order: `value`, `display`, `type`, then `$ref`), without a dictionary per
    /// team to build, sort and free. On a page of users who are each in a team,
    /// those were a quarter of the server's CPU. Empty for no teams.
    static func groupsText(_ groups: [GroupReference], baseURL: EscapedText) -> [UInt8] {
        guard !groups.isEmpty else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(groups.count * (120 + baseURL.bytes.count))
        out.append(UInt8(ascii: "["))
        for (i, g) in groups.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"value":"#.utf8)
            JSONCoding.writeString(g.id, into: &out)
            out.append(contentsOf: #","display":"#.utf8)
            JSONCoding.writeString(g.displayName, into: &out)
            out.append(contentsOf: #","type":"direct","$ref":""#.utf8)
            out.append(contentsOf: baseURL.bytes)
            out.append(contentsOf: "/Groups/".utf8)
            JSONCoding.writeStringContents(g.id, into: &out)
            out.append(contentsOf: #""}"#.utf8)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}

/// A user as stored with its document still the JSON text it was stored as,
/// for a user with no stored representation (written by an earlier version):
/// its representation is spliced from that text (`DocumentText`) without
/// parsing the document and writing it again.
struct StoredUserText: Sendable {
    var id: String
    var documentText: String
    var meta: Meta
    var groups: [GroupReference]

    /// Appends the representation served at `{baseURL}/Users/{id}`: the same
    /// bytes as `JSONCoding.write(representation(baseURL:))` of the parsed user.
    func writeRepresentation(baseURL escaped: EscapedText, baseURLText baseURL: String, into out: inout [UInt8]) {
        guard let text = DocumentText(documentText) else {
            // Text this path cannot vouch for (an escaped key, say) is parsed and written whole.
            let user = StoredUser(id: id, document: Directory.decodeDocument(documentText), meta: meta, groups: groups)
            JSONCoding.write(user.representation(baseURL: baseURL), into: &out)
            return
        }
        let extra: [String: JSONValue] = groups.isEmpty ? [:] : ["groups": StoredUser.groupsValue(groups, baseURL: baseURL)]
        ResourceType.user.writeRepresentation(id: id, text: text, extra: extra, meta: meta, baseURL: baseURL, into: &out)
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

/// Where `Directory.userColumns` and `groupColumns` put each column. Rows are
/// read by position: GRDB finds a column by name by lowercasing the name on
/// every lookup, a cost paid for every column of every row of a page.
enum ResourceColumn {
    static let seq = 0
    static let id = 1
    static let document = 2
    static let created = 3
    static let lastModified = 4
    static let version = 5
    /// Users only.
    static let teamList = 6
    /// `userTextColumns` only: the stored `RepresentationTemplate`.
    static let template = 7
    static let templateBaseURLAt = 8
    static let templateGroupsAt = 9
}
