import Foundation
import SCIM

extension Directory {
    /// Sets a user's `active` by hand (from the console or the command line)
    /// and logs the change as the SCIM PATCH it amounts to, marked as the
    /// console's own (`LoggedRequest.isByConsole`), so the request log is a
    /// timeline of every change to provisioned state, Okta's and the
    /// operator's. `scimBasePath` is the namespace's SCIM path; `origin`
    /// says where the hand was (`console`, `command line`). Logged at once:
    /// the command line exits right after.
    @discardableResult
    public func setActiveByHand(_ active: Bool, userID: String, scimBasePath: String, origin: String) throws -> StoredUser {
        let start = Date()
        let before = try user(id: userID)
        let after = try setActive(active, userID: userID, actor: .operator)
        let patch: JSONValue = [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [["op": "replace", "path": "active", "value": .bool(active)]],
        ]
        let entry = LoggedRequest(
            time: start, method: "PATCH", path: "\(scimBasePath)/Users/\(userID)", query: "", status: 200,
            duration: Date().timeIntervalSince(start), client: "local",
            userAgent: "\(LoggedRequest.consoleUserAgentPrefix) (\(origin), by hand)", requestHeaderText: "",
            requestBody: JSONCoding.serialize(patch),
            responseBytes: Array(JSONCoding.serialize(after.representation(baseURL: scimBasePath)).utf8),
            resourceID: userID, resourceBefore: before.map { JSONCoding.serialize($0.representation(baseURL: scimBasePath)) })
        // The change is made; a log that cannot take its entry does not undo it.
        _ = try? requestLog.log(entry)
        return after
    }
}
