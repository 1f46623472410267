import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Creates a user named `name` over real HTTP, as Okta would, at the SCIM
/// base `url` with `token`; returns the answer's status.
public func createUser(_ name: String, url: String, token: String) async throws -> Int {
    var request = URLRequest(url: URL(string: "\(url)/Users")!)
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/scim+json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(name)"}"#.utf8)
    let (_, response) = try await URLSession.shared.data(for: request)
    return (response as? HTTPURLResponse)?.statusCode ?? 0
}
