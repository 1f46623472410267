import ConsoleQueries
import Directory

/// The users a Users filter matches, as seqs ascending (creation order), kept
/// from frame to frame and followed through the users that change.
///
/// Counted and windowed in SQL, a filter would be two scans of every user's
/// row per read, and during an Okta push every frame would be such a read.
/// The matches are found in the table's copy of every user's text
/// (`UserSearchIndex`) and kept: a change costs a look at the
/// users it names, and the count, a window in creation order and the
/// selection's place cost no scan at all. A filter holding a control
/// character is matched in SQL (`Directory.userSeqs(matching:)`), and its
/// changed users looked up there.
struct FilteredUserSeqs {
    let filter: String
    /// What the search index looks for; nil when the filter is matched in SQL
    /// (`UserSearchIndex.needle(for:)`).
    private let needle: [UInt8]?
    /// Every user the filter matched when last looked at, ascending.
    private(set) var seqs: [Int64] = []
    private var scanned = false
    /// Users changed since the last look, when matched in SQL (the search
    /// index follows them itself).
    private var changed: Set<String> = []

    /// Past this many changed users, one scan is cheaper than looking them up.
    static let lookupLimit = 5_000

    init(filter: String) {
        self.filter = filter
        needle = UserSearchIndex.needle(for: filter)
    }

    /// A user changed (a directory event); only a filter matched in SQL keeps
    /// them, the search index follows the rest. A deleted user's seq is no
    /// longer known, so a deletion (Okta deactivates; only the Grafana API
    /// deletes) means one scan again.
    mutating func userChanged(id: String, change: DirectoryEvent.Change) {
        guard scanned, needle == nil else { return }
        if change == .deleted || changed.count >= Self.lookupLimit {
            scanned = false
            changed = []
        } else {
            changed.insert(id)
        }
    }

    /// Searches on the first call (or after a deletion); after that looks
    /// only at the users that changed since. `index` is the table's copy of
    /// every user's text, brought up to date here.
    mutating func refresh(_ directory: Directory, index: UserSearchIndex) throws {
        if let needle {
            let update = try index.update(directory)
            if !scanned || update == .reloaded {
                seqs = index.matches(needle)
                scanned = true
            } else if case .changed(let users) = update {
                for seq in users { follow(seq, matches: index.contains(needle, seq: seq) ?? false) }
            }
            return
        }
        guard scanned else {
            seqs = try directory.userSeqs(matching: filter)
            scanned = true
            changed = []
            return
        }
        guard !changed.isEmpty else { return }
        let found = try directory.userSeqs(matching: filter, among: Array(changed))
        changed = []
        for user in found { follow(user.seq, matches: user.matches) }
    }

    private mutating func follow(_ seq: Int64, matches: Bool) {
        let at = seqs[...].offset(ofFirstAtLeast: seq)
        switch (matches, position(of: seq)) {
        case (true, nil): seqs.insert(seq, at: at)  // at the end for a user just created
        case (false, let kept?): seqs.remove(at: kept)
        default: break
        }
    }

    /// Where the user `seq` stands among the matches, or nil when it is not one.
    func position(of seq: Int64) -> Int? {
        let at = seqs[...].offset(ofFirstAtLeast: seq)
        return at < seqs.count && seqs[at] == seq ? at : nil
    }
}
