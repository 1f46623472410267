import Hummingbird

/// Registers one handler per method on a path, and a 405 (with `Allow`) for
/// the other methods, so a wrong method is not mistaken for a missing route.
struct RouteTable {
    typealias Handler = @Sendable (Request, EndpointContext) async throws -> Response
    let router: Router<EndpointContext>

    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    func route(_ path: RouterPath, _ handlers: [HTTPRequest.Method: Handler]) {
        let allowed = Self.methods.filter { handlers[$0] != nil }.map(\.rawValue)
        for method in Self.methods {
            if let handler = handlers[method] {
                router.on(path, method: method, use: handler)
            } else {
                router.on(path, method: method) { request, _ -> Response in
                    throw MethodNotAllowed(method: request.method.rawValue, allowed: allowed)
                }
            }
        }
    }
}
