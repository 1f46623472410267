import GRDB
import PlainErrors

/// Why the data directory's storage failed, in plain words: SQLite's result
/// code told as what it means for the data, an errno's meaning otherwise.
/// Never SQLite's message or the statement, which name tables and columns.
public enum StorageErrorText {
    public static func reason(_ error: any Error) -> String {
        guard let db = error as? DatabaseError else { return PlainErrorText.reason(error) }
        switch db.resultCode {
        case .SQLITE_FULL: return "No space left on the disk"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "The database file is damaged"
        case .SQLITE_READONLY: return "The database file is read-only"
        case .SQLITE_CANTOPEN: return "The database file cannot be opened (missing folder or no permission)"
        case .SQLITE_PERM, .SQLITE_AUTH: return "Permission denied"
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "The database is busy"
        case .SQLITE_IOERR: return "The disk reported a read or write error"
        default: return "The database failed (SQLite code \(db.resultCode.rawValue))"
        }
    }

    /// One sentence: what went wrong and, when there is something to do, what to do.
    public static func sentence(_ error: any Error) -> String {
        remedy(error).map { "\(reason(error)): \($0)." } ?? "\(reason(error))."
    }

    /// Whether the error says the database file is damaged.
    public static func isDamage(_ error: any Error) -> Bool {
        guard let db = error as? DatabaseError else { return false }
        return db.resultCode == .SQLITE_CORRUPT || db.resultCode == .SQLITE_NOTADB
    }

    /// What to do about a damaged database: the words every place that finds
    /// damage ends with, after a colon.
    public static let damageRemedy = "stop the console and serve, then copy what is readable into a new database "
        + "(scim-console recover) or restore the last backup (scim-console restore --from FILE)"

    /// What a person can do about it, when there is something to do.
    public static func remedy(_ error: any Error) -> String? {
        guard let db = error as? DatabaseError else { return nil }
        switch db.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return damageRemedy
        case .SQLITE_FULL:
            return "free space on the data directory's disk, then try again"
        default:
            return nil
        }
    }
}
