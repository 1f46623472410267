/// A resource's representation written once, when the resource is written,
/// less the two parts only a read can supply: the base URL that begins
/// `meta.location` (it comes from the request's Host) and a user's `groups`
/// (they change when its teams do, with no change to the user).
///
/// A list page of 100 users spent most of its time writing each user:
/// finding the stored document's members, ranking and sorting them, adding
/// `schemas`, `id` and `meta`, formatting two dates. Users are read far more
/// often than written (Okta pages through all of them on every import), so
/// that work is done at the write and a read copies bytes, with two cuts.
public struct RepresentationTemplate: Sendable, Equatable {
    /// The representation with an empty base URL and no `groups`.
    public let bytes: [UInt8]
    /// Where the base URL's text goes: just inside `meta.location`'s opening quote.
    public let baseURLAt: Int
    /// Where `,"groups":[…]` goes: just after the member that sorts before `groups`.
    public let groupsAt: Int

    /// A template read back from storage; nil when the offsets do not fit the
    /// bytes (the caller then writes the representation from the document).
    public init?(bytes: [UInt8], baseURLAt: Int, groupsAt: Int) {
        guard Self.fits(count: bytes.count, baseURLAt: baseURLAt, groupsAt: groupsAt) else { return nil }
        self.bytes = bytes
        self.baseURLAt = baseURLAt
        self.groupsAt = groupsAt
    }

    /// Appends the representation served under `baseURL` with `groupsText`,
    /// the JSON text of its `groups` array (empty: no `groups` member): the
    /// bytes `writeRepresentation(id:text:extra:meta:baseURL:into:)` writes
    /// with those `groups` in `extra`.
    public func write(baseURL: EscapedText, groupsText: [UInt8] = [], into out: inout [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { b in
            Self.write(b, baseURLAt: baseURLAt, groupsAt: groupsAt, baseURL: baseURL, groupsText: groupsText, into: &out)
        }
    }

    /// Appends the representation a template's bytes hold, wherever they are
    /// (a list page writes straight from SQLite's buffer), with `groupsText`,
    /// the JSON text of the `groups` array (empty: no `groups` member). False,
    /// with nothing written, when the offsets do not fit the bytes.
    public static func write(_ b: UnsafeBufferPointer<UInt8>, baseURLAt: Int, groupsAt: Int, baseURL: EscapedText,
                             groupsText: [UInt8], into out: inout [UInt8]) -> Bool {
        guard fits(count: b.count, baseURLAt: baseURLAt, groupsAt: groupsAt) else { return false }
        func copy(_ range: Range<Int>) { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[range])) }
        func insertGroups() {
            guard !groupsText.isEmpty else { return }
            out.append(contentsOf: #","groups":"#.utf8)
            out.append(contentsOf: groupsText)
        }
        func insertBaseURL() { out.append(contentsOf: baseURL.bytes) }
        var from = 0
        func cut(at: Int, _ insert: () -> Void) {
            copy(from..<at)
            insert()
            from = at
        }
        if baseURLAt < groupsAt {
            cut(at: baseURLAt, insertBaseURL)
            cut(at: groupsAt, insertGroups)
        } else {
            cut(at: groupsAt, insertGroups)
            cut(at: baseURLAt, insertBaseURL)
        }
        copy(from..<b.count)
        return true
    }

    static func fits(count: Int, baseURLAt: Int, groupsAt: Int) -> Bool {
        baseURLAt > 0 && baseURLAt < count && groupsAt > 0 && groupsAt < count && baseURLAt != groupsAt
    }
}

/// A string's text as it appears inside a JSON string, without the quotes:
/// written once per page rather than once per resource.
public struct EscapedText: Sendable {
    public let bytes: [UInt8]

    public init(_ string: String) {
        var text: [UInt8] = []
        JSONCoding.writeStringContents(string, into: &text)
        bytes = text
    }
}

extension ResourceType {
    /// The template of a stored document's representation; nil when the
    /// document itself has a `groups` member (the served `groups` replaces it
    /// whenever the user is in a team, which a template cannot do).
    public func template(id: String, text: DocumentText, meta: Meta) -> RepresentationTemplate? {
        guard !text.members.contains(where: { $0.key == "groups" }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.bytes.count + 256)
        let at = writeRepresentation(id: id, text: text, meta: meta, baseURL: "", into: &out)
        return RepresentationTemplate(bytes: out, baseURLAt: at.baseURLAt, groupsAt: at.groupsAt)
    }
}
