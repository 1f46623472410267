import GRDB

/// The database schema, as GRDB migrations. Users and groups keep the client's
/// document as JSON text beside the columns that filters, uniqueness and
/// paging need, so `userName eq`, `externalId eq`, `displayName eq` and
/// `emails.value eq` are answered from indexes.
enum DirectorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // `seq` (the rowid) gives list pages a stable order: creation order.
            // v1 also created the request log here until it got a file of its own
            // (`RequestLogSchema`); databases made then still have it until v3.
            try db.execute(sql: """
                CREATE TABLE users (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    user_name TEXT NOT NULL,
                    user_name_key TEXT NOT NULL UNIQUE,
                    external_id TEXT,
                    display_name TEXT,
                    display_name_key TEXT,
                    active INTEGER,
                    document TEXT NOT NULL,
                    created REAL NOT NULL,
                    last_modified REAL NOT NULL,
                    version INTEGER NOT NULL
                );
                CREATE INDEX users_external_id ON users(external_id);
                CREATE INDEX users_display_name_key ON users(display_name_key);
                CREATE TABLE user_emails (
                    user_seq INTEGER NOT NULL REFERENCES users(seq) ON DELETE CASCADE,
                    value_key TEXT NOT NULL,
                    PRIMARY KEY (user_seq, value_key)
                ) WITHOUT ROWID;
                CREATE INDEX user_emails_value ON user_emails(value_key);
                CREATE TABLE groups (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    display_name_key TEXT NOT NULL UNIQUE,
                    external_id TEXT,
                    document TEXT NOT NULL,
                    created REAL NOT NULL,
                    last_modified REAL NOT NULL,
                    version INTEGER NOT NULL
                );
                CREATE INDEX groups_external_id ON groups(external_id);
                CREATE TABLE members (
                    group_seq INTEGER NOT NULL REFERENCES groups(seq) ON DELETE CASCADE,
                    user_seq INTEGER NOT NULL REFERENCES users(seq) ON DELETE CASCADE,
                    display TEXT,
                    PRIMARY KEY (group_seq, user_seq)
                ) WITHOUT ROWID;
                CREATE INDEX members_user ON members(user_seq);
                -- Row counts kept by triggers: an unfiltered list's totalResults
                -- must not cost a scan of the table.
                CREATE TABLE counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO counts VALUES ('users', 0), ('groups', 0);
                CREATE TRIGGER users_count_insert AFTER INSERT ON users
                    BEGIN UPDATE counts SET n = n + 1 WHERE name = 'users'; END;
                CREATE TRIGGER users_count_delete AFTER DELETE ON users
                    BEGIN UPDATE counts SET n = n - 1 WHERE name = 'users'; END;
                CREATE TRIGGER groups_count_insert AFTER INSERT ON groups
                    BEGIN UPDATE counts SET n = n + 1 WHERE name = 'groups'; END;
                CREATE TRIGGER groups_count_delete AFTER DELETE ON groups
                    BEGIN UPDATE counts SET n = n - 1 WHERE name = 'groups'; END;

                CREATE TABLE service_accounts (
                    id INTEGER PRIMARY KEY,
                    uid TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    login TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    is_disabled INTEGER NOT NULL DEFAULT 0,
                    created REAL NOT NULL,
                    updated REAL NOT NULL
                );
                CREATE TABLE tokens (
                    id INTEGER PRIMARY KEY,
                    service_account_id INTEGER NOT NULL REFERENCES service_accounts(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE,
                    created REAL NOT NULL,
                    expires REAL,
                    last_used REAL,
                    UNIQUE (service_account_id, name)
                );
                CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2") { db in
            // Deep list pages (`startIndex=90001`) skip rows with OFFSET. Over the table itself that
            // walks every row's document; over this narrow covering index it walks ~10 bytes a row.
            try db.execute(sql: """
                CREATE INDEX users_by_seq ON users(seq);
                CREATE INDEX groups_by_seq ON groups(seq);
                """)
        }
        migrator.registerMigration("v3") { db in
            // The request log has a file of its own (`RequestLogSchema`); `Directory.init`
            // copies any rows across before this runs.
            try db.execute(sql: "DROP TABLE IF EXISTS request_log")
        }
        migrator.registerMigration("v4") { db in
            // Each user's representation written when the user is (`RepresentationTemplate`):
            // a list page copies it instead of writing every user again. Rows written
            // before this have none and are written from `document` on each read.
            // The trigger is a net for a writer that changes what is served without writing the
            // representation anew (every writer here writes both): the stale one is dropped, and
            // the user is written from its document until its next change.
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN representation BLOB;
                ALTER TABLE users ADD COLUMN representation_base_url_at INTEGER;
                ALTER TABLE users ADD COLUMN representation_groups_at INTEGER;
                CREATE TRIGGER users_representation_follows
                    AFTER UPDATE OF id, document, created, last_modified, version ON users
                    WHEN NEW.representation IS OLD.representation AND NEW.representation IS NOT NULL
                    BEGIN
                        UPDATE users SET representation = NULL, representation_base_url_at = NULL,
                                         representation_groups_at = NULL WHERE seq = NEW.seq;
                    END;
                """)
        }
        migrator.registerMigration("v5") { db in
            // The console's Users filter matches a substring of the userName, display
            // name, externalId or an email. Over `users` that is four LIKEs per row of
            // about 1.2 KB (the document and representation come along with each row
            // read). This narrow table holds just the text matched, one row per user,
            // the fields apart by line feeds (a filter cannot hold one, so no match
            // spans two): one LIKE over ~70 bytes a row. Triggers keep it, so no writer can forget it; an email added
            // is appended, not gathered again, since a create adds its emails one by one.
            try db.execute(sql: """
                CREATE TABLE user_search (
                    seq INTEGER PRIMARY KEY REFERENCES users(seq) ON DELETE CASCADE,
                    text TEXT NOT NULL
                );
                INSERT INTO user_search (seq, text) SELECT seq, \(UserSearchText.gathered("users")) FROM users;
                CREATE TRIGGER user_search_insert AFTER INSERT ON users BEGIN
                    INSERT OR REPLACE INTO user_search (seq, text) VALUES (NEW.seq, \(UserSearchText.gathered("NEW")));
                END;
                CREATE TRIGGER user_search_update AFTER UPDATE OF user_name_key, display_name_key, external_id ON users BEGIN
                    UPDATE user_search SET text = \(UserSearchText.gathered("NEW")) WHERE seq = NEW.seq;
                END;
                CREATE TRIGGER user_search_email_insert AFTER INSERT ON user_emails BEGIN
                    UPDATE user_search SET text = text || char(10) || NEW.value_key WHERE seq = NEW.user_seq;
                END;
                CREATE TRIGGER user_search_email_delete AFTER DELETE ON user_emails BEGIN
                    -- A user deleted takes its emails along: its row is gone then, and so is its text.
                    UPDATE user_search SET text = ifnull((SELECT \(UserSearchText.gathered("users")) FROM users
                                                          WHERE seq = OLD.user_seq), text)
                    WHERE seq = OLD.user_seq;
                END;
                """)
        }
        migrator.registerMigration("v6") { db in
            // Display names in the order a person expects (`PersonSortKey`): by code point,
            // `Łukasz` sorted after `Zoë`. A column of its own, indexed: the key folds
            // accents, which a SCIM filter on displayName must not.
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN display_name_sort TEXT;
                ALTER TABLE groups ADD COLUMN display_name_sort TEXT;
                """)
            try fillDisplayNameSortKeys(db)
            try db.execute(sql: """
                CREATE INDEX users_display_name_sort ON users(display_name_sort);
                CREATE INDEX groups_display_name_sort ON groups(display_name_sort);
                """)
        }
        return migrator
    }

    /// Writes the sort key of each display name that has none: every row
    /// when v6 adds the column, and rows `recover` copied from a database
    /// made before it.
    static func fillDisplayNameSortKeys(_ db: Database) throws {
        for table in ["users", "groups"] {
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, display_name FROM \(table) WHERE display_name IS NOT NULL AND display_name_sort IS NULL
                """)
            let update = try db.makeStatement(sql: "UPDATE \(table) SET display_name_sort = ? WHERE seq = ?")
            for row in rows {
                try update.execute(arguments: [PersonSortKey.of(row["display_name"]), row["seq"] as Int64])
            }
        }
    }
}

/// The text the Users filter matches for one user (`user_search`), as SQL over
/// a row named `row` of `users`.
enum UserSearchText {
    static func gathered(_ row: String) -> String {
        """
        \(row).user_name_key || char(10) || ifnull(\(row).display_name_key, '') || char(10) || ifnull(\(row).external_id, '')
        || ifnull((SELECT group_concat(char(10) || value_key, '') FROM user_emails WHERE user_seq = \(row).seq), '')
        """
    }
}
