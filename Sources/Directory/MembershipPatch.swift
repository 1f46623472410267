import GRDB
import SCIM

/// The membership PATCHes Okta sends in bursts — `add` to `members`, `remove`
/// of `members[value eq "…"]` — applied as row inserts and deletes.
///
/// The general path reads every member into a document, applies the PatchOp
/// and writes the difference back: for a 5,000-member team that is three
/// passes over 5,000 rows inside the write lock, for a one-member change. A
/// request made only of these operations gets the same result this way
/// (`add` keeps an existing member and its `display`, as appending a
/// duplicate does; removing a member that is not there is not an error; ids
/// in a filter match ignoring case, as `members.value` is not case-exact),
/// checked side by side with the general path in `MembershipPatchTests`.
enum MembershipPatch {
    enum Change: Equatable {
        case add([Directory.MemberInput])
        case remove(userID: String)
    }

    /// The request as membership changes, or nil when any operation is of another kind.
    static func changes(_ patch: PatchRequest) throws -> [Change]? {
        var changes: [Change] = []
        for operation in patch.operations {
            guard let path = operation.path, path.subAttribute == nil, isMembers(path.attribute) else { return nil }
            switch (operation.op, path.filter) {
            case (.add, nil):
                guard case .array = operation.value else { return nil }
                changes.append(.add(try Directory.memberInputs(operation.value)))
            case (.remove, .compare(let attribute, .eq, .string(let id))?)
                where attribute.schema == nil && attribute.subAttribute == nil
                    && attribute.attribute.equalsIgnoringCase("value"):
                changes.append(.remove(userID: id))
            default:
                return nil
            }
        }
        return changes.isEmpty ? nil : changes
    }

    private static func isMembers(_ path: AttributePath) -> Bool {
        path.subAttribute == nil && path.attribute.equalsIgnoringCase("members")
            && (path.schema == nil || path.schema?.equalsIgnoringCase(SchemaURN.group) == true)
    }

    /// Applies `changes` to the group at `groupSeq`, inside the caller's write transaction.
    static func apply(_ changes: [Change], groupSeq: Int64, _ db: Database) throws {
        for change in changes {
            switch change {
            case .add(let members):
                let seqs = try Directory.userSeqs(for: members.map(\.id), db)
                for member in members {
                    guard let seq = seqs[member.id] else { throw Directory.unknownMember(member.id) }
                    try db.execute(cachedSQL: "INSERT OR IGNORE INTO members (group_seq, user_seq, display) VALUES (?, ?, ?)",
                                   arguments: [groupSeq, seq, member.display])
                }
            case .remove(let id):
                try db.execute(cachedSQL: """
                    DELETE FROM members WHERE group_seq = ? AND user_seq IN (SELECT seq FROM users WHERE id = lower(?))
                    """, arguments: [groupSeq, id])
            }
        }
        try db.execute(cachedSQL: "UPDATE groups SET last_modified = ?, version = version + 1 WHERE seq = ?",
                       arguments: [Timestamp.now(), groupSeq])
    }
}
