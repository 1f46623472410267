import Foundation
import GRDB
import SCIM

/// A Directory that mirrors a real Grafana: its users and teams stored with
/// Grafana's own ids and times, as Grafana answered them. Grafana is the
/// truth here, so a row that clashes with what it answered (the same
/// userName under another id) gives way, and members the mirror has not
/// read yet are left out until it has. A row already as Grafana answered
/// is not written again, so a re-read publishes an event only for what
/// changed.
/// The two collections a mirror holds, as Grafana's SCIM API names them.
public enum MirroredCollection: String, Sendable, CaseIterable {
    /// Users first: a team's members name users, so teams are read after them.
    case users = "Users", groups = "Groups"

    /// The collection's path under the SCIM base: `/Users`, `/Groups`.
    public var endpoint: String { "/" + rawValue }

    var table: String { self == .users ? "users" : "groups" }

    func deleted(_ id: String) -> DirectoryEvent {
        self == .users ? .user(id: id, change: .deleted, actor: .scim) : .group(id: id, change: .deleted, actor: .scim)
    }
}

extension Directory {
    /// Stores users or teams as Grafana answered them (each a SCIM resource
    /// with its `id`; a team's members those the mirror holds). Returns how
    /// many rows changed. `quiet`: one `.bulkChange` instead of an event per
    /// row, for a first read that fills the mirror. An answer that is not
    /// such a resource with an id and a name is skipped.
    @discardableResult
    public func mirror(_ collection: MirroredCollection, _ representations: [JSONValue], quiet: Bool = false) throws -> Int {
        let incoming = representations.compactMap { MirroredResource($0, in: collection) }
        let store = collection == .users ? Self.storeMirrored(user:_:_:) : Self.storeMirrored(group:_:_:)
        return try write { db, events in
            var changed = 0
            for resource in incoming where try store(resource, db, &events) { changed += 1 }
            if quiet, changed > 0 {
                events.removeAll()
                events.append(.bulkChange)
            }
            return changed
        }
    }

    /// Removes what Grafana no longer has: a user or team it answered 404
    /// for, or deleted. Nothing happens when the mirror holds no such row.
    public func mirrorRemove(_ collection: MirroredCollection, id: String) throws {
        try write { db, events in
            try db.execute(cachedSQL: "DELETE FROM \(collection.table) WHERE id = ?", arguments: [id])
            if db.changesCount > 0 { events.append(collection.deleted(id)) }
        }
    }

    /// After a whole read: removes the users and teams Grafana did not list
    /// (`kept`, by collection). Returns how many went.
    @discardableResult
    public func mirrorKeepOnly(_ kept: [MirroredCollection: Set<String>]) throws -> Int {
        try write { db, events in
            var removed = 0
            for collection in MirroredCollection.allCases {
                let listed = kept[collection] ?? []
                let gone = try String.fetchAll(db, sql: "SELECT id FROM \(collection.table)").filter { !listed.contains($0) }
                for chunk in stride(from: 0, to: gone.count, by: 500) {
                    let slice = Array(gone[chunk..<min(chunk + 500, gone.count)])
                    try db.execute(sql: "DELETE FROM \(collection.table) WHERE id IN (SELECT value FROM json_each(?))",
                                   arguments: [jsonArray(slice)])
                }
                events += gone.map(collection.deleted)
                removed += gone.count
            }
            return removed
        }
    }

    // MARK: writing one row

    /// Writes a user unless its row already holds this document and meta;
    /// true when it wrote.
    static func storeMirrored(user: MirroredResource, _ db: Database, _ events: inout [DirectoryEvent]) throws -> Bool {
        let text = encodeDocument(user.document)
        let current = try Row.fetchOne(db, cachedSQL: "SELECT seq, document, active, last_modified FROM users WHERE id = ?",
                                       arguments: [user.id])
        if let current {
            let stored: Double = current["last_modified"]
            // Two answers about one user may be applied out of order: the older one changes nothing.
            if stored > user.lastModified || stored == user.lastModified && current["document"] as String == text { return false }
        }
        // Grafana's userName is unique: a row holding it under another id is gone from Grafana.
        let key = user.name.lowercased()
        for clash in try Row.fetchAll(db, cachedSQL: "SELECT id FROM users WHERE user_name_key = ? AND id != ?",
                                      arguments: [key, user.id]) {
            try db.execute(cachedSQL: "DELETE FROM users WHERE id = ?", arguments: [clash["id"] as String])
            events.append(.user(id: clash["id"], change: .deleted, actor: .scim))
        }
        let meta = Meta(resourceType: "User", created: Date(timeIntervalSince1970: user.created),
                        lastModified: Date(timeIntervalSince1970: user.lastModified), version: user.version)
        let values = userFields(user.document) + [text.databaseValue, user.created.databaseValue,
                                                  user.lastModified.databaseValue, user.version.databaseValue]
            + templateValues(id: user.id, documentText: text, meta: meta)
        let seq: Int64
        if let current {
            seq = current["seq"]
            try db.execute(cachedSQL: """
                UPDATE users SET user_name = ?, user_name_key = ?, external_id = ?, display_name = ?, display_name_key = ?,
                    active = ?, display_name_sort = ?, document = ?, created = ?, last_modified = ?, version = ?,
                    representation = ?, representation_base_url_at = ?, representation_groups_at = ?
                WHERE seq = ?
                """, arguments: StatementArguments(values + [seq.databaseValue]))
            try db.execute(cachedSQL: "DELETE FROM user_emails WHERE user_seq = ?", arguments: [seq])
            let wasActive = (current["active"] as Bool?) ?? true
            let isActive = user.document["active"]?.boolValue ?? true
            events.append(.user(id: user.id, change: wasActive == isActive ? .updated : isActive ? .reactivated : .deactivated,
                                actor: .scim))
        } else {
            try db.execute(cachedSQL: """
                INSERT INTO users (user_name, user_name_key, external_id, display_name, display_name_key, active,
                                   display_name_sort, document, created, last_modified, version,
                                   representation, representation_base_url_at, representation_groups_at, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: StatementArguments(values + [user.id.databaseValue]))
            seq = db.lastInsertedRowID
            events.append(.user(id: user.id, change: .created, actor: .scim))
        }
        try writeEmails(seq: seq, user.document, db)
        return true
    }

    /// Writes a team and its members unless its row and members are already so; true when it wrote.
    static func storeMirrored(group: MirroredResource, _ db: Database, _ events: inout [DirectoryEvent]) throws -> Bool {
        var document = group.document
        let named = (try? memberInputs(document.removeValue(forKey: "members"))) ?? []
        let seqByID = try userSeqs(for: named.map(\.id), db)
        // A member the mirror has not read yet joins at the next read that finds both.
        let members = named.filter { seqByID[$0.id] != nil }
        let text = encodeDocument(document)
        let current = try Row.fetchOne(db, cachedSQL: "SELECT seq, document, last_modified FROM groups WHERE id = ?",
                                       arguments: [group.id])
        if let current {
            let stored: Double = current["last_modified"]
            if stored > group.lastModified { return false }
            if stored == group.lastModified, current["document"] as String == text {
                let held = try Set(Int64.fetchAll(db, cachedSQL: "SELECT user_seq FROM members WHERE group_seq = ?",
                                                  arguments: [current["seq"] as Int64]))
                if held == Set(members.compactMap { seqByID[$0.id] }) { return false }
            }
        }
        let key = group.name.lowercased()
        for clash in try Row.fetchAll(db, cachedSQL: "SELECT id FROM groups WHERE display_name_key = ? AND id != ?",
                                      arguments: [key, group.id]) {
            try db.execute(cachedSQL: "DELETE FROM groups WHERE id = ?", arguments: [clash["id"] as String])
            events.append(.group(id: clash["id"], change: .deleted, actor: .scim))
        }
        let seq: Int64
        if let current {
            seq = current["seq"]
            try db.execute(cachedSQL: """
                UPDATE groups SET id = ?, display_name = ?, display_name_key = ?, external_id = ?, document = ?,
                    display_name_sort = ?, created = ?, last_modified = ?, version = ?
                WHERE seq = ?
                """, arguments: groupColumnValues(id: group.id, document)
                    + [group.created, group.lastModified, group.version, seq])
            events.append(.group(id: group.id, change: .updated, actor: .scim))
        } else {
            try db.execute(cachedSQL: """
                INSERT INTO groups (id, display_name, display_name_key, external_id, document, display_name_sort,
                                    created, last_modified, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: groupColumnValues(id: group.id, document) + [group.created, group.lastModified, group.version])
            seq = db.lastInsertedRowID
            events.append(.group(id: group.id, change: .created, actor: .scim))
        }
        try setMembers(groupSeq: seq, to: members, db)
        return true
    }
}

/// A user or team as Grafana answered it, ready for the mirror: its id, its
/// document as this Directory stores one, and its times.
struct MirroredResource {
    var id: String
    var document: [String: JSONValue]
    /// The userName, or the team's displayName.
    var name: String
    var created: Double
    var lastModified: Double
    var version: Int

    init?(_ json: JSONValue, in collection: MirroredCollection) {
        let (type, nameAttribute) = collection == .users ? (ResourceType.user, "userName") : (ResourceType.group, "displayName")
        guard let id = json[attribute: "id"]?.stringValue, !id.isEmpty,
              var document = try? ResourceNormalizer(type: type).document(from: json),
              let name = document[nameAttribute]?.stringValue
        else { return nil }
        if collection == .users, document["active"] == nil { document["active"] = .bool(true) }
        let meta = json[attribute: "meta"]
        // Without times of Grafana's, the mirror's row keeps a fixed one, so an unchanged
        // resource still reads as unchanged at the next read.
        let created = meta?[attribute: "created"]?.stringValue.flatMap(SCIMDate.parse)?.timeIntervalSince1970 ?? 0
        self.id = id
        self.document = document
        self.name = name
        self.created = created
        lastModified = meta?[attribute: "lastModified"]?.stringValue.flatMap(SCIMDate.parse)?.timeIntervalSince1970 ?? created
        version = Self.version(meta?[attribute: "version"]?.stringValue) ?? 1
    }

    /// `W/"3"` or `3` as 3.
    static func version(_ text: String?) -> Int? {
        guard let text else { return nil }
        return Int(text.filter(\.isNumber).prefix(18))
    }
}
