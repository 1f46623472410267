/// An RFC 7644 §3.12 error: the HTTP status, an optional `scimType` and a
/// `detail` sentence that Okta shows to its admin, so it says what was wrong.
public struct SCIMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `scimType` keywords of RFC 7644 Table 9.
    public enum Kind: String, Sendable {
        case invalidFilter, tooMany, uniqueness, mutability, invalidSyntax
        case invalidPath, noTarget, invalidValue, invalidVers, sensitive
    }

    public var status: Int
    public var scimType: Kind?
    public var detail: String
    /// Extra response headers, e.g. `WWW-Authenticate` on 401.
    public var headers: [(String, String)] = []

    public init(status: Int, scimType: Kind? = nil, detail: String, headers: [(String, String)] = []) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
        self.headers = headers
    }

    public static func == (a: SCIMError, b: SCIMError) -> Bool {
        a.status == b.status && a.scimType == b.scimType && a.detail == b.detail
    }

    public var description: String {
        "\(status)\(scimType.map { " \($0.rawValue)" } ?? ""): \(detail)"
    }

    /// The error as the JSON document sent on the wire.
    public var document: JSONValue {
        var doc: [String: JSONValue] = [
            "schemas": [.string(SchemaURN.error)],
            "status": .string(String(status)),
            "detail": .string(detail),
        ]
        if let scimType { doc["scimType"] = .string(scimType.rawValue) }
        return .object(doc)
    }

    public static func invalidSyntax(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidSyntax, detail: detail)
    }
    public static func invalidValue(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidValue, detail: detail)
    }
    public static func invalidFilter(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidFilter, detail: detail)
    }
    public static func invalidPath(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidPath, detail: detail)
    }
    public static func noTarget(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .noTarget, detail: detail)
    }
    public static func mutability(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .mutability, detail: detail)
    }
    public static func uniqueness(_ detail: String) -> SCIMError {
        SCIMError(status: 409, scimType: .uniqueness, detail: detail)
    }
    public static func notFound(_ detail: String) -> SCIMError {
        SCIMError(status: 404, detail: detail)
    }
}
