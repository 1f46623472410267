import Foundation
import GRDB
import SCIM

extension Directory {
    // MARK: service accounts

    public func serviceAccounts(query: String = "", page: Int = 1, perPage: Int = 1000) throws -> (total: Int, accounts: [ServiceAccount]) {
        try read { db in
            let pattern = "%\(query.lowercased())%"
            let total = try Int.fetchOne(db, cachedSQL: "SELECT COUNT(*) FROM service_accounts WHERE lower(name) LIKE ? OR lower(login) LIKE ?",
                                         arguments: [pattern, pattern]) ?? 0
            let rows = try Row.fetchAll(db, cachedSQL: """
                SELECT sa.*, (SELECT COUNT(*) FROM tokens t WHERE t.service_account_id = sa.id) AS token_count
                FROM service_accounts sa WHERE lower(name) LIKE ? OR lower(login) LIKE ?
                ORDER BY name LIMIT ? OFFSET ?
                """, arguments: [pattern, pattern, max(1, perPage), (max(1, page) - 1) * max(1, perPage)])
            return (total, rows.map(Self.serviceAccount(from:)))
        }
    }

    public func serviceAccount(id: Int64) throws -> ServiceAccount? {
        try read { db in try Self.serviceAccount(id: id, db) }
    }

    public func serviceAccount(named name: String) throws -> ServiceAccount? {
        try read { db in
            try Row.fetchOne(db, cachedSQL: """
                SELECT sa.*, (SELECT COUNT(*) FROM tokens t WHERE t.service_account_id = sa.id) AS token_count
                FROM service_accounts sa WHERE name = ?
                """, arguments: [name]).map(Self.serviceAccount(from:))
        }
    }

    /// Creates a service account. 409 when the name is taken; 400 for an unknown role.
    public func createServiceAccount(name: String, role: String = "Admin", isDisabled: Bool = false) throws -> ServiceAccount {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw SCIMError(status: 400, detail: "A service account needs a name.") }
        guard let canonicalRole = ServiceAccount.roles.first(where: { $0.lowercased() == role.lowercased() }) else {
            throw SCIMError(status: 400, detail: "Role must be one of None, Viewer, Editor, Admin.")
        }
        return try write { db, _ in
            if try Bool.fetchOne(db, cachedSQL: "SELECT 1 FROM service_accounts WHERE name = ?", arguments: [trimmed]) == true {
                throw SCIMError(status: 409, detail: "A service account named \"\(trimmed)\" already exists.")
            }
            let now = Timestamp.now()
            let slug = trimmed.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            try db.execute(cachedSQL: """
                INSERT INTO service_accounts (uid, name, login, role, is_disabled, created, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Self.newUID(), trimmed, "sa-1-\(slug)", canonicalRole, isDisabled, now, now])
            return try Self.serviceAccount(id: db.lastInsertedRowID, db)!
        }
    }

    public func deleteServiceAccount(id: Int64) throws {
        let tokenIDs = try write { db, _ in
            let ids = try Int64.fetchAll(db, cachedSQL: "SELECT id FROM tokens WHERE service_account_id = ?", arguments: [id])
            try db.execute(cachedSQL: "DELETE FROM service_accounts WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else {
                throw SCIMError(status: 404, detail: "Service account \(id) not found.")
            }
            return ids
        }
        credentialsEpoch.bump()
        for t in tokenIDs { tokenCache.forget(tokenID: t) }
    }

    // MARK: tokens

    public func tokens(serviceAccountID: Int64) throws -> [TokenInfo] {
        try read { db in
            guard try Self.serviceAccount(id: serviceAccountID, db) != nil else {
                throw SCIMError(status: 404, detail: "Service account \(serviceAccountID) not found.")
            }
            return try Row.fetchAll(db, cachedSQL: "SELECT * FROM tokens WHERE service_account_id = ? ORDER BY id",
                                    arguments: [serviceAccountID]).map(Self.tokenInfo(from:))
        }
    }

    /// Issues a token; only its hash is stored. 409 when the name is taken for this account.
    /// `secondsToLive` 0 means it never expires.
    public func createToken(serviceAccountID: Int64, name: String, secondsToLive: Int = 0) throws -> NewToken {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw SCIMError(status: 400, detail: "A token needs a name.") }
        let token = ServiceAccountToken.generate()
        let hash = token.hash
        let info = try write { db, _ in
            guard try Self.serviceAccount(id: serviceAccountID, db) != nil else {
                throw SCIMError(status: 404, detail: "Service account \(serviceAccountID) not found.")
            }
            if try Bool.fetchOne(db, cachedSQL: "SELECT 1 FROM tokens WHERE service_account_id = ? AND name = ?",
                                 arguments: [serviceAccountID, trimmed]) == true {
                throw SCIMError(status: 409, detail: "A token named \"\(trimmed)\" already exists for this service account.")
            }
            let now = Timestamp.now()
            let expires: Double? = secondsToLive > 0 ? now + Double(secondsToLive) : nil
            try db.execute(cachedSQL: """
                INSERT INTO tokens (service_account_id, name, hash, created, expires) VALUES (?, ?, ?, ?, ?)
                """, arguments: [serviceAccountID, trimmed, hash, now, expires])
            return try Self.tokenInfo(from: Row.fetchOne(db, cachedSQL: "SELECT * FROM tokens WHERE id = ?",
                                                         arguments: [db.lastInsertedRowID])!)
        }
        return NewToken(info: info, key: token.key)
    }

    /// A token name not yet used by this account: `base`, else `base-2`, `base-3`, …
    public func freeTokenName(serviceAccountID: Int64, base: String) throws -> String {
        let taken = Set(try tokens(serviceAccountID: serviceAccountID).map(\.name))
        if !taken.contains(base) { return base }
        var n = 2
        while taken.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    public func deleteToken(serviceAccountID: Int64, tokenID: Int64) throws {
        try write { db, _ in
            try db.execute(cachedSQL: "DELETE FROM tokens WHERE id = ? AND service_account_id = ?",
                           arguments: [tokenID, serviceAccountID])
            guard db.changesCount > 0 else {
                throw SCIMError(status: 404, detail: "Token \(tokenID) of service account \(serviceAccountID) not found.")
            }
        }
        credentialsEpoch.bump()
        tokenCache.forget(tokenID: tokenID)
    }

    /// Checks a presented bearer token: the cache first (no database read while
    /// no process changed credentials; only a key that parsed is ever cached,
    /// so a hit needs no parse), then format and checksum, and only for a
    /// token not seen before the PBKDF2 hash.
    public func authenticate(bearer key: String?) throws -> ServiceAccount {
        guard let key, !key.isEmpty else { throw TokenRejection.missing }
        let digest = ServiceAccountToken.cacheKey(for: key)
        // Read before the database, so a change committed after this read is seen by the next request.
        let epoch = credentialsEpoch.current()
        let now = ContinuousClock.now
        if let cached = tokenCache.entry(for: digest) {
            if cached.epoch == epoch, now - cached.checkedAt < TokenCache.maximumAge {
                if let expires = cached.expires, expires <= Date().timeIntervalSince1970 { throw TokenRejection.expired }
                return cached.account
            }
            if let (account, expires) = try validAccount(tokenID: cached.tokenID) {
                tokenCache.remember(digest, .init(tokenID: cached.tokenID, account: account, expires: expires,
                                                  epoch: epoch, checkedAt: now))
                return account
            }
            tokenCache.forget(tokenID: cached.tokenID)
        }
        guard let token = ServiceAccountToken(key: key) else { throw TokenRejection.malformed }
        let hash = token.hash
        guard let tokenID = try readOneStatement({ db in
            try Int64.fetchOne(db, cachedSQL: "SELECT id FROM tokens WHERE hash = ?", arguments: [hash])
        }) else { throw TokenRejection.unknown }
        guard let (account, expires) = try validAccount(tokenID: tokenID) else { throw TokenRejection.unknown }
        tokenCache.remember(digest, .init(tokenID: tokenID, account: account, expires: expires, epoch: epoch, checkedAt: now))
        return account
    }

    /// The token's account and expiry if the token still exists, has not expired and the account is enabled.
    private func validAccount(tokenID: Int64) throws -> (ServiceAccount, expires: Double?)? {
        let row = try readOneStatement { db in
            try Row.fetchOne(db, cachedSQL: """
                SELECT sa.*, 0 AS token_count, t.expires AS token_expires
                FROM tokens t JOIN service_accounts sa ON sa.id = t.service_account_id WHERE t.id = ?
                """, arguments: [tokenID])
        }
        guard let row else { return nil }
        let expires: Double? = row["token_expires"]
        if let expires, expires <= Date().timeIntervalSince1970 {
            throw TokenRejection.expired
        }
        let account = Self.serviceAccount(from: row)
        if account.isDisabled { throw TokenRejection.disabled }
        return (account, expires)
    }

    // MARK: rows

    static func serviceAccount(id: Int64, _ db: Database) throws -> ServiceAccount? {
        try Row.fetchOne(db, cachedSQL: """
            SELECT sa.*, (SELECT COUNT(*) FROM tokens t WHERE t.service_account_id = sa.id) AS token_count
            FROM service_accounts sa WHERE id = ?
            """, arguments: [id]).map(serviceAccount(from:))
    }

    static func serviceAccount(from row: Row) -> ServiceAccount {
        ServiceAccount(id: row["id"], uid: row["uid"], name: row["name"], login: row["login"], role: row["role"],
                       isDisabled: row["is_disabled"], created: Date(timeIntervalSince1970: row["created"]),
                       updated: Date(timeIntervalSince1970: row["updated"]), tokenCount: row["token_count"] ?? 0)
    }

    static func tokenInfo(from row: Row) -> TokenInfo {
        TokenInfo(id: row["id"], serviceAccountID: row["service_account_id"], name: row["name"],
                  created: Date(timeIntervalSince1970: row["created"]),
                  expires: (row["expires"] as Double?).map { Date(timeIntervalSince1970: $0) },
                  lastUsed: (row["last_used"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }

    static func newUID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<14).map { _ in alphabet.randomElement()! })
    }
}
