#if !FUZZING  // the fuzz targets compile SCIM and JSONTokens as one module (Tests/Fuzz/run.sh)
import JSONTokens
#endif

/// A stored document's JSON text with its top-level members found but their
/// values not parsed: what a list page needs to write a resource without
/// turning its text into a `JSONValue` and back.
///
/// A page of 100 users spent most of its time parsing each stored document
/// into dictionaries, adding `schemas`, `id` and `meta`, and writing it out
/// again with its keys ranked. A document stored by `JSONCoding` is already
/// written that way; only the top level has members to add, so only the top
/// level is looked at, and each value's bytes are copied as they are.
///
/// `init` answers nil for text it cannot vouch for (whitespace, an escaped
/// or non-ASCII key, anything not an object): the caller then parses.
public struct DocumentText: Sendable {
    public let bytes: [UInt8]
    /// Top-level members in text order: the key and where its value's bytes are.
    let members: [(key: String, value: Range<Int>)]

    public init?(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    public init?(bytes: [UInt8]) {
        guard let members = bytes.withUnsafeBufferPointer(Self.scan) else { return nil }
        self.bytes = bytes
        self.members = members
    }

    /// The top-level members of compact JSON (as `JSONCoding` writes it), or nil:
    /// keys read with the lexer, each value skipped whole (`skipCompactValue`),
    /// nothing between them (no whitespace).
    static func scan(_ b: UnsafeBufferPointer<UInt8>) -> [(key: String, value: Range<Int>)]? {
        var lexer = JSONLexer(b)
        var members: [(key: String, value: Range<Int>)] = []
        /// The next token, or nil for whitespace before it or text that is not JSON.
        func next() -> JSONLexer.Token? {
            let end = lexer.index
            guard let token = try? lexer.next(), lexer.tokenStart == end else { return nil }
            return token
        }
        guard next() == .beginObject else { return nil }
        let first = next()
        if first == .endObject { return lexer.index == b.count ? members : nil }
        var token = first
        while true {
            // A key: plain ASCII, no escapes, so its bytes are its characters.
            guard case .string(let keyRange, escaped: false)? = token,
                  !b[keyRange].contains(where: { $0 >= 0x80 }), next() == .colon else { return nil }
            let key = String(decoding: UnsafeBufferPointer(rebasing: b[(keyRange.lowerBound + 1)..<(keyRange.upperBound - 1)]),
                             as: UTF8.self)
            // The value, as the text has it (this package wrote it): skipped, not checked.
            guard let value = lexer.skipCompactValue() else { return nil }
            let valueEnd = value.upperBound
            members.append((key, value))
            if b[valueEnd] == UInt8(ascii: "}") { return valueEnd == b.count - 1 ? members : nil }
            lexer.index = valueEnd + 1
            token = next()
        }
    }

    func isObject(_ range: Range<Int>) -> Bool { bytes[range.lowerBound] == UInt8(ascii: "{") }
}

extension ResourceType {
    /// Writes what `JSONCoding.data(representation(id:document:meta:baseURL:))`
    /// writes for the document `text` with `extra` set on it (a user's
    /// `groups`), byte for byte, without parsing the text's values.
    ///
    /// Returns where in `out` the text of `baseURL` begins (inside
    /// `meta.location`) and where a `groups` member would go if `extra` has
    /// none: just after the member that sorts before it. A
    /// `RepresentationTemplate` is this text written with no base URL.
    @discardableResult
    public func writeRepresentation(id: String, text: DocumentText, extra: [String: JSONValue] = [:], meta: Meta,
                                    baseURL: String, into out: inout [UInt8]) -> (baseURLAt: Int, groupsAt: Int) {
        // The document's own members, less those `extra` sets over; then `extra`'s.
        let keys = text.members.map(\.key).filter { extra.isEmpty || extra[$0] == nil } + extra.keys
        let schemas = schemaURNs(keys: keys) { key in
            if let value = extra[key] {
                if case .object = value { return true }
                return false
            }
            return text.members.first { $0.key == key }.map { text.isObject($0.value) } ?? false
        }

        enum Value { case stored(Range<Int>), made(JSONValue), id, meta, coreSchemas }
        var members: [(rank: Int, key: String, value: Value)] = []
        members.reserveCapacity(text.members.count + extra.count + 3)
        /// Members `representation` sets over the document's own.
        func isReplaced(_ key: String) -> Bool { key == "schemas" || key == "id" || key == "meta" }
        for member in text.members where !isReplaced(member.key) && (extra.isEmpty || extra[member.key] == nil) {
            members.append((JSONCoding.rank(of: member.key), member.key, .stored(member.value)))
        }
        for (key, value) in extra where !isReplaced(key) {
            members.append((JSONCoding.rank(of: key), key, .made(value)))
        }
        members.append((JSONCoding.rank(of: "schemas"), "schemas",
                        schemas.count == 1 ? .coreSchemas : .made(.array(schemas.map(JSONValue.string)))))
        members.append((JSONCoding.rank(of: "id"), "id", .id))
        members.append((JSONCoding.rank(of: "meta"), "meta", .meta))
        members.sort { a, b in a.rank != b.rank ? a.rank < b.rank : a.key < b.key }

        let groupsRank = JSONCoding.rank(of: "groups")
        var groupsAt: Int? = nil
        var baseURLAt = 0
        out.append(UInt8(ascii: "{"))
        for (i, member) in members.enumerated() {
            if groupsAt == nil, member.rank > groupsRank || (member.rank == groupsRank && member.key >= "groups") {
                groupsAt = out.count
            }
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONCoding.writeString(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            switch member.value {
            case .stored(let range): out.append(contentsOf: text.bytes[range])
            case .made(let value): JSONCoding.write(value, into: &out)
            case .coreSchemas:
                // Most resources name their core schema alone: no array value built for it.
                out.append(UInt8(ascii: "["))
                JSONCoding.writeString(schema.id, into: &out)
                out.append(UInt8(ascii: "]"))
            case .id: JSONCoding.writeString(id, into: &out)
            case .meta:
                baseURLAt = meta.write(location: "\(baseURL)\(endpoint)/\(id)", into: &out)
            }
        }
        let end = out.count
        out.append(UInt8(ascii: "}"))
        return (baseURLAt, groupsAt ?? end)
    }
}
