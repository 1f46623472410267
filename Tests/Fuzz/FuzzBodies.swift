import Foundation
#if !FUZZING
import SCIM
#endif

/// What each fuzz target does with one input. Shared by the libFuzzer
/// binaries (`Tests/Fuzz/run.sh`) and the regression tests, so a crash found
/// by fuzzing is replayed by `swift test` forever after.
enum FuzzBodies {
    static let sampleUser: JSONValue = [
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u1", "userName": "zoë@example.com",
        "externalId": "00u1", "active": true, "name": ["givenName": "Zoë", "familyName": "Müller"],
        "emails": [["value": "zoe@example.com", "type": "work", "primary": true]],
        "meta": ["created": "2026-01-01T00:00:00Z", "lastModified": "2026-01-02T00:00:00Z", "resourceType": "User"],
    ]
    static let sampleGroup: JSONValue = [
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Engineering",
        "members": [["value": "u1", "display": "zoë@example.com"]],
    ]

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The filter parser, then evaluation of what it parsed against a user and a group.
    static func filter(_ bytes: [UInt8]) {
        guard let filter = try? Filter.parse(text(bytes)) else { return }
        _ = filter.matches(sampleUser, type: .user)
        _ = filter.matches(sampleGroup, type: .group)
    }

    /// The PATCH path parser, then the path applied as a `remove` to a user.
    static func patchPath(_ bytes: [UInt8]) {
        guard let path = try? PatchPath.parse(text(bytes)) else { return }
        var doc = sampleUser.objectValue!
        try? PatchApplier(type: .user).apply(PatchOperation(op: .remove, path: path), to: &doc)
    }

    /// JSON decoding and normalizing of a User.
    static func user(_ bytes: [UInt8]) {
        guard let json = try? JSONCoding.parse(bytes) else { return }
        let normalizer = ResourceNormalizer(type: .user)
        guard let doc = try? normalizer.document(from: json) else { return }
        try? normalizer.checkRequired(doc)
        _ = JSONCoding.serialize(.object(doc))
    }

    /// JSON decoding and normalizing of a Group.
    static func group(_ bytes: [UInt8]) {
        guard let json = try? JSONCoding.parse(bytes) else { return }
        let normalizer = ResourceNormalizer(type: .group)
        guard let doc = try? normalizer.document(from: json) else { return }
        try? normalizer.checkRequired(doc)
        _ = JSONCoding.serialize(.object(doc))
    }

    /// JSON decoding of a PatchOp, applied to a user and to a group.
    static func patchOp(_ bytes: [UInt8]) {
        guard let json = try? JSONCoding.parse(bytes), let request = try? PatchRequest(json: json) else { return }
        var user = sampleUser.objectValue!
        try? PatchApplier(type: .user).apply(request, to: &user)
        var group = sampleGroup.objectValue!
        try? PatchApplier(type: .group).apply(request, to: &group)
    }

    /// The JSON parser against a strict judge: it accepts exactly what
    /// RFC 8259's grammar accepts (`StrictJSON`; Foundation tolerates a
    /// trailing comma, which Grafana refuses, so it cannot judge), an
    /// accepted document is the tree `JSONDecoder` builds where `JSONDecoder`
    /// reads it too (it refuses some valid numbers, `0e9`), and what the
    /// serializer writes parses back to it. A disagreement is a crash, for
    /// libFuzzer to keep.
    static func json(_ bytes: [UInt8]) {
        let ours = try? JSONCoding.parse(bytes)
        if let ours { precondition((try? JSONCoding.parse(JSONCoding.data(ours))) == ours, "serializer round trip") }
        precondition((ours != nil) == StrictJSON.accepts(bytes), "JSONParser and RFC 8259 disagree on acceptance")
        // Foundation also reads UTF-16 and UTF-32 (told by a BOM or by zero bytes), which SCIM never sends.
        if bytes.prefix(4).contains(0) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) { return }
        if let ours, let theirs = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) {
            precondition(ours == theirs, "JSONParser and JSONDecoder disagree")
        }
    }

    static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "filter": filter, "patchpath": patchPath, "user": user, "group": group, "patchop": patchOp, "json": json,
    ]
}
