import ConsoleQueries
import Directory

/// The ids of the logged requests a filter matches, oldest first, kept up to
/// date by reading only what was logged since the last look and forgetting
/// what has left the log.
///
/// The filtered Requests tab is re-read on every frame while requests
/// arrive. Counted in SQL, a filter kept on during a burst would compare
/// every logged line each time. The ids also give the window and the
/// selection's place without a scan.
struct FilteredRequestIDs {
    let filter: String
    private let parsed: RequestFilter
    /// The users a `user:` term names, read at the first refresh and kept for the filter's life.
    private var userIDs: [String]?
    /// Every match seen so far, ascending (ids only grow).
    private(set) var ids: [Int64] = []
    private var scannedThrough: Int64 = 0

    init(filter: String) {
        self.filter = filter
        parsed = RequestFilter(filter)
    }

    /// Adds what was logged since the last call (up to `maxID` while paused)
    /// and drops what the log has let go.
    mutating func refresh(users directory: Directory, log: RequestLog, maxID: Int64?) throws {
        if userIDs == nil { userIDs = try directory.userIDs(namedBy: parsed) }
        let found = try log.requestIDs(matching: parsed, userIDs: userIDs ?? [], after: scannedThrough, maxID: maxID)
        ids += found.ids
        scannedThrough = found.scannedThrough
        guard let oldest = found.oldest else {
            ids = []
            return
        }
        if let first = ids.first, first < oldest { ids.removeFirst(ids[...].offset(ofFirstAtLeast: oldest)) }
    }

    /// The matches shown: all of them, or those up to `maxID` while paused.
    func shown(maxID: Int64?) -> ArraySlice<Int64> {
        guard let maxID else { return ids[...] }
        return ids.prefix(ids[...].offset(ofFirstAtLeast: maxID + 1))
    }
}
