import SCIM
import Foundation
import GRDB
import Testing
import TestSupport
@testable import Directory

@Suite("Service account tokens")
struct ServiceAccountTokenTests {
    // Computed independently with Python's zlib.crc32 and hashlib.pbkdf2_hmac
    // following Grafana's satokengen rules.
    static let secret = "abcdefghijklmnopqrstuvwxyzABCDEF"
    static let key = "glsa_abcdefghijklmnopqrstuvwxyzABCDEF_ec61ef3f"
    static let hash = "c91593d0fe7544facf7ffc4dac1db43a8631eeb1e68324e701da0ec82443957aa6f65eca6af06b175ca7604f8a63e3574543"

    @Test func knownVector() throws {
        let token = try #require(ServiceAccountToken(key: Self.key))
        #expect(token.secret == Self.secret)
        #expect(token.checksum == "ec61ef3f")
        #expect(token.hash == Self.hash)
    }

    @Test func generatedTokensHaveGrafanasFormat() throws {
        let token = ServiceAccountToken.generate()
        #expect(token.key.count == 46)
        #expect(token.key.hasPrefix("glsa_"))
        #expect(ServiceAccountToken(key: token.key) == token)
        #expect(token.key.wholeMatch(of: /glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}/) != nil)
    }

    @Test func malformedTokensAreRejected() {
        #expect(ServiceAccountToken(key: "glsa_abcdefghijklmnopqrstuvwxyzABCDEF_ec61ef3e") == nil)  // checksum
        #expect(ServiceAccountToken(key: "glsb_abcdefghijklmnopqrstuvwxyzABCDEF_ec61ef3f") == nil)  // prefix
        #expect(ServiceAccountToken(key: "glsa_abcdefghijklmnopqrstuvwxyzABCDE_ec61ef3f") == nil)  // length
        #expect(ServiceAccountToken(key: "") == nil)
    }

    @Test func authenticationLifecycle() throws {
        let directory = try makeDirectory()
        let account = try directory.createServiceAccount(name: "okta-scim", role: "Admin")
        let token = try directory.createToken(serviceAccountID: account.id, name: "t1")
        #expect(try directory.authenticate(bearer: token.key).name == "okta-scim")
        // Second time from the cache: still the same answer.
        #expect(try directory.authenticate(bearer: token.key).id == account.id)
        #expect(throws: TokenRejection.missing) { try directory.authenticate(bearer: nil) }
        #expect(throws: TokenRejection.malformed) { try directory.authenticate(bearer: "not-a-token") }
        #expect(throws: TokenRejection.unknown) { try directory.authenticate(bearer: ServiceAccountToken.generate().key) }
        // Revocation is honoured even for a cached token.
        try directory.deleteToken(serviceAccountID: account.id, tokenID: token.info.id)
        #expect(throws: TokenRejection.unknown) { try directory.authenticate(bearer: token.key) }
    }

    @Test func revocationByAnotherProcessIsHonoured() throws {
        let directory = try makeDirectory()
        let other = try Directory(path: directory.path)  // a second connection, as `token revoke` would open
        let account = try directory.createServiceAccount(name: "okta-scim")
        let token = try directory.createToken(serviceAccountID: account.id, name: "t1")
        _ = try directory.authenticate(bearer: token.key)
        try other.deleteToken(serviceAccountID: account.id, tokenID: token.info.id)
        #expect(throws: TokenRejection.unknown) { try directory.authenticate(bearer: token.key) }
    }

    /// A cached check reads no database row: a token row deleted behind the
    /// Directory's back (no epoch stamp) still passes, until a process that
    /// revokes anything rewrites the stamp — then the very next check goes to
    /// the database and refuses.
    @Test func cachedChecksReadNoRowUntilTheEpochChanges() throws {
        let directory = try makeDirectory()
        let account = try directory.createServiceAccount(name: "okta-scim")
        let token = try directory.createToken(serviceAccountID: account.id, name: "t1")
        let other = try directory.createToken(serviceAccountID: account.id, name: "t2")
        _ = try directory.authenticate(bearer: token.key)
        let raw = try DatabaseQueue(path: directory.path)
        try raw.write { db in try db.execute(sql: "DELETE FROM tokens WHERE id = ?", arguments: [token.info.id]) }
        #expect(try directory.authenticate(bearer: token.key).id == account.id, "served from the cache")
        // Another process revokes a different token: the stamp changes, every cached check is redone.
        try Directory(path: directory.path).deleteToken(serviceAccountID: account.id, tokenID: other.info.id)
        #expect(throws: TokenRejection.unknown) { try directory.authenticate(bearer: token.key) }
    }

    @Test func expiredTokens() throws {
        let directory = try makeDirectory()
        let account = try directory.createServiceAccount(name: "okta-scim")
        let token = try directory.createToken(serviceAccountID: account.id, name: "short", secondsToLive: 1)
        #expect(try directory.authenticate(bearer: token.key).id == account.id)
        Thread.sleep(forTimeInterval: 1.1)
        #expect(throws: TokenRejection.expired) { try directory.authenticate(bearer: token.key) }
    }

    @Test func tokenNamesAreUniquePerAccountAndHashesOnlyAreStored() throws {
        let directory = try makeDirectory()
        let account = try directory.createServiceAccount(name: "okta-scim")
        let token = try directory.createToken(serviceAccountID: account.id, name: "t1")
        #expect(throws: SCIMError.self) { try directory.createToken(serviceAccountID: account.id, name: "t1") }
        #expect(try directory.freeTokenName(serviceAccountID: account.id, base: "t1") == "t1-2")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory.path))
        #expect(bytes.range(of: Data(token.key.utf8)) == nil)
        #expect(bytes.range(of: Data(ServiceAccountToken(key: token.key)!.secret.utf8)) == nil)
        #expect(throws: SCIMError.self) { try directory.createServiceAccount(name: "okta-scim") }
    }
}
