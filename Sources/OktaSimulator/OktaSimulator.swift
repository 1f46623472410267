import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SCIM

/// Sends the traffic Okta's SCIM client would, as Okta's SCIM documentation
/// and its own conformance suites describe it: the connector test, lookups before creates, creates,
/// profile updates, group pushes with membership changes, deactivations and
/// reactivations, with Okta's headers. Every answer is checked against what
/// Okta expects; the report lists the ones that were not.
public final class OktaSimulator: Sendable {
    public enum Flavour: String, Sendable, CaseIterable {
        /// Catalog (OIN) apps: PATCH for activation and groups.
        case patch
        /// Custom (AIW) apps: GET then PUT for everything.
        case put
    }

    public struct Plan: Sendable {
        public var users: Int
        public var groups: Int
        /// Requests per second at most; 0 sends as fast as answers come.
        public var rate: Double
        public var flavour: Flavour

        public init(users: Int = 10, groups: Int = 3, rate: Double = 5, flavour: Flavour = .patch) {
            self.users = users
            self.groups = groups
            self.rate = rate
            self.flavour = flavour
        }
    }

    public struct Report: Sendable {
        public var sent = 0
        public var statuses: [Int: Int] = [:]
        public var unexpected: [String] = []
        public var userIDs: [String] = []
        public var groupIDs: [String] = []
        public var deactivated: [String] = []

        public var summary: String {
            let codes = statuses.keys.sorted().map { "\(statuses[$0]!)×\($0)" }.joined(separator: ", ")
            return "Sent \(sent) requests (\(codes)); \(unexpected.count) answer\(unexpected.count == 1 ? "" : "s") not as Okta expects."
        }
    }

    let baseURL: String
    let token: String
    let plan: Plan
    let say: @Sendable (String) -> Void
    let client: HTTPClient
    /// Distinguishes this run's names from earlier runs on the same endpoint.
    let run: String

    public init(baseURL: String, token: String, plan: Plan, client: HTTPClient = .shared,
                say: @escaping @Sendable (String) -> Void) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.plan = plan
        self.client = client
        self.say = say
        self.run = String(UInt32.random(in: 0..<46656 * 36), radix: 36)
    }

    struct Answer {
        var status: Int
        var json: JSONValue?
    }

    actor Tally {
        var report = Report()
        func record(_ status: Int) {
            report.sent += 1
            report.statuses[status, default: 0] += 1
        }
        func unexpected(_ text: String) { report.unexpected.append(text) }
        func update(_ body: (inout Report) -> Void) { body(&report) }
    }

    /// Runs the whole plan and returns what happened.
    public func simulate() async throws -> Report {
        let tally = Tally()
        let patchOp = SchemaURN.patchOp

        // 1. Test Connector Configuration.
        say("Connector test (as Okta's \"Test Connector Configuration\")")
        try await expectList(.GET, "/Users?startIndex=1&count=2", tally)
        try await expectList(.GET, "/Groups?startIndex=1&count=100", tally)

        // 2. Assign users: look up by userName, create when absent, link when present.
        say("Assigning \(plan.users) users (lookup, then create)")
        var people: [(SimulatedPeople.Person, String)] = []
        for i in 0..<plan.users {
            let p = SimulatedPeople.person(i, run: run)
            let filter = "userName eq \"\(p.userName)\"".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let found = try await send(.GET, "/Users?filter=\(filter)&startIndex=1&count=100", nil, tally)
            guard found.status == 200, let total = found.json?[attribute: "totalResults"]?.numberValue else {
                await tally.unexpected("GET /Users?filter=userName eq … answered \(found.status), not a ListResponse")
                continue
            }
            if total >= 1, let id = found.json?[attribute: "Resources"]?.arrayValue?.first?[attribute: "id"]?.stringValue {
                people.append((p, id))
                continue
            }
            let created = try await send(.POST, "/Users", userBody(p, active: true), tally)
            guard created.status == 201, let id = created.json?[attribute: "id"]?.stringValue else {
                await tally.unexpected("POST /Users for \(p.userName) answered \(created.status) (Okta expects 201 with an id)")
                continue
            }
            people.append((p, id))
        }
        await tally.update { $0.userIDs = people.map(\.1) }

        // 3. Profile updates: GET, then PUT of what came back with changes.
        let updates = people.enumerated().filter { $0.offset % 3 == 0 }
        say("Pushing \(updates.count) profile updates (GET, then PUT)")
        for (_, (p, id)) in updates {
            let got = try await send(.GET, "/Users/\(id)", nil, tally)
            guard got.status == 200, case .object(var user)? = got.json else {
                await tally.unexpected("GET /Users/\(id) answered \(got.status)")
                continue
            }
            user["title"] = .string("Senior \(p.title)")
            user["displayName"] = .string("\(p.givenName) \(p.familyName) (\(p.title))")
            let put = try await send(.PUT, "/Users/\(id)", .object(user), tally)
            if put.status != 200 || put.json?[attribute: "id"]?.stringValue != id {
                await tally.unexpected("PUT /Users/\(id) answered \(put.status) (Okta expects 200 with the same id)")
            }
        }

        // 4. Push groups with their members.
        say("Pushing \(plan.groups) groups with members (\(plan.flavour == .patch ? "PATCH" : "GET + PUT"))")
        var groups: [(String, String)] = []
        for j in 0..<plan.groups {
            let name = SimulatedPeople.team(j, run: run)
            let filter = "displayName eq \"\(name)\"".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let found = try await send(.GET, "/Groups?filter=\(filter)&startIndex=1&count=100", nil, tally)
            var gid = found.json?[attribute: "Resources"]?.arrayValue?.first?[attribute: "id"]?.stringValue
            if gid == nil {
                let created = try await send(.POST, "/Groups", ["schemas": [.string(SchemaURN.group)],
                                                                "displayName": .string(name), "members": []], tally)
                gid = created.json?[attribute: "id"]?.stringValue
                if created.status != 201 || gid == nil {
                    await tally.unexpected("POST /Groups \(name) answered \(created.status) (Okta expects 201)")
                    continue
                }
            }
            let members = people.enumerated().filter { $0.offset % max(1, plan.groups) == j % max(1, plan.groups) }.map(\.element)
            try await setMembers(gid!, name: name, members: members, tally: tally)
            groups.append((gid!, name))
        }
        await tally.update { $0.groupIDs = groups.map(\.0) }

        // 5. Membership changes: one out, one in; a rename rides along.
        if let (gid, name) = groups.first, people.count >= 2 {
            say("Changing membership of \(name)")
            if plan.flavour == .patch {
                let out = people[0].1, into = people[people.count - 1]
                let answer = try await send(.PATCH, "/Groups/\(gid)", [
                    "schemas": [.string(patchOp)],
                    "Operations": [
                        ["op": "remove", "path": .string("members[value eq \"\(out)\"]")],
                        ["op": "add", "path": "members", "value": [["value": .string(into.1), "display": .string(into.0.userName)]]],
                        ["op": "replace", "value": ["id": .string(gid), "displayName": .string("\(name) (renamed)")]],
                    ]], tally)
                if answer.status != 200 && answer.status != 204 {
                    await tally.unexpected("PATCH /Groups/\(gid) membership answered \(answer.status)")
                }
            } else {
                try await setMembers(gid, name: "\(name) (renamed)", members: Array(people.suffix(2)), tally: tally)
            }
        }

        // 6. Deactivate some users, then reactivate one with the same id.
        let leaving = people.enumerated().filter { $0.offset % 4 == 1 }.map(\.element)
        if !leaving.isEmpty { say("Deactivating \(leaving.count) users, reactivating one") }
        for (p, id) in leaving {
            if try await setActive(false, id: id, userName: p.userName, tally: tally) {
                await tally.update { $0.deactivated.append(id) }
            }
        }
        if let (p, id) = leaving.first {
            if try await setActive(true, id: id, userName: p.userName, tally: tally) {
                await tally.update { $0.deactivated.removeAll { $0 == id } }
            }
        }

        let report = await tally.report
        say(report.summary)
        for line in report.unexpected { say("  unexpected: \(line)") }
        return report
    }

    // MARK: steps

    private func userBody(_ p: SimulatedPeople.Person, active: Bool) -> JSONValue {
        [
            "schemas": [.string(SchemaURN.user)], "userName": .string(p.userName),
            "name": ["givenName": .string(p.givenName), "familyName": .string(p.familyName)],
            "emails": [["primary": true, "value": .string(p.userName), "type": "work"]],
            "displayName": .string(p.displayName), "locale": "en-US", "externalId": .string(p.oktaID),
            "title": .string(p.title), "groups": [],
            // Okta sends a random placeholder even without password sync.
            "password": .string(String(UInt64.random(in: 0..<UInt64.max), radix: 36)), "active": .bool(active),
        ]
    }

    private func setMembers(_ gid: String, name: String, members: [(SimulatedPeople.Person, String)], tally: Tally) async throws {
        let value: JSONValue = .array(members.map { ["value": .string($0.1), "display": .string($0.0.userName)] })
        if plan.flavour == .patch {
            let answer = try await send(.PATCH, "/Groups/\(gid)", [
                "schemas": [.string(SchemaURN.patchOp)],
                "Operations": [["op": "replace", "value": ["id": .string(gid), "displayName": .string(name)]],
                               ["op": "add", "path": "members", "value": value]]], tally)
            if answer.status != 200 && answer.status != 204 {
                await tally.unexpected("PATCH /Groups/\(gid) answered \(answer.status) (Okta expects 200 or 204)")
            }
        } else {
            let got = try await send(.GET, "/Groups/\(gid)", nil, tally)
            guard case .object(var group)? = got.json else {
                await tally.unexpected("GET /Groups/\(gid) answered \(got.status)")
                return
            }
            group["displayName"] = .string(name)
            group["members"] = value
            let put = try await send(.PUT, "/Groups/\(gid)", .object(group), tally)
            if put.status != 200 { await tally.unexpected("PUT /Groups/\(gid) answered \(put.status) (Okta expects 200)") }
        }
    }

    private func setActive(_ active: Bool, id: String, userName: String, tally: Tally) async throws -> Bool {
        let answer: Answer
        if plan.flavour == .patch {
            answer = try await send(.PATCH, "/Users/\(id)", [
                "schemas": [.string(SchemaURN.patchOp)], "Operations": [["op": "replace", "value": ["active": .bool(active)]]]],
                tally)
        } else {
            let got = try await send(.GET, "/Users/\(id)", nil, tally)
            guard case .object(var user)? = got.json else {
                await tally.unexpected("GET /Users/\(id) answered \(got.status)")
                return false
            }
            user["active"] = .bool(active)
            answer = try await send(.PUT, "/Users/\(id)", .object(user), tally)
        }
        let ok = (answer.status == 200 && answer.json?[attribute: "active"]?.boolValue == active) || answer.status == 204
        if !ok {
            await tally.unexpected("\(active ? "reactivating" : "deactivating") \(userName) answered \(answer.status)")
        }
        return ok
    }

    private func expectList(_ method: HTTPMethod, _ path: String, _ tally: Tally) async throws {
        let answer = try await send(method, path, nil, tally)
        let numbers = ["totalResults", "startIndex", "itemsPerPage"].allSatisfy { answer.json?[attribute: $0]?.numberValue != nil }
        say("  \(method.rawValue) \(path) → \(answer.status)")
        if answer.status != 200 || !numbers {
            await tally.unexpected("\(method.rawValue) \(path) answered \(answer.status); Okta expects 200 with numeric totalResults, startIndex, itemsPerPage")
        }
    }

    // MARK: HTTP

    private func send(_ method: HTTPMethod, _ path: String, _ body: JSONValue?, _ tally: Tally) async throws -> Answer {
        if plan.rate > 0 { try await Task.sleep(for: .seconds(1 / plan.rate)) }
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "Okta SCIM Client 1.0.0")
        request.headers.add(name: "Accept", value: "application/scim+json")
        request.headers.add(name: "Accept-Charset", value: "utf-8")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/scim+json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: JSONCoding.serialize(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let status = Int(response.status.code)
        await tally.record(status)
        let json = bytes.readableBytes > 0 ? try? JSONCoding.parse(Array(bytes.readableBytesView)) : nil
        if json == nil && bytes.readableBytes > 0 {
            await tally.unexpected("\(method.rawValue) \(path) answered \(status) with a body that is not JSON")
        }
        if status == 401 || status == 403 || status == 404 && path.hasPrefix("/Users?") {
            let detail = json?[attribute: "detail"]?.stringValue ?? json?[attribute: "message"]?.stringValue ?? ""
            throw SimulatorError.refused(status: status, detail: detail)
        }
        return Answer(status: status, json: json)
    }
}

public enum SimulatorError: Error, CustomStringConvertible {
    case refused(status: Int, detail: String)

    public var description: String {
        switch self {
        case .refused(let status, let detail):
            // The endpoint's own sentence says what to fix when it gives one; else, by status.
            let hint = status == 401 ? "Check the token." : status == 403 ? "Check the namespace (stack id) and the token's role."
                : "Check the URL and that the enableSCIM toggle is on."
            return "The endpoint refused the simulator (\(status)): \(detail.isEmpty ? hint : detail)"
        }
    }
}
