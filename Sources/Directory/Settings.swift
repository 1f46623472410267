import GRDB

extension Directory {
    /// A small named value kept with the data (the SCIMConfig object, later the wizard's progress).
    public func setting(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
    }

    /// Sets or (with nil) removes a setting.
    public func setSetting(_ key: String, _ value: String?) throws {
        try write { db, _ in
            if let value {
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
            }
        }
    }
}
