import Directory
import Endpoint
import Foundation
import HTTPTypes
import NIOCore
import SCIM
import Testing

/// What a hostile or broken client sends, row by row: each row expects a
/// specific status and SCIM `scimType`, and that nothing was stored. No row
/// may crash the server or get a 500.
@Suite("Hostile input over HTTP")
struct HostileInputTests {
    struct Row: CustomStringConvertible, Sendable {
        var name: String
        var method: HTTPRequest.Method
        /// Relative to the SCIM base; `{user}` and `{group}` become existing ids.
        var path: String
        var body: [UInt8]?
        var status: Int
        var scimType: String?

        /// A row without a body.
        init(_ name: String, _ method: HTTPRequest.Method, _ path: String, _ status: Int, _ scimType: String? = nil) {
            self.init(name, method, path, nil, status, scimType)
        }

        init(_ name: String, _ method: HTTPRequest.Method, _ path: String, _ body: String?, bytes: [UInt8]? = nil,
             _ status: Int, _ scimType: String? = nil) {
            self.name = name
            self.method = method
            self.path = path
            self.body = bytes ?? body.map { Array($0.utf8) }
            self.status = status
            self.scimType = scimType
        }

        var description: String { name }
    }

    static let megabyteName = "{\"userName\":\"" + String(repeating: "a", count: 1 << 20) + "\"}"
    static let deepJSON = "{\"userName\":\"deep\",\"x\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
    static let longFilter = "userName eq \"" + String(repeating: "a", count: 5_000) + "\""
    static let deepFilter = String(repeating: "(", count: 40) + "userName eq \"a\"" + String(repeating: ")", count: 40)
    static func q(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    static let rows: [Row] = [
        Row("malformed JSON", .post, "Users", "{\"userName\":", 400, "invalidSyntax"),
        Row("a trailing comma (Grafana's Go decoder refuses it)", .post, "Users", "{\"userName\":\"x\",}", 400, "invalidSyntax"),
        Row("a JSON array, not an object", .post, "Users", "[1,2,3]", 400, "invalidSyntax"),
        Row("an empty body", .post, "Users", "", 400, "invalidSyntax"),
        Row("userName a number", .post, "Users", "{\"userName\":42}", 400, "invalidValue"),
        Row("active not a boolean", .post, "Users", "{\"userName\":\"a1\",\"active\":\"maybe\"}", 400, "invalidValue"),
        Row("emails a string", .post, "Users", "{\"userName\":\"a2\",\"emails\":\"a2@example.com\"}", 400, "invalidValue"),
        Row("name a list", .post, "Users", "{\"userName\":\"a3\",\"name\":[1]}", 400, "invalidValue"),
        Row("no userName", .post, "Users", "{\"displayName\":\"nobody\"}", 400, "invalidValue"),
        Row("a 1 MiB userName", .post, "Users", megabyteName, 413),
        Row("JSON nested 10,000 deep", .post, "Users", deepJSON, 400, "invalidSyntax"),
        Row("invalid UTF-8", .post, "Users", nil, bytes: Array("{\"userName\":\"".utf8) + [0xC3, 0x28, 0xFF] + Array("\"}".utf8), 400, "invalidSyntax"),
        Row("an unknown schema URN", .post, "Users", "{\"schemas\":[\"urn:example:params:scim:schemas:Unknown\"],\"userName\":\"a4\"}", 400, "invalidValue"),
        Row("a group with a member that does not exist", .post, "Groups",
            "{\"displayName\":\"ghosts\",\"members\":[{\"value\":\"00000000-0000-0000-0000-000000000000\"}]}", 400, "invalidValue"),
        Row("startIndex not a number", .get, "Users?startIndex=abc", 400, "invalidValue"),
        Row("count not a number", .get, "Users?count=1e99", 400, "invalidValue"),
        Row("count huge", .get, "Users?count=99999999999999999999", 400, "invalidValue"),
        Row("startIndex negative (RFC: read as 1)", .get, "Users?startIndex=-5&count=1", 200),
        Row("count negative (RFC: read as 0)", .get, "Users?count=-1", 200),
        Row("startIndex past the end", .get, "Users?startIndex=9223372036854775807", 200),
        Row("a filter too long", .get, "Users?filter=" + q(longFilter), 400, "invalidFilter"),
        Row("a filter nested too deep", .get, "Users?filter=" + q(deepFilter), 400, "invalidFilter"),
        Row("a filter that does not parse", .get, "Users?filter=" + q("userName eq"), 400, "invalidFilter"),
        Row("PATCH of id", .patch, "Users/{user}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]}",
            400, "mutability"),
        Row("PATCH of meta.created", .patch, "Users/{user}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"meta.created\",\"value\":\"2020-01-01T00:00:00Z\"}]}",
            400, "mutability"),
        Row("PATCH with an unknown op", .patch, "Users/{user}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"explode\",\"value\":{\"active\":false}}]}",
            400, "invalidSyntax"),
        Row("PATCH with a path that does not parse", .patch, "Users/{user}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":\"x\"}]}",
            400, "invalidPath"),
        Row("PATCH adding a member that does not exist", .patch, "Groups/{group}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"nope\"}]}]}",
            400, "invalidValue"),
        Row("PATCH, second operation bad: the first is not kept either", .patch, "Users/{user}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"changed\"},{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]}",
            400, "mutability"),
        Row("PUT with userName a list", .put, "Users/{user}", "{\"userName\":[\"a\"]}", 400, "invalidValue"),
        Row("a body that is not JSON", .post, "Users", "userName=alice", 400, "invalidSyntax"),
    ]

    /// Everything stored, as one comparable snapshot.
    static func snapshot(_ directory: Directory) throws -> String {
        let users = try directory.listUsers(.init(count: 1000)).items.map {
            "\($0.id) \(JSONCoding.serialize(.object($0.document))) \($0.meta.version) \($0.groups.map(\.id))"
        }
        let groups = try directory.listGroups(.init(count: 1000)).items.map {
            "\($0.id) \(JSONCoding.serialize(.object($0.document))) \($0.meta.version) \($0.members.map(\.id))"
        }
        return (users + groups).sorted().joined(separator: "\n")
    }

    @Test func everyRowGetsItsStatusAndScimTypeAndStoresNothing() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run { client in
            let user = try await client.send(.post, "Users", ["userName": "kept@example.com", "displayName": "Kept"])
            let userID = try #require(user.json?.at("id")?.stringValue)
            let group = try await client.send(.post, "Groups", ["displayName": "Kept team", "members": [["value": .string(userID)]]])
            let groupID = try #require(group.json?.at("id")?.stringValue)
            for row in Self.rows {
                let before = try Self.snapshot(harness.directory)
                let path = row.path.replacingOccurrences(of: "{user}", with: userID).replacingOccurrences(of: "{group}", with: groupID)
                let reply = try await client.send(row.method, path, bytes: row.body ?? nil)
                #expect(reply.status == row.status, "\(row): \(reply.status) \(reply.text.prefix(300))")
                if let scimType = row.scimType {
                    #expect(reply.json?.at("scimType")?.stringValue == scimType, "\(row): \(reply.text.prefix(300))")
                }
                if row.status >= 400 {
                    #expect(reply.json?.at("schemas", "0")?.stringValue == "urn:ietf:params:scim:api:messages:2.0:Error", "\(row)")
                }
                #expect(try Self.snapshot(harness.directory) == before, "\(row) changed what is stored")
            }
            // Still serving after all of it.
            #expect(try await client.get("Users/\(userID)").status == 200)
        }
    }

    /// A client that sends its headers a byte at a time is cut off after the
    /// idle timeout, while everyone else is served as usual.
    @Test func slowHeadersTimeOutWithoutStallingOthers() async throws {
        let harness = try EndpointHarness.make()
        try await harness.run(server: ServerOptions(idleTimeout: .seconds(2))) { client in
            let port = try #require(client.client.port)
            let fd = try #require(Self.connectedSocket(port: port))
            defer { close(fd) }
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let request = Array("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8)
            var closedAfter: Double?
            var servedMeanwhile = 0
            let start = Date()
            for byte in request where closedAfter == nil {
                var b = byte
                if send(fd, &b, 1, Int32(MSG_NOSIGNAL)) < 0 { closedAfter = Date().timeIntervalSince(start); break }
                // Meanwhile, others are served: while the slow connection is still open. Each on a
                // connection of its own, as a new client's: a kept-alive one could meet the same 2 s
                // idle cut on a loaded machine, and the test client does not open another.
                if await Self.healthOnNewConnection(port: port) { servedMeanwhile += 1 }
                var buffer = [UInt8](repeating: 0, count: 64)
                let n = recv(fd, &buffer, 64, 0)
                if n == 0 { closedAfter = Date().timeIntervalSince(start) }
                try await Task.sleep(for: .milliseconds(150))
            }
            let after = try #require(closedAfter, "the slow connection was never closed")
            #expect(after >= 1.9 && after < 6, "closed after \(after) s")
            #expect(servedMeanwhile >= 1, "only \(servedMeanwhile) requests were served while the slow client trickled")
        }
    }

    /// `GET /api/health` on a connection of its own, closed after the answer:
    /// whether it got a 200 within 10 s. Its blocking socket calls run on a
    /// thread of their own: held on one of Swift concurrency's few threads,
    /// they could keep the endpoint from answering.
    static func healthOnNewConnection(port: Int) async -> Bool {
        await withCheckedContinuation { answered in
            Thread { answered.resume(returning: healthOnNewConnectionBlocking(port: port)) }.start()
        }
    }

    static func healthOnNewConnectionBlocking(port: Int) -> Bool {
        guard let fd = connectedSocket(port: port) else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = recv(fd, &buffer, 64, 0)
        return n > 0 && String(decoding: buffer[..<n], as: UTF8.self).hasPrefix("HTTP/1.1 200")
    }

    /// A TCP socket connected to 127.0.0.1:`port`, or nil.
    static func connectedSocket(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    @Test func rateLimitAnswers429WithRetryAfterPerToken() async throws {
        let harness = try EndpointHarness.make().withRateLimit(2)
        try await harness.run { client in
            // Six at once: a burst of one second's worth (two) passes, the rest wait. At once, not
            // one after another, so a slow machine cannot spread them over the refill time.
            let replies = try await withThrowingTaskGroup(of: EndpointHarness.Client.Reply.self) { group in
                for _ in 0..<6 { group.addTask { try await client.get("Users?count=1") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = replies.map(\.status)
            var retryAfter: String?
            for reply in replies where reply.status == 429 {
                retryAfter = reply.headers[HTTPField.Name("Retry-After")!]
                #expect(reply.json?.at("status")?.stringValue == "429")
            }
            #expect(statuses.filter { $0 == 200 }.count >= 2, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(statuses)")
            #expect(statuses.contains(429))
            #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true, "Retry-After is a whole number of seconds")
            // Another token has its own budget.
            let account = try harness.directory.createServiceAccount(name: "other", role: "Admin")
            let other = try harness.directory.createToken(serviceAccountID: account.id, name: "t").key
            #expect(try await client.get("Users?count=1", token: other).status == 200)
        }
    }
}
