import Crypto
import _CryptoExtras
import Foundation

/// A Grafana service account token: `glsa_` + 32 alphanumerics + `_` + the
/// 8-hex CRC-32 of `glsa_<secret>` (little-endian), as `pkg/components/satokengen`
/// makes them. Only its hash is ever stored.
public struct ServiceAccountToken: Sendable, Equatable {
    public static let prefix = "glsa_"
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    public let secret: String
    public let checksum: String

    /// The token as given to the client, shown once.
    public var key: String { "\(Self.prefix)\(secret)_\(checksum)" }

    /// A new random token.
    public static func generate() -> ServiceAccountToken {
        var rng = SystemRandomNumberGenerator()
        let secret = String((0..<32).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] })
        return ServiceAccountToken(secret: secret, checksum: checksum(for: secret))
    }

    init(secret: String, checksum: String) {
        self.secret = secret
        self.checksum = checksum
    }

    /// Parses a presented token; nil unless prefix, length, alphabet and checksum are all right.
    public init?(key: String) {
        guard key.hasPrefix(Self.prefix), key.utf8.count == 46 else { return nil }
        // Bytes, not Characters: this runs on every request, and Unicode properties are not free.
        let body = key.utf8.dropFirst(Self.prefix.utf8.count)
        let parts = body.split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false).map { Substring($0) }
        guard parts.count == 2, parts[0].utf8.count == 32, parts[1].utf8.count == 8,
            parts[0].utf8.allSatisfy({ b in
                (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
            })
        else { return nil }
        let secret = String(parts[0])
        guard Self.checksum(for: secret) == parts[1] else { return nil }
        self.init(secret: secret, checksum: String(parts[1]))
    }

    /// Little-endian CRC-32 of `glsa_<secret>`, as lowercase hex.
    static func checksum(for secret: String) -> String {
        let crc = CRC32.checksum((prefix + secret).utf8)
        let bytes = withUnsafeBytes(of: crc.littleEndian) { Array($0) }
        return hex(bytes)
    }

    /// Grafana's stored form: PBKDF2-HMAC-SHA256(secret, salt: checksum, 10,000 rounds, 50 bytes), hex.
    public var hash: String {
        // Grafana's own parameters; below _CryptoExtras' default minimum, hence "unchecked".
        let key = try! KDF.Insecure.PBKDF2.deriveKey(
            from: Array(secret.utf8), salt: Array(checksum.utf8), using: .sha256,
            outputByteCount: 50, unsafeUncheckedRounds: 10_000)
        return key.withUnsafeBytes { hex($0) }
    }

    /// A fast digest of a presented key, used only as an in-memory cache key, so
    /// a token that was checked once is not derived again on every request. Of
    /// any key, valid or not: a cached check is found without parsing the key
    /// first (only a key that parsed is ever cached).
    static func cacheKey(for key: String) -> String {
        var key = key
        return key.withUTF8 { bytes in SHA256.hash(data: bytes).withUnsafeBytes { hex($0) } }
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lowercase hex of `bytes`. (Not `String(format:)`: that costs a formatter per byte,
/// and the cache key is computed on every request.)
func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = hexDigits
    var out: [UInt8] = []
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
