import Directory
import Foundation
import SCIM
import Setup

/// What the console does to a mirrored Grafana's users: the same SCIM PATCH
/// Okta sends, to Grafana itself.
extension Mirror {
    /// How an action on Grafana ended, as the status line says it.
    public struct Outcome: Sendable, Equatable {
        public var succeeded: Bool
        public var sentence: String
    }

    /// Sets a user's `active` on Grafana with
    /// `PATCH {"op":"replace","path":"active","value":…}`. The mirror changes
    /// only from Grafana's answer; Grafana's refusal is said as Grafana put
    /// it. The exchange is logged as the console's own (`origin`: who asked).
    public func setActive(_ active: Bool, userID: String, userName: String, origin: String = "console") async -> Outcome {
        let verb = active ? "reactivate" : "deactivate"
        let url = "\(scimBase)/Users/\(userID)"
        let patch: JSONValue = [
            "schemas": [.string(SchemaURN.patchOp)],
            "Operations": [["op": "replace", "path": "active", "value": .bool(active)]],
        ]
        let before = await blocking { [store, scimBase] in
            (try? store.user(id: userID)).flatMap { $0 }.map { JSONCoding.serialize($0.representation(baseURL: scimBase)) }
        }
        let answer: GrafanaClient.Answer
        do {
            answer = try await exchange(.PATCH, url: url, body: JSONCoding.data(patch), purpose: "\(origin), by hand",
                                        logAlways: true, resourceID: userID, before: before)
        } catch let failure as MirrorFailure {
            return Outcome(succeeded: false, sentence: "Could not \(verb) \(userName) in \(name): \(failure.sentence)")
        } catch {
            return Outcome(succeeded: false, sentence: "Could not \(verb) \(userName) in \(name): \(error)")
        }
        await apply(method: "PATCH", path: Self.path(of: url), status: answer.status, body: answer.body)
        guard (200..<300).contains(answer.status) else {
            return Outcome(succeeded: false, sentence: "Grafana at \(target.host) refused to \(verb) \(userName): \(answer.status) \(answer.message)")
        }
        let done = active ? "Reactivated" : "Deactivated"
        return Outcome(succeeded: true, sentence: "\(done) \(userName) in \(name): Grafana answered \(answer.status).")
    }
}
