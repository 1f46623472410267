/// A committed change, published once after its transaction commits, so a
/// subscriber (the console's live pane) never sees a change that rolled back.
public enum DirectoryEvent: Sendable, Equatable {
    /// What happened to a resource.
    public enum Change: String, Sendable {
        case created, updated, deactivated, reactivated, deleted
    }

    /// Who asked for the change: a SCIM client over HTTP, or the operator at the console or CLI.
    public enum Actor: String, Sendable {
        case scim, `operator`
    }

    case user(id: String, change: Change, actor: Actor)
    case group(id: String, change: Change, actor: Actor)
    /// An exchange written to the request log; `byConsole` when the console
    /// itself made it (its setup probes, a hand deactivation), which the
    /// header's error rate leaves out.
    case requestLogged(id: Int64, status: Int, byConsole: Bool = false)
    /// The data directory's disk ran out of space (`full`), or has room again (`DiskSpace`).
    case diskSpace(full: Bool)
    /// The background check of a large database found it damaged (`Directory.checkInBackground`).
    case databaseDamaged(problems: Int)
    /// This subscriber fell so far behind that some events were dropped
    /// (`EventStream`): read anew whatever was kept from them.
    case eventsMissed
    /// Many users or teams changed at once (a mirror's first read of a
    /// Grafana): read anew, and mark no row.
    case bulkChange
}
