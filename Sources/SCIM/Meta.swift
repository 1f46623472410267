import Foundation

/// A resource's `meta` (RFC 7643 §3.1).
public struct Meta: Sendable, Equatable {
    public var resourceType: String
    public var created: Date
    public var lastModified: Date
    /// Bumped on every change; written as a weak ETag (`W/"3"`).
    public var version: Int

    public init(resourceType: String, created: Date, lastModified: Date, version: Int) {
        self.resourceType = resourceType
        self.created = created
        self.lastModified = lastModified
        self.version = version
    }

    public var etag: String { "W/\"\(version)\"" }

    /// Appends the text of `document(location:)` without building it: a list
    /// page writes a hundred of these. Members in `JSONCoding`'s order (all
    /// unranked, so alphabetical). Returns where the location's text begins in `out`.
    @discardableResult
    func write(location: String, into out: inout [UInt8]) -> Int {
        // Dates need no escaping: digits and punctuation.
        out.append(contentsOf: #"{"created":""#.utf8)
        SCIMDate.write(created, into: &out)
        out.append(contentsOf: #"","lastModified":""#.utf8)
        SCIMDate.write(lastModified, into: &out)
        out.append(contentsOf: #"","location":"#.utf8)
        let locationAt = out.count + 1  // past the opening quote
        JSONCoding.writeString(location, into: &out)
        out.append(contentsOf: #","resourceType":"#.utf8)
        JSONCoding.writeString(resourceType, into: &out)
        out.append(contentsOf: #","version":"#.utf8)
        JSONCoding.writeString(etag, into: &out)
        out.append(UInt8(ascii: "}"))
        return locationAt
    }

    public func document(location: String) -> JSONValue {
        [
            "resourceType": .string(resourceType),
            "created": .string(SCIMDate.format(created)),
            "lastModified": .string(SCIMDate.format(lastModified)),
            "location": .string(location),
            "version": .string(etag),
        ]
    }
}

extension ResourceType {
    /// The full representation of a stored document: `schemas`, `id` and
    /// `meta` added to what the client sent (normalized).
    public func representation(id: String, document: [String: JSONValue], meta: Meta, baseURL: String) -> JSONValue {
        var out = document
        let urns = schemaURNs(keys: Array(document.keys)) { key in
            if case .object = document[key] { return true }
            return false
        }
        out["schemas"] = .array(urns.map(JSONValue.string))
        out["id"] = .string(id)
        out["meta"] = meta.document(location: "\(baseURL)\(endpoint)/\(id)")
        return .object(out)
    }

    /// A representation's `schemas` for a document with these top-level keys:
    /// the core schema, the extensions present, then any other URN-named
    /// object (Okta's custom schemas) in key order.
    func schemaURNs(keys: [String], isObject: (String) -> Bool) -> [String] {
        var urns = [schema.id]
        for ext in extensions where keys.contains(ext.id) { urns.append(ext.id) }
        let others = keys.filter { $0.hasPrefix("urn:") && extensionSchema(urn: $0) == nil && isObject($0) }
        return urns + others.sorted()
    }
}
