import Foundation
import GRDB
import SCIM

extension Directory {
    /// Positions as in `ResourceColumn`.
    static let groupColumns = "seq, id, document, created, last_modified, version"

    // MARK: reads

    /// The group with this id. `memberLimit` reads only its first members (in
    /// membership order): for a head of the document, as the request log keeps.
    public func group(id: String, memberLimit: Int? = nil) throws -> StoredGroup? {
        try read { db in
            guard let row = try Row.fetchOne(db, cachedSQL: "SELECT \(Self.groupColumns) FROM groups WHERE id = ?",
                                             arguments: [id]) else { return nil }
            return try Self.groups(from: [row], db, memberLimit: memberLimit).first
        }
    }

    public func groupCount() throws -> Int {
        try read { db in try Int.fetchOne(db, cachedSQL: "SELECT n FROM counts WHERE name = 'groups'") ?? 0 }
    }

    public func listGroups(_ query: ListQuery) throws -> Page<StoredGroup> {
        try read { db in
            try Self.list(query, db: db, table: "groups", countName: "groups", columns: Self.groupColumns,
                          type: .group, mapColumn: FilterSQL.groupColumn, decode: .allRows { rows, db in try Self.groups(from: rows, db) },
                          represent: { $0.representation(baseURL: "") })
        }
    }

    static func groups(from rows: [Row], _ db: Database, memberLimit: Int? = nil) throws -> [StoredGroup] {
        guard !rows.isEmpty else { return [] }
        let seqs: [Int64] = rows.map { $0["seq"] }
        var members: [Int64: [MemberReference]] = [:]
        // A cursor read by column index: rows are not copied, and a 5,000-member team is read often.
        let memberRows = try Row.fetchCursor(db, cachedSQL: """
            SELECT m.group_seq, m.display, u.id, u.user_name FROM members m JOIN users u ON u.seq = m.user_seq
            WHERE m.group_seq IN (SELECT value FROM json_each(?)) ORDER BY m.group_seq, m.user_seq LIMIT ?
            """, arguments: [jsonArray(seqs), seqs.count == 1 ? (memberLimit ?? -1) : -1])
        while let r = try memberRows.next() {
            let group: Int64 = r[0]
            if let memberLimit, members[group, default: []].count >= memberLimit { continue }
            members[group, default: []].append(MemberReference(id: r[2], userName: r[3], display: r[1]))
        }
        return rows.map { row in
            StoredGroup(id: row[ResourceColumn.id], document: decodeDocument(row[ResourceColumn.document]),
                        meta: meta("Group", row), members: members[row[ResourceColumn.seq]] ?? [])
        }
    }

    // MARK: writes

    /// Creates a group (a Grafana team). Team names are unique ignoring case
    /// (409 `uniqueness`); members must be existing users.
    public func createGroup(_ json: JSONValue, actor: DirectoryEvent.Actor = .scim) throws -> StoredGroup {
        var doc = try ResourceNormalizer(type: .group).document(from: json)
        let members = try Self.memberInputs(doc.removeValue(forKey: "members"))
        let document = doc
        return try write { db, events in
            let id = Self.newID()
            try Self.checkUniqueGroupName(document, excluding: nil, db)
            let now = Timestamp.now()
            try db.execute(cachedSQL: """
                INSERT INTO groups (id, display_name, display_name_key, external_id, document, display_name_sort,
                                    created, last_modified, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                """, arguments: Self.groupColumnValues(id: id, document) + [now, now])
            let seq = db.lastInsertedRowID
            try Self.setMembers(groupSeq: seq, to: members, db)
            events.append(.group(id: id, change: .created, actor: actor))
            let row = try Row.fetchOne(db, cachedSQL: "SELECT \(Self.groupColumns) FROM groups WHERE seq = ?", arguments: [seq])!
            return try Self.groups(from: [row], db)[0]
        }
    }

    /// Replaces a group with a PUT body, members included.
    public func replaceGroup(id: String, with json: JSONValue, actor: DirectoryEvent.Actor = .scim) throws -> StoredGroup {
        var doc = try ResourceNormalizer(type: .group).document(from: json)
        let members = try Self.memberInputs(doc.removeValue(forKey: "members"))
        let document = doc
        return try write { db, events in
            guard let seq = try Int64.fetchOne(db, cachedSQL: "SELECT seq FROM groups WHERE id = ?", arguments: [id]) else {
                throw Self.groupNotFound(id)
            }
            return try Self.updateGroup(seq: seq, id: id, document: document, members: members,
                                        actor: actor, db, &events)
        }
    }

    /// Applies a PatchOp made only of membership changes (Okta's `add` to
    /// `members` and `remove` of `members[value eq "…"]`) without reading the
    /// group back, for an answer that carries no body. Returns false, having
    /// done nothing, when the request holds any other operation: it is then
    /// `patchGroup`'s to apply.
    public func patchGroupMembership(id: String, _ patch: PatchRequest, actor: DirectoryEvent.Actor = .scim) throws -> Bool {
        guard let changes = try MembershipPatch.changes(patch) else { return false }
        try write { db, events in _ = try Self.applyMembership(changes, groupID: id, actor: actor, db, &events) }
        return true
    }

    /// Applies a PatchOp to a group as one read-modify-write transaction, so
    /// concurrent membership PATCHes never lose each other's members.
    public func patchGroup(id: String, _ patch: PatchRequest, actor: DirectoryEvent.Actor = .scim) throws -> StoredGroup {
        if let changes = try MembershipPatch.changes(patch) {
            return try write { db, events in
                let seq = try Self.applyMembership(changes, groupID: id, actor: actor, db, &events)
                let row = try Row.fetchOne(db, cachedSQL: "SELECT \(Self.groupColumns) FROM groups WHERE seq = ?", arguments: [seq])!
                return try Self.groups(from: [row], db)[0]
            }
        }
        return try write { db, events in
            guard let row = try Row.fetchOne(db, cachedSQL: "SELECT \(Self.groupColumns) FROM groups WHERE id = ?",
                                             arguments: [id]) else { throw Self.groupNotFound(id) }
            let current = try Self.groups(from: [row], db)[0]
            var doc = current.document
            if !current.members.isEmpty {
                doc["members"] = .array(current.members.map { m in
                    m.display.map { ["value": .string(m.id), "display": .string($0)] } ?? ["value": .string(m.id)]
                })
            }
            try PatchApplier(type: .group).apply(patch, to: &doc)
            let members = try Self.memberInputs(doc.removeValue(forKey: "members"))
            return try Self.updateGroup(seq: row["seq"], id: id, document: doc, members: members,
                                        actor: actor, db, &events)
        }
    }

    public func deleteGroup(id: String, actor: DirectoryEvent.Actor = .scim) throws {
        try write { db, events in
            try db.execute(cachedSQL: "DELETE FROM groups WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { throw Self.groupNotFound(id) }
            events.append(.group(id: id, change: .deleted, actor: actor))
        }
    }

    // MARK: helpers

    /// Membership changes as row inserts and deletes (`MembershipPatch`), inside
    /// the caller's transaction; returns the group's row key.
    static func applyMembership(_ changes: [MembershipPatch.Change], groupID id: String, actor: DirectoryEvent.Actor,
                                _ db: Database, _ events: inout [DirectoryEvent]) throws -> Int64 {
        guard let seq = try Int64.fetchOne(db, cachedSQL: "SELECT seq FROM groups WHERE id = ?", arguments: [id]) else {
            throw groupNotFound(id)
        }
        try MembershipPatch.apply(changes, groupSeq: seq, db)
        events.append(.group(id: id, change: .updated, actor: actor))
        return seq
    }

    static func updateGroup(seq: Int64, id: String, document: [String: JSONValue], members: [MemberInput],
                            actor: DirectoryEvent.Actor, _ db: Database,
                            _ events: inout [DirectoryEvent]) throws -> StoredGroup {
        try checkUniqueGroupName(document, excluding: seq, db)
        try db.execute(cachedSQL: """
            UPDATE groups SET id = ?, display_name = ?, display_name_key = ?, external_id = ?, document = ?,
                display_name_sort = ?, last_modified = ?, version = version + 1
            WHERE seq = ?
            """, arguments: groupColumnValues(id: id, document) + [Timestamp.now(), seq])
        try setMembers(groupSeq: seq, to: members, db)
        events.append(.group(id: id, change: .updated, actor: actor))
        let row = try Row.fetchOne(db, cachedSQL: "SELECT \(groupColumns) FROM groups WHERE seq = ?", arguments: [seq])!
        return try groups(from: [row], db)[0]
    }

    /// A member as a request names it: a user id and an optional `display`.
    struct MemberInput: Equatable {
        var id: String
        var display: String?
    }

    /// The members a `members` value names, in order, without duplicates.
    static func memberInputs(_ members: JSONValue?) throws -> [MemberInput] {
        var result: [MemberInput] = []
        var seen = Set<String>()
        for item in members?.arrayValue ?? [] {
            guard let value = item[attribute: "value"]?.stringValue, !value.isEmpty else {
                throw SCIMError.invalidValue("Every member needs a \"value\" holding a user id.")
            }
            if let type = item[attribute: "type"]?.stringValue, type.lowercased() != "user" {
                throw SCIMError.invalidValue(
                    "Member \(value) has type \"\(type)\": Grafana teams hold users only, not nested groups.")
            }
            if seen.insert(value).inserted {
                result.append(MemberInput(id: value, display: item[attribute: "display"]?.stringValue))
            }
        }
        return result
    }

    /// Makes the group's membership exactly `members`, writing only the difference.
    static func setMembers(groupSeq: Int64, to members: [MemberInput], _ db: Database) throws {
        // Resolve every member id in a few IN queries rather than one query per member:
        // a 5,000-member group is read-modify-written on each membership PATCH.
        let seqByID = try userSeqs(for: members.map(\.id), db)
        var wanted: [Int64: String?] = [:]
        for member in members {
            guard let seq = seqByID[member.id] else { throw unknownMember(member.id) }
            wanted[seq] = member.display
        }
        var current: [Int64: String?] = [:]
        for row in try Row.fetchAll(db, cachedSQL: "SELECT user_seq, display FROM members WHERE group_seq = ?",
                                    arguments: [groupSeq]) {
            current[row["user_seq"]] = row["display"] as String?
        }
        for seq in current.keys where wanted[seq] == nil {
            try db.execute(cachedSQL: "DELETE FROM members WHERE group_seq = ? AND user_seq = ?", arguments: [groupSeq, seq])
        }
        for (seq, display) in wanted {
            if let existing = current[seq] {
                if existing != display {
                    try db.execute(cachedSQL: "UPDATE members SET display = ? WHERE group_seq = ? AND user_seq = ?",
                                   arguments: [display, groupSeq, seq])
                }
            } else {
                try db.execute(cachedSQL: "INSERT INTO members (group_seq, user_seq, display) VALUES (?, ?, ?)",
                               arguments: [groupSeq, seq, display])
            }
        }
    }

    /// The row keys of the users with these ids (those that exist), a few IN queries for any number.
    static func userSeqs(for ids: [String], _ db: Database) throws -> [String: Int64] {
        var seqByID: [String: Int64] = [:]
        seqByID.reserveCapacity(ids.count)
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[chunk..<min(chunk + 500, ids.count)])
            for row in try Row.fetchAll(db, cachedSQL: "SELECT id, seq FROM users WHERE id IN (SELECT value FROM json_each(?))",
                                        arguments: [jsonArray(slice)]) {
                seqByID[row["id"]] = row["seq"]
            }
        }
        return seqByID
    }

    static func unknownMember(_ id: String) -> SCIMError {
        SCIMError.invalidValue("Member \(id) is not a user of this endpoint; add the user first.")
    }

    static func groupColumnValues(id: String, _ doc: [String: JSONValue]) -> StatementArguments {
        let name = doc["displayName"]?.stringValue ?? ""
        return [id, name, name.lowercased(), doc["externalId"]?.stringValue, encodeDocument(doc), PersonSortKey.of(name)]
    }

    static func checkUniqueGroupName(_ doc: [String: JSONValue], excluding seq: Int64?, _ db: Database) throws {
        let name = doc["displayName"]?.stringValue ?? ""
        let clash = try Row.fetchOne(db, cachedSQL: "SELECT seq, display_name FROM groups WHERE display_name_key = ?",
                                     arguments: [name.lowercased()])
        if let clash, clash["seq"] != seq {
            let existing: String = clash["display_name"]
            throw SCIMError.uniqueness("A group (team) named \"\(existing)\" already exists; team names are unique.")
        }
    }

    public static func groupNotFound(_ id: String) -> SCIMError {
        .notFound("Group \(id) not found.")
    }
}
