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

extension Mirror {
    /// A user as Grafana answered a look-up.
    public struct FoundUser: Sendable, Equatable {
        public var id: String
        public var userName: String
        public var active: Bool
    }

    /// Asks Grafana for the user with this userName (any case), else this
    /// id; the answer is applied to the mirror. nil when Grafana has neither;
    /// a failure is one sentence.
    public func lookUp(user name: String) async -> Result<FoundUser?, MirrorFailure> {
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let filter = "userName eq \"\(quoted)\"".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let users = "\(scimBase)\(MirroredCollection.users.endpoint)"
        do {
            let byName = try await exchange(.GET, url: "\(users)?filter=\(filter)", body: nil, purpose: "look-up", logAlways: false)
            guard byName.status == 200 else {
                return .failure(MirrorFailure.answer(byName, request: "GET …/Users?filter=…", path: Self.path(of: users)))
            }
            await apply(method: "GET", path: Self.path(of: users), status: 200, body: byName.body)
            if let json = byName.json?[attribute: "Resources"]?.arrayValue?.first, let user = Self.found(json) { return .success(user) }
            let escaped = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name
            let byID = try await exchange(.GET, url: "\(users)/\(escaped)", body: nil, purpose: "look-up", logAlways: false)
            guard byID.status == 200, let json = byID.json else { return .success(nil) }
            await apply(method: "GET", path: Self.path(of: "\(users)/\(escaped)"), status: 200, body: byID.body)
            return .success(Self.found(json))
        } catch let failure as MirrorFailure {
            return .failure(failure)
        } catch {
            return .failure(MirrorFailure(sentence: "\(error)"))
        }
    }

    static func found(_ json: JSONValue) -> FoundUser? {
        guard let id = json[attribute: "id"]?.stringValue, let userName = json[attribute: "userName"]?.stringValue else { return nil }
        return FoundUser(id: id, userName: userName, active: json[attribute: "active"]?.boolValue ?? true)
    }
}
