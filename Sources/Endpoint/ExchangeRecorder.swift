import Directory
import Foundation
import GRDB
import Hummingbird
import Logging
import SCIM

/// The outermost middleware: reads the request body once (413 above 1 MiB),
/// turns every error into a JSON answer (SCIM error documents under the SCIM
/// prefix, Grafana's `{"message"}` elsewhere — never text or HTML), and
/// records the exchange, redacted, in the request log.
struct ExchangeRecorder: RouterMiddleware {
    typealias Context = EndpointContext
    let directory: Directory
    let logger: Logger

    func handle(_ request: Request, context: EndpointContext,
                next: (Request, EndpointContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let isSCIM = request.uri.path.hasPrefix(EndpointConfiguration.scimPrefix)
        var request = request
        var response: Response
        do {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > Exchange.maxBodySize {
                throw Self.tooLarge
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: Exchange.maxBodySize)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw Self.tooLarge
            }
            context.exchange.requestBody = Array(buffer.readableBytesView)
            response = try await next(request, context)
        } catch {
            response = errorResponse(error, request: request, isSCIM: isSCIM, context: context)
        }
        let elapsed = ContinuousClock.now - start
        record(request, response: response, duration: elapsed, context: context)
        return response
    }

    static let diskFull = "The console's data directory is out of disk space, so nothing can be written there; "
        + "free space on its disk and retry. What was written before is kept."

    static let damaged = "The console's database is damaged, so this could not be read or written. "
        + "Its administrator should stop the console, then recover it (scim-console recover) or restore the last backup."

    static let tooLarge = SCIMError(status: 413, detail: "The request body is larger than 1 MiB; send fewer operations per request.")

    func errorResponse(_ error: any Error, request: Request, isSCIM: Bool, context: EndpointContext) -> Response {
        var scim: SCIMError
        switch error {
        case let e as SCIMError:
            scim = e
        case let e as TokenRejection:
            scim = SCIMError(status: 401, detail: e.detail,
                             headers: [("WWW-Authenticate", "Bearer realm=\"scim-console\"")])
        case let e as GrafanaAPIError:
            return JSONResponse.json(.init(code: e.status), e.document, context: context)
        case let e as MethodNotAllowed:
            scim = SCIMError(status: 405, detail: "\(e.method) is not allowed on \(request.uri.path); use \(e.allowed.joined(separator: ", ")).",
                             headers: [("Allow", e.allowed.joined(separator: ", "))])
        case let e as HTTPError where e.status == .notFound:
            scim = SCIMError(status: 404, detail: "Nothing is served at \(request.method) \(request.uri.path).")
        case let e as HTTPError:
            scim = SCIMError(status: Int(e.status.code), detail: e.body ?? e.status.reasonPhrase)
        case let e as DatabaseError where e.resultCode == .SQLITE_FULL:
            // Logged once and counted by `DiskSpaceWatch`, not here: one line per refused request
            // would fill what little room is left.
            scim = SCIMError(status: 503, detail: Self.diskFull, headers: [("Retry-After", "30")])
        case let e where StorageErrorText.isDamage(e):
            logger.error("Request failed: \(request.method) \(request.uri.path): the database is damaged")
            scim = SCIMError(status: 500, detail: Self.damaged)
        case let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED:
            scim = SCIMError(status: 503, detail: "The database is busy; retry shortly.", headers: [("Retry-After", "1")])
        default:
            logger.error("Request failed: \(request.method) \(request.uri.path): \(String(describing: error))")
            scim = SCIMError(status: 500, detail: "Internal error: \(type(of: error)). The server log has details.")
        }
        if isSCIM {
            return JSONResponse.scim(.init(code: scim.status), scim.document, headers: scim.headers, context: context)
        }
        return JSONResponse.make(.init(code: scim.status), GrafanaAPIError(status: scim.status, message: scim.detail).document,
                                 contentType: JSONResponse.jsonContentType, headers: scim.headers, context: context)
    }

    func record(_ request: Request, response: Response, duration: Duration, context: EndpointContext) {
        let seconds = duration.seconds
        var headers = ""
        headers.reserveCapacity(512)
        // HTTP/1.1's Host arrives as the request's authority, not among its fields.
        if let authority = request.head.authority { headers = "host: \(authority)" }
        for field in request.headers {
            if !headers.isEmpty { headers += "\n" }
            Redaction.appendHeader(name: field.name.canonicalName, value: field.value, to: &headers)
        }
        var responseHeaders = ""
        for field in response.headers {
            if !responseHeaders.isEmpty { responseHeaders += "\n" }
            Redaction.appendHeader(name: field.name.canonicalName, value: field.value, to: &responseHeaders)
        }
        // The Grafana API returns a new token's key once; it must not be logged. SCIM responses
        // and the stored "before" are this endpoint's own documents, which never hold a password:
        // they are only cut to size, not parsed again (a 5,000-member group is a megabyte); the
        // "before" comes already cut (`Redaction.head`).
        let isAPI = request.uri.path.hasPrefix("/api/")
        let secretKeys: Set<String> = isAPI ? ["password", "key"] : ["password"]
        let responseBody = isAPI ? Array(Redaction.body(context.exchange.responseBody, secretKeys: secretKeys).utf8)
            : Redaction.truncate(context.exchange.responseBody)
        let entry = LoggedRequest(
            time: Date(), method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            status: Int(response.status.code), duration: seconds,
            client: context.remoteAddress?.ipAddress ?? "",
            userAgent: request.headers[.userAgent] ?? "", requestHeaderText: headers,
            requestBody: Redaction.body(context.exchange.requestBody, secretKeys: secretKeys),
            responseBytes: responseBody,
            resourceID: context.exchange.resourceID,
            resourceBefore: context.exchange.resourceBefore,
            responseHeaderText: responseHeaders, upstreamDuration: context.exchange.upstreamDuration)
        // Written in batches off the request path: no answer waits for the log.
        switch directory.requestLog.logSoon(entry) {
        case .queued: break
        case .queuedWithoutBody: warnFellBehind(directory.requestLog.responseBodiesNotKept, "logged without their response bodies")
        case .dropped: warnFellBehind(directory.requestLog.unloggedExchanges, "not logged")
        }
    }

    /// The first, then every thousandth: a writer that fell behind cuts or drops many at once.
    private func warnFellBehind(_ count: Int, _ what: String) {
        guard count == 1 || count % 1_000 == 0 else { return }
        logger.warning("The request log's writer fell behind: \(count) exchanges \(what) so far (provisioning is unaffected).")
    }
}
