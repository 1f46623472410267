import HTTPTypes
import Hummingbird
import SCIM

/// Builds JSON responses and notes their bodies for the request log.
enum JSONResponse {
    static let scimContentType = "application/scim+json; charset=utf-8"
    static let jsonContentType = "application/json; charset=utf-8"

    static func make(_ status: HTTPResponse.Status, _ body: JSONValue?, contentType: String = scimContentType,
                     headers extra: [(String, String)] = [], context: EndpointContext) -> Response {
        var headers = HTTPFields()
        for (name, value) in extra {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        guard let body else {
            context.exchange.responseBody = []
            return Response(status: status, headers: headers)
        }
        return make(status, text: JSONCoding.data(body), contentType: contentType, headers: headers, context: context)
    }

    /// A response whose JSON text is already written.
    static func make(_ status: HTTPResponse.Status, text bytes: [UInt8], contentType: String = scimContentType,
                     headers: HTTPFields = HTTPFields(), context: EndpointContext) -> Response {
        var headers = headers
        context.exchange.responseBody = bytes  // shared with the log, not copied
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func scim(_ status: HTTPResponse.Status, _ body: JSONValue?, headers: [(String, String)] = [],
                     context: EndpointContext) -> Response {
        make(status, body, contentType: scimContentType, headers: headers, context: context)
    }

    static func json(_ status: HTTPResponse.Status, _ body: JSONValue?, context: EndpointContext) -> Response {
        make(status, body, contentType: jsonContentType, context: context)
    }
}

/// A Grafana HTTP API error: `{"message": …}`, as Grafana answers.
struct GrafanaAPIError: Error {
    var status: Int
    var message: String
    var messageID: String?

    var document: JSONValue {
        var doc: [String: JSONValue] = ["message": .string(message)]
        if let messageID { doc["messageId"] = .string(messageID) }
        return .object(doc)
    }
}

/// 405, with the methods the route does allow.
struct MethodNotAllowed: Error {
    var method: String
    var allowed: [String]
}
