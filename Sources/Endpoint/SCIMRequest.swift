import HTTPTypes
import Hummingbird
import SCIM

/// Reading what a SCIM request carries: its JSON body, its query, the base URL
/// that `meta.location` is built on.
struct SCIMRequest {
    let request: Request
    let context: EndpointContext
    let configuration: EndpointConfiguration

    var parameters: [String: String] { QueryParameters.parse(request.uri.query) }

    /// The request body as JSON. Bodies are JSON under `application/scim+json`
    /// or `application/json` (or no type at all); other types get 415.
    func body() throws -> JSONValue {
        if let type = request.headers[.contentType]?.lowercased() {
            let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard media == "application/scim+json" || media == "application/json" || media.hasSuffix("+json") else {
                throw SCIMError(status: 415, detail: "Content-Type \(media) is not JSON; send Content-Type: application/scim+json.")
            }
        }
        let bytes = context.exchange.requestBody
        guard !bytes.isEmpty else { throw SCIMError.invalidSyntax("The request needs a JSON body.") }
        return try JSONCoding.parse(bytes)
    }

    /// `{scheme}://{host}{base path}`, honouring a reverse proxy's or tunnel's
    /// `X-Forwarded-Proto`/`X-Forwarded-Host`, since Okta reaches us through one.
    var baseURL: String {
        // Concatenated, not interpolated, and the proxy's list split only when it is one:
        // this is on every SCIM answer.
        var proto = request.headers[Self.forwardedProto] ?? "http"
        if proto.utf8.contains(UInt8(ascii: ",")) { proto = proto.split(separator: ",").first.map(String.init) ?? proto }
        let host = request.headers[Self.forwardedHost] ?? request.head.authority ?? "localhost"
        return proto + "://" + host + EndpointConfiguration.scimPrefix + "/" + (context.parameters.get("namespace") ?? "default")
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!

    func projection() throws -> AttributeProjection {
        try AttributeProjection(parameters: parameters)
    }

    func id() -> String { context.parameters.get("id") ?? "" }
}

extension ListQuery {
    /// The parameters of a `POST …/.search` body (RFC 7644 §3.4.3), as query parameters.
    static func searchParameters(_ body: JSONValue) throws -> [String: String] {
        guard case .object(let o) = body else {
            throw SCIMError.invalidSyntax("A search request must be a JSON object.")
        }
        var parameters: [String: String] = [:]
        for (key, value) in o where !key.equalsIgnoringCase("schemas") {
            switch value {
            case .string(let s): parameters[key] = s
            case .number(let n): parameters[key] = String(Int(n))
            case .array(let items): parameters[key] = items.compactMap(\.stringValue).joined(separator: ",")
            default: break
            }
        }
        return parameters
    }
}
