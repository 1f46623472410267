import Crypto
import Foundation

/// The embedded Grafana's admin login for basic auth on `/api/…`: user
/// `admin` and a password generated on first start, kept in a 0600 file in
/// the data directory for the admin to read.
public struct AdminCredentials: Sendable {
    public static let user = "admin"
    let passwordDigest: [UInt8]

    /// Loads the password file, creating it (0600) with a random password if missing.
    public static func loadOrCreate(path: String) throws -> AdminCredentials {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            var rng = SystemRandomNumberGenerator()
            let password = String((0..<24).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] })
            guard fm.createFile(atPath: path, contents: Data((password + "\n").utf8),
                                attributes: [.posixPermissions: 0o600])
            else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        return AdminCredentials(passwordDigest: Array(SHA256.hash(data: Data(try password(at: path).utf8))))
    }

    /// The password in the file, for the setup steps that log in with it.
    public static func password(at path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Checks an `Authorization: Basic …` value, comparing digests in
    /// constant time so the comparison takes the same time whatever the password.
    func accepts(basic header: String) -> Bool {
        guard header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return false }
        let user = text[..<colon]
        let password = text[text.index(after: colon)...]
        let digest = Array(SHA256.hash(data: Data(password.utf8)))
        return Self.constantTimeEqual(digest, passwordDigest) && user == Self.user
    }

    /// Compares every byte whatever the first difference, so the time taken says nothing about where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
