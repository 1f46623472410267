import Directory

/// The users a Users filter matches, as seqs ascending (creation order), kept
/// from frame to frame and followed through the users that change.
///
/// Counted and windowed in SQL, a filter over 173,000 users was two scans per
/// read (390 ms before `user_search`, 50-70 after), and during an Okta push
/// every frame was such a read. Kept, a change costs a look at the users it
/// names, and the count, a window in creation order and the selection's place
/// cost no scan at all.
struct FilteredUserSeqs {
    let filter: String
    /// Every user the filter matched when last looked at, ascending.
    private(set) var seqs: [Int64] = []
    private var scanned = false
    /// Users changed since the last look.
    private var changed: Set<String> = []

    /// Past this many changed users, one scan is cheaper than looking them up.
    static let lookupLimit = 5_000

    init(filter: String) {
        self.filter = filter
    }

    /// A user changed (a directory event). A deleted user's seq is no longer
    /// known, so a deletion (Okta deactivates; only the Grafana API deletes)
    /// means one scan again.
    mutating func userChanged(id: String, change: DirectoryEvent.Change) {
        guard scanned else { return }
        if change == .deleted || changed.count >= Self.lookupLimit {
            scanned = false
            changed = []
        } else {
            changed.insert(id)
        }
    }

    /// Scans on the first call (or after a deletion); after that looks up
    /// only the users that changed since.
    mutating func refresh(_ directory: Directory) throws {
        guard scanned else {
            seqs = try directory.userSeqs(matching: filter)
            scanned = true
            changed = []
            return
        }
        guard !changed.isEmpty else { return }
        let found = try directory.userSeqs(matching: filter, among: Array(changed))
        changed = []
        for user in found {
            let at = seqs[...].offset(ofFirstAtLeast: user.seq)
            let kept = at < seqs.count && seqs[at] == user.seq
            if user.matches, !kept {
                seqs.insert(user.seq, at: at)  // at the end for a user just created
            } else if !user.matches, kept {
                seqs.remove(at: at)
            }
        }
    }

    /// Where the user `seq` stands among the matches, or nil when it is not one.
    func position(of seq: Int64) -> Int? {
        let at = seqs[...].offset(ofFirstAtLeast: seq)
        return at < seqs.count && seqs[at] == seq ? at : nil
    }
}
