import Foundation
import SCIM
import Testing

/// Writing a stored document's text into a representation without parsing
/// it must give the bytes the parsed path gives, for every kind of document.
@Suite("Document text spliced into representations")
struct DocumentTextTests {
    static let meta = Meta(resourceType: "User", created: Date(timeIntervalSince1970: 1_700_000_000),
                           lastModified: Date(timeIntervalSince1970: 1_700_000_123.456), version: 7)
    static let base = "http://localhost:3000/apis/scim.grafana.app/v0alpha1/namespaces/stacks-1"
    static let groups: JSONValue = [["value": "g1", "display": "Ops \"on call\"", "$ref": .string("\(base)/Groups/g1"), "type": "direct"]]

    static let documents: [JSONValue] = [
        [:],
        ["userName": "ada@example.com"],
        ["userName": "ada@example.com", "externalId": "00u1", "displayName": "Ada Lovelace", "active": false,
         "name": ["givenName": "Ada", "familyName": "Lovelace", "formatted": "Ada \\ \"L\"\n"],
         "emails": [["value": "ada@example.com", "type": "work", "primary": true], ["value": "a@x.org"]],
         "locale": "fr-FR", "title": "Zoë 😀 \u{2028}", "nickName": "",
         "phoneNumbers": [["value": "+1 555", "type": "mobile"]], "score": 1.5, "age": 36, "nothing": nil],
        ["userName": "bob", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
            ["employeeNumber": "42", "manager": ["value": "m1"], "department": "R&D {x}"]],
        ["userName": "carol", "urn:okta:custom:1.0:user": ["badge": "7", "tags": ["a,b", "c]"]],
         "urn:okta:plain:attribute": "not an object", "zeta": [[], [:], [[1]]]],
        // Keys a client could send that the representation replaces or adds.
        ["userName": "dave", "groups": ["stale"], "schemas": ["x"], "id": "client-id", "meta": ["x": 1]],
    ]

    @Test(arguments: documents.indices)
    func splicedTextEqualsTheParsedRepresentation(_ index: Int) throws {
        guard case .object(let document) = Self.documents[index] else { Issue.record("not an object"); return }
        let stored = JSONCoding.serialize(.object(document))
        let text = try #require(DocumentText(stored))
        for extra in [[:], ["groups": Self.groups]] as [[String: JSONValue]] {
            var full = document
            for (key, value) in extra { full[key] = value }
            let expected = JSONCoding.data(ResourceType.user.representation(id: "u-1", document: full, meta: Self.meta,
                                                                                baseURL: Self.base))
            var out: [UInt8] = Array("prefix".utf8)
            ResourceType.user.writeRepresentation(id: "u-1", text: text, extra: extra, meta: Self.meta, baseURL: Self.base,
                                                  into: &out)
            #expect(String(decoding: out, as: UTF8.self) == "prefix" + String(decoding: expected, as: UTF8.self))
        }
    }

    /// A representation written once with the user and completed at the read
    /// (base URL, `groups`) is the representation written whole.
    @Test(arguments: documents.indices)
    func templateCompletedAtTheReadEqualsTheParsedRepresentation(_ index: Int) throws {
        guard case .object(let document) = Self.documents[index] else { Issue.record("not an object"); return }
        let text = try #require(DocumentText(JSONCoding.serialize(.object(document))))
        guard let template = ResourceType.user.template(id: "u-1", text: text, meta: Self.meta) else {
            // Only a document with its own `groups` has none: the served `groups` must replace it.
            #expect(document["groups"] != nil)
            return
        }
        // A base URL whose text needs escaping, too: a Host is the client's to name.
        for base in [Self.base, "http://h\u{2028}\"x\"/a\\b"] {
            for withGroups in [false, true] {
                var full = document
                if withGroups { full["groups"] = Self.groups }
                let expected = JSONCoding.data(ResourceType.user.representation(id: "u-1", document: full, meta: Self.meta,
                                                                                    baseURL: base))
                var out: [UInt8] = Array("prefix".utf8)
                template.write(baseURL: EscapedText(base), groupsText: withGroups ? JSONCoding.data(Self.groups) : [], into: &out)
                #expect(String(decoding: out, as: UTF8.self) == "prefix" + String(decoding: expected, as: UTF8.self))
            }
        }
    }

    /// Offsets that do not fit the bytes (a damaged row) give no template.
    @Test func refusesOffsetsOutsideTheBytes() {
        let bytes = Array(#"{"id":"x","meta":{"location":"/Users/x"}}"#.utf8)
        #expect(RepresentationTemplate(bytes: bytes, baseURLAt: 30, groupsAt: 9) != nil)
        #expect(RepresentationTemplate(bytes: bytes, baseURLAt: bytes.count, groupsAt: 9) == nil)
        #expect(RepresentationTemplate(bytes: bytes, baseURLAt: 30, groupsAt: -1) == nil)
        #expect(RepresentationTemplate(bytes: bytes, baseURLAt: 9, groupsAt: 9) == nil)
    }

    /// Text this path cannot vouch for is refused, so the caller parses it.
    @Test(arguments: [
        "", "{", "[]", "\"x\"", "{ \"a\":1}", "{\"a\": 1}", #"{"a\"b":1}"#, #"{"é":1}"#, #"{"a":1,}"#, #"{"a":}"#,
        #"{"a":[1}"#, #"{"a":1}x"#, #"{"a":"}"#, #"{"a"}"#,
    ])
    func refusesTextItCannotVouchFor(_ text: String) {
        #expect(DocumentText(text) == nil)
    }

    @Test func acceptsWhatTheWriterWrites() throws {
        #expect(DocumentText("{}") != nil)
        #expect(DocumentText(#"{"a":"x\"}y,","b":{"c":[1,{"d":"]"}]},"e":null}"#) != nil)
    }

    /// A page written resource by resource is the page written as one value.
    @Test(arguments: [0, 1, 3])
    func listPageTextEqualsTheDocument(_ count: Int) {
        let resources: [JSONValue] = (0..<count).map { ["id": .string("u\($0)"), "userName": .string("n\($0)")] }
        let expected = JSONCoding.data(ListResponse(resources: resources, totalResults: 1234, startIndex: 90001).document)
        let text = ListResponse.data(count: count, totalResults: 1234, startIndex: 90001) { i, out in
            JSONCoding.write(resources[i], into: &out)
        }
        #expect(String(decoding: text, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
