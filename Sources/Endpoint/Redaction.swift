import Directory
import SCIM

/// Removes secrets before anything reaches the request log: the
/// `Authorization` and `Cookie` headers, every `password` value (also inside
/// PatchOp operations whose path is `password`), and, on the Grafana API, the
/// token `key` returned at creation.
enum Redaction {
    static let marker = "[redacted]"
    /// Logged bodies are cut at this many bytes.
    static let bodyLimit = 64 * 1024

    /// Appends the header's logged line (`Name: value`, redacted) to `text`: written in place, since every
    /// header of every request goes through here.
    static func appendHeader(name: String, value: String, to text: inout String) {
        text += name
        text += ": "
        if name.equalsIgnoringCase("authorization") || name.equalsIgnoringCase("proxy-authorization") {
            if let scheme = scheme(of: value) {
                text += scheme
                text += " "
            }
            text += marker
        } else if name.equalsIgnoringCase("cookie") || name.equalsIgnoringCase("set-cookie") {
            text += marker
        } else {
            text += value
        }
    }

    /// The scheme of an `Authorization` value (`Bearer`, `Basic`), kept in the log to
    /// show how the client authenticated; nil unless a blank follows it and it looks
    /// like one (letters, digits, `-`, at most 20), so a bare token sent without a
    /// scheme is never taken for one and kept. On bytes: a split by Character would
    /// walk the token's graphemes on every request.
    static func scheme(of value: String) -> String? {
        let text = value.utf8.drop(while: { $0 == UInt8(ascii: " ") })
        guard let blank = text.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let scheme = text[..<blank]
        guard (1...20).contains(scheme.count), scheme.allSatisfy({ byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "-")
        }) else { return nil }
        return String(Substring(scheme))
    }

    /// A body as it may be stored: JSON with secrets replaced, cut at `bodyLimit`.
    static func body(_ bytes: [UInt8], secretKeys: Set<String> = ["password"]) -> String {
        guard !bytes.isEmpty else { return "" }
        // Most bodies (Okta's users, groups and membership patches) hold nothing to redact;
        // they are stored as sent instead of being parsed and written again.
        if cannotHoldSecret(bytes, secretKeys: secretKeys) {
            return truncate(String(decoding: bytes, as: UTF8.self))
        }
        guard let json = try? JSONCoding.parse(bytes) else {
            let text = String(decoding: bytes, as: UTF8.self)
            let lowered = text.lowercased()
            // Unparseable bodies are kept only when they cannot hold a secret.
            if secretKeys.contains(where: { lowered.contains($0) }) || lowered.contains(ServiceAccountToken.prefix) {
                return "[\(bytes.count) bytes, not JSON; not stored because it may contain a secret]"
            }
            return truncate(text)
        }
        return truncate(JSONCoding.serialize(redact(json, secretKeys: secretKeys)))
    }

    /// True when `bytes` cannot hold anything `body` redacts or refuses: no secret key in
    /// any case and no Grafana token prefix, found by a byte search that only sees what
    /// it can vouch for. So no backslash, which could spell a key with escapes
    /// (`"pass\u0077ord"`), and ASCII only: the full path compares keys `lowercased()`,
    /// which turns some other letters into ASCII ones (the Kelvin sign into "k").
    static func cannotHoldSecret(_ bytes: [UInt8], secretKeys: Set<String>) -> Bool {
        guard bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\\") }) else { return false }
        let needles = secretKeys.map { Array($0.lowercased().utf8) } + [Array(ServiceAccountToken.prefix.utf8)]
        let lowered = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        return !needles.contains { needle in
            guard lowered.count >= needle.count, let first = needle.first else { return false }
            var i = 0
            while i <= lowered.count - needle.count {
                if lowered[i] == first, lowered[i..<i + needle.count].elementsEqual(needle) { return true }
                i += 1
            }
            return false
        }
    }

    static func body(_ text: String, secretKeys: Set<String> = ["password"]) -> String {
        body(Array(text.utf8), secretKeys: secretKeys)
    }

    static func redact(_ value: JSONValue, secretKeys: Set<String>) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.map { redact($0, secretKeys: secretKeys) })
        case .object(var object):
            let pathNamesSecret = object.value(forAttribute: "path")?.stringValue.map { path in
                secretKeys.contains(path.split(separator: ":").last.map { String($0).lowercased() } ?? "")
            } ?? false
            for (key, child) in object {
                if secretKeys.contains(key.lowercased()) || (pathNamesSecret && key.lowercased() == "value") {
                    object[key] = .string(marker)
                } else {
                    object[key] = redact(child, secretKeys: secretKeys)
                }
            }
            return .object(object)
        default:
            return value
        }
    }

    /// `truncate` on bytes: a body within the limit is the same array, not a copy.
    static func truncate(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > bodyLimit else { return bytes }
        return Array(truncate(String(decoding: bytes, as: UTF8.self)).utf8)
    }

    static func truncate(_ text: String) -> String {
        guard text.utf8.count > bodyLimit else { return text }
        let cut = String(decoding: text.utf8.prefix(bodyLimit), as: UTF8.self)
        return cut + "… [truncated: \(text.utf8.count) bytes in all]"
    }

    /// Members enough to fill `bodyLimit`: each is over 100 bytes (two 36-character ids), so
    /// the first 64 KiB of a team read with this many are the first 64 KiB of the whole team.
    static let headMembers = bodyLimit / 64

    /// A resource as the log keeps it, written only as far as the log keeps it:
    /// a 5,000-member team's "before" is a megabyte, of which 64 KiB are stored.
    static func head(of resource: JSONValue) -> String {
        let text = JSONCoding.prefix(resource, limit: bodyLimit)
        guard text.utf8.count > bodyLimit else { return text }
        return String(decoding: text.utf8.prefix(bodyLimit), as: UTF8.self) + "… [truncated at \(bodyLimit) bytes]"
    }
}
