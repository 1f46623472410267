import Foundation
import GRDB
import SCIM

extension Directory {
    /// A user row with its teams (SCIM's read-only `groups`) as a JSON array of
    /// `[id, name]`, in team creation order: one statement per page rather than
    /// a second query for the memberships. Positions as in `ResourceColumn`.
    ///
    /// Ordered by `m.group_seq`, not the equal `g.seq`: the `members_user`
    /// index already yields a user's rows in that order, so SQLite sorts
    /// nothing. Ordered by `g.seq` it built a temporary b-tree for every user
    /// read, the largest part of a 100-user page's SQL.
    static let userColumns = """
        seq, id, document, created, last_modified, version,
        (SELECT json_group_array(json_array(id, display_name)) FROM (
            SELECT g.id, g.display_name FROM members m JOIN groups g ON g.seq = m.group_seq
            WHERE m.user_seq = users.seq ORDER BY m.group_seq)) AS team_list
        """

    /// `userColumns` and the stored representation (`RepresentationTemplate`), for list pages.
    static let userTextColumns = userColumns + ", representation, representation_base_url_at, representation_groups_at"

    /// `userTextColumns` without the teams, for a page read by key: the page's
    /// teams are read in one statement (`teams(ofUsers:)`). Read for each row,
    /// they were most of the page's SQL, though most users are in no team.
    static let userPageColumns = """
        seq, id, document, created, last_modified, version, NULL AS team_list,
        representation, representation_base_url_at, representation_groups_at
        """

    /// The teams of each of these users that is in any, in team creation order.
    static func teams(ofUsers seqs: [Int64], _ db: Database) throws -> [Int64: [GroupReference]] {
        var teams: [Int64: [GroupReference]] = [:]
        let keys = keysCondition("m.user_seq", in: seqs)
        let rows = try Row.fetchCursor(db, cachedSQL: """
            SELECT m.user_seq, g.id, g.display_name FROM members m JOIN groups g ON g.seq = m.group_seq
            WHERE \(keys.sql) ORDER BY m.user_seq, m.group_seq
            """, arguments: keys.arguments)
        while let row = try rows.next() {
            teams[row[0], default: []].append(GroupReference(id: row[1], displayName: row[2]))
        }
        return teams
    }

    // MARK: reads

    public func user(id: String) throws -> StoredUser? {
        try read { db in
            guard let row = try Row.fetchOne(db, cachedSQL: "SELECT \(Self.userColumns) FROM users WHERE id = ?",
                                             arguments: [id]) else { return nil }
            return Self.user(row)
        }
    }

    /// Finds a user by userName (ignoring case) or by id.
    public func user(named nameOrID: String) throws -> StoredUser? {
        try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.userColumns) FROM users WHERE user_name_key = ? OR id = ?",
                arguments: [nameOrID.lowercased(), nameOrID]) else { return nil }
            return Self.user(row)
        }
    }

    public func userCount() throws -> Int {
        try read { db in try Int.fetchOne(db, cachedSQL: "SELECT n FROM counts WHERE name = 'users'") ?? 0 }
    }

    /// One page of users, in a stable order (creation order unless `sortBy` says otherwise).
    public func listUsers(_ query: ListQuery) throws -> Page<StoredUser> {
        try listUserRows(query, columns: Self.userColumns, decode: .eachRow { row, _ in Self.user(row.row) },
                         represent: { $0.representation(baseURL: "") })
    }

    /// One page of users as the text of their representations under
    /// `baseURL`, each read straight from its row's stored representation
    /// (`RepresentationTemplate`) with its teams and the base URL put in: no
    /// document, id or meta is decoded for a list response. The same rows,
    /// order and totals as `listUsers`.
    public func listUserRepresentations(_ query: ListQuery, baseURL: String) throws -> Page<[UInt8]> {
        let escaped = EscapedText(baseURL)
        return try listUserRows(query, columns: Self.userTextColumns, pageColumns: Self.userPageColumns,
                                decode: .eachRow { Self.representation($0, teams: $1, baseURL: baseURL, escaped: escaped) },
                                represent: { (try? JSONCoding.parse($0)) ?? .null })
    }

    /// A `userTextColumns` row's representation under `baseURL`.
    static func representation(_ current: CursorRow, teams: [GroupReference]?, baseURL: String, escaped: EscapedText) -> [UInt8] {
        let teams = teams ?? Self.teams(current.row)
        var out: [UInt8] = []
        if let baseURLAt = current.int64(at: ResourceColumn.templateBaseURLAt),
           let groupsAt = current.int64(at: ResourceColumn.templateGroupsAt),
           current.withBytes(at: ResourceColumn.template, { bytes -> Bool in
               guard let bytes else { return false }
               let groups = StoredUser.groupsText(teams, baseURL: escaped)
               out.reserveCapacity(bytes.count + escaped.bytes.count + groups.count + 16)
               return RepresentationTemplate.write(bytes, baseURLAt: Int(baseURLAt), groupsAt: Int(groupsAt),
                                                   baseURL: escaped, groupsText: groups, into: &out)
           }) {
            return out
        }
        // Written before representations were stored, or not storable (`ResourceType.template`).
        userText(current.row, teams: teams).writeRepresentation(baseURL: escaped, baseURLText: baseURL, into: &out)
        return out
    }

    /// A page of user rows, decoded by `decode`; `represent` gives the SCIM
    /// resource a filter SQL cannot express is evaluated against.
    private func listUserRows<T: Sendable>(
        _ query: ListQuery, columns: String, pageColumns: String? = nil, decode: RowDecoder<T>,
        represent: @escaping @Sendable (T) -> JSONValue
    ) throws -> Page<T> {
        // `userName eq "…"` reads one statement, which SQLite runs in a snapshot of its
        // own: no BEGIN/COMMIT around it (a user's row carries its teams).
        if let one = Self.oneRowCondition(query, mapColumn: FilterSQL.userColumn) {
            return try readOneStatement { db in
                try Self.lookup(query, one, db: db, table: "users", columns: columns, decode: decode)
            }
        }
        return try read { db in
            try Self.list(query, db: db, table: "users", countName: "users", columns: columns, pageColumns: pageColumns,
                          type: .user, mapColumn: FilterSQL.userColumn, decode: decode, represent: represent)
        }
    }

    /// A `userColumns` row as a user.
    static func user(_ row: Row) -> StoredUser {
        StoredUser(id: row[ResourceColumn.id], document: decodeDocument(row[ResourceColumn.document]),
                   meta: meta("User", row), groups: teams(row))
    }

    /// A user row as a user with its document as stored text, for a row with
    /// no stored representation.
    static func userText(_ row: Row, teams: [GroupReference]) -> StoredUserText {
        StoredUserText(id: row[ResourceColumn.id], documentText: row[ResourceColumn.document],
                       meta: meta("User", row), groups: teams)
    }

    /// The values of a user's `representation` columns, written with its document.
    static func templateValues(id: String, documentText: String, meta: Meta) -> [DatabaseValue] {
        guard let text = DocumentText(documentText),
              let template = ResourceType.user.template(id: id, text: text, meta: meta)
        else { return [.null, .null, .null] }
        return [Data(template.bytes).databaseValue, template.baseURLAt.databaseValue, template.groupsAt.databaseValue]
    }

    /// A user row's `team_list`: `[[id, name], …]`.
    static func teams(_ row: Row) -> [GroupReference] {
        // Most users are in no team: no parse for them. (NULL in `userPageColumns`, whose
        // readers pass the page's teams instead.)
        guard let list = row[ResourceColumn.teamList] as String?, list != "[]" else { return [] }
        let teams = (try? JSONCoding.parse(list))?.arrayValue ?? []
        return teams.compactMap { pair in
            guard let id = pair.arrayValue?.first?.stringValue,
                  let name = pair.arrayValue?.last?.stringValue else { return nil }
            return GroupReference(id: id, displayName: name)
        }
    }

    // MARK: writes

    /// Creates a user from a POST body. 409 `uniqueness` when the userName
    /// exists in any case. A user created without `active` is active, as in Grafana.
    public func createUser(_ json: JSONValue, actor: DirectoryEvent.Actor = .scim) throws -> StoredUser {
        var doc = try ResourceNormalizer(type: .user).document(from: json)
        if doc["active"] == nil { doc["active"] = .bool(true) }
        let document = doc
        return try write { db, events in
            let id = Self.newID()
            try Self.checkUniqueUserName(document, excluding: nil, db)
            let now = Timestamp.now()
            let text = Self.encodeDocument(document)
            let meta = Meta(resourceType: "User", created: Date(timeIntervalSince1970: now),
                            lastModified: Date(timeIntervalSince1970: now), version: 1)
            try db.execute(cachedSQL: """
                INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key,
                                   active, display_name_sort, document, created, last_modified, version,
                                   representation, representation_base_url_at, representation_groups_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                """, arguments: StatementArguments([id.databaseValue] + Self.userFields(document)
                    + [text.databaseValue, now.databaseValue, now.databaseValue]
                    + Self.templateValues(id: id, documentText: text, meta: meta)))
            try Self.writeEmails(seq: db.lastInsertedRowID, document, db)
            events.append(.user(id: id, change: .created, actor: actor))
            return StoredUser(id: id, document: document, meta: meta, groups: [])
        }
    }

    /// Replaces a user with a PUT body; read-only fields echoed by Okta are ignored.
    public func replaceUser(id: String, with json: JSONValue, actor: DirectoryEvent.Actor = .scim) throws -> StoredUser {
        let document = try ResourceNormalizer(type: .user).document(from: json)
        return try write { db, events in
            guard let current = try Self.loadUserForUpdate(id: id, db) else { throw Self.userNotFound(id) }
            return try Self.update(current, to: document, actor: actor, db, &events)
        }
    }

    /// Applies a PatchOp to a user, atomically.
    public func patchUser(id: String, _ patch: PatchRequest, actor: DirectoryEvent.Actor = .scim) throws -> StoredUser {
        try write { db, events in
            guard let current = try Self.loadUserForUpdate(id: id, db) else { throw Self.userNotFound(id) }
            var doc = current.document
            try PatchApplier(type: .user).apply(patch, to: &doc)
            return try Self.update(current, to: doc, actor: actor, db, &events)
        }
    }

    /// Sets `active` through the same operation a SCIM PATCH uses, so the
    /// console's hand action and Okta's deactivation are one code path.
    public func setActive(_ active: Bool, userID: String, actor: DirectoryEvent.Actor) throws -> StoredUser {
        try patchUser(id: userID, PatchRequest(operations: [
            PatchOperation(op: .replace, path: PatchPath(attribute: AttributePath(attribute: "active")),
                           value: .bool(active))
        ]), actor: actor)
    }

    /// Deletes a user and its memberships (Okta deactivates instead; other clients may delete).
    public func deleteUser(id: String, actor: DirectoryEvent.Actor = .scim) throws {
        try write { db, events in
            let groupIDs = try String.fetchAll(db, cachedSQL: """
                SELECT g.id FROM members m JOIN groups g ON g.seq = m.group_seq
                JOIN users u ON u.seq = m.user_seq WHERE u.id = ?
                """, arguments: [id])
            try db.execute(cachedSQL: "DELETE FROM users WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { throw Self.userNotFound(id) }
            let now = Timestamp.now()
            for gid in groupIDs {
                try db.execute(cachedSQL: "UPDATE groups SET last_modified = ?, version = version + 1 WHERE id = ?",
                               arguments: [now, gid])
                events.append(.group(id: gid, change: .updated, actor: actor))
            }
            events.append(.user(id: id, change: .deleted, actor: actor))
        }
    }

    // MARK: helpers

    struct UserForUpdate {
        var seq: Int64
        var id: String
        var document: [String: JSONValue]
        var created: Double
        var version: Int
        /// The stored values of `userFieldColumns`, in that order.
        var fields: [DatabaseValue]
    }

    /// The columns a user's document is copied into for filters and uniqueness.
    static let userFieldColumns = ["user_name", "user_name_key", "external_id", "display_name", "display_name_key", "active",
                                   "display_name_sort"]

    static func loadUserForUpdate(id: String, _ db: Database) throws -> UserForUpdate? {
        guard let row = try Row.fetchOne(db, cachedSQL: """
            SELECT seq, id, document, created, version, \(userFieldColumns.joined(separator: ", ")) FROM users WHERE id = ?
            """, arguments: [id]) else { return nil }
        return UserForUpdate(seq: row["seq"], id: row["id"], document: decodeDocument(row["document"]),
                             created: row["created"], version: row["version"],
                             fields: userFieldColumns.map { row[$0] as DatabaseValue })
    }

    /// Writes a user's new document, setting only the columns whose values
    /// change and rewriting its emails only when they change.
    ///
    /// SQLite rewrites an index entry for every column a `SET` names, changed
    /// or not, and each page it touches is a frame in the write-ahead log: a
    /// PUT that named them all wrote 6 pages for Okta's usual one-attribute
    /// change, and writes 2 now (`UserUpdateTests`). Fewer frames is less
    /// copying to the log, less checkpointing and fewer of the log restarts
    /// that stall writers.
    static func update(_ current: UserForUpdate, to document: [String: JSONValue], actor: DirectoryEvent.Actor,
                       _ db: Database, _ events: inout [DirectoryEvent]) throws -> StoredUser {
        try checkUniqueUserName(document, excluding: current.seq, db)
        let now = Timestamp.now()
        let fields = userFields(document)
        let text = encodeDocument(document)
        let meta = Meta(resourceType: "User", created: Date(timeIntervalSince1970: current.created),
                        lastModified: Date(timeIntervalSince1970: now), version: current.version + 1)
        var assignments = ["document = ?", "last_modified = ?", "version = ?", "representation = ?",
                           "representation_base_url_at = ?", "representation_groups_at = ?"]
        var values: [DatabaseValue] = [text.databaseValue, now.databaseValue, meta.version.databaseValue]
            + templateValues(id: current.id, documentText: text, meta: meta)
        for (index, column) in userFieldColumns.enumerated() where fields[index] != current.fields[index] {
            assignments.append("\(column) = ?")
            values.append(fields[index])
        }
        try db.execute(cachedSQL: "UPDATE users SET \(assignments.joined(separator: ", ")) WHERE seq = ?",
                       arguments: StatementArguments(values + [current.seq.databaseValue]))
        // `user_emails` is written only from `emailKeys` of the stored document: comparing
        // documents needs no read of the rows.
        if emailKeys(document) != emailKeys(current.document) {
            try db.execute(cachedSQL: "DELETE FROM user_emails WHERE user_seq = ?", arguments: [current.seq])
            try writeEmails(seq: current.seq, document, db)
        }
        let wasActive = current.document["active"]?.boolValue ?? true
        let isActive = document["active"]?.boolValue ?? true
        let change: DirectoryEvent.Change =
            wasActive == isActive ? .updated : isActive ? .reactivated : .deactivated
        events.append(.user(id: current.id, change: change, actor: actor))
        let row = try Row.fetchOne(db, cachedSQL: "SELECT \(userColumns) FROM users WHERE seq = ?", arguments: [current.seq])!
        return user(row)
    }

    /// The values of `userFieldColumns` for a document.
    static func userFields(_ doc: [String: JSONValue]) -> [DatabaseValue] {
        let userName = doc["userName"]?.stringValue ?? ""
        let displayName = doc["displayName"]?.stringValue
        return [userName.databaseValue, userName.lowercased().databaseValue, (doc["externalId"]?.stringValue).databaseValue,
                displayName.databaseValue, displayName?.lowercased().databaseValue ?? .null, (doc["active"]?.boolValue).databaseValue,
                displayName.map(PersonSortKey.of).databaseValue]
    }

    static func checkUniqueUserName(_ doc: [String: JSONValue], excluding seq: Int64?, _ db: Database) throws {
        let userName = doc["userName"]?.stringValue ?? ""
        let clash = try Row.fetchOne(db, cachedSQL: "SELECT seq, user_name FROM users WHERE user_name_key = ?",
                                     arguments: [userName.lowercased()])
        if let clash, clash["seq"] != seq {
            let existing: String = clash["user_name"]
            throw SCIMError.uniqueness(existing == userName
                ? "A user with userName \"\(userName)\" already exists."
                : "A user with userName \"\(existing)\" already exists; userName is unique ignoring case.")
        }
    }

    /// The keys `user_emails` holds for a document: its emails' values, lower-cased.
    static func emailKeys(_ doc: [String: JSONValue]) -> Set<String> {
        Set((doc["emails"]?.arrayValue ?? []).compactMap { $0[attribute: "value"]?.stringValue?.lowercased() })
    }

    static func writeEmails(seq: Int64, _ doc: [String: JSONValue], _ db: Database) throws {
        for value in emailKeys(doc) {
            try db.execute(cachedSQL: "INSERT INTO user_emails (user_seq, value_key) VALUES (?, ?)", arguments: [seq, value])
        }
    }

    public static func userNotFound(_ id: String) -> SCIMError {
        .notFound("User \(id) not found.")
    }
}
