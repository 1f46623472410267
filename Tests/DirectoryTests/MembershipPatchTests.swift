import Foundation
import SCIM
import Testing
import TestSupport
@testable import Directory

/// Okta's membership PATCHes take a short path (`MembershipPatch`): row
/// inserts and deletes instead of a read-modify-write of every member. Each
/// request here runs both ways — alone (short path) and with a no-op rename
/// riding along (the general path) — on twin groups, and both must end the
/// same, or fail the same way and change nothing.
@Suite("Membership PATCH short path")
struct MembershipPatchTests {
    static let noOpRename = #"{"op":"replace","path":"displayName","value":"NAME"}"#

    static func patch(_ ops: String, name: String? = nil) throws -> PatchRequest {
        let extra = name.map { "," + noOpRename.replacingOccurrences(of: "NAME", with: $0) } ?? ""
        return try PatchRequest(json: JSONCoding.parse(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["# + ops + extra + "]}"))
    }

    static func members(_ directory: Directory, _ id: String) throws -> [String] {
        try #require(try directory.group(id: id)).members.map { "\($0.id)=\($0.display ?? "-")" }.sorted()
    }

    @Test func shortAndGeneralPathsAgree() throws {
        let directory = try makeDirectory()
        let u = try (0..<6).map { i in try directory.createUser(["userName": .string("u\(i)@example.com")]).id }
        let start: JSONValue = .array([["value": .string(u[0]), "display": "zero"], ["value": .string(u[1])]])
        let short = try directory.createGroup(["displayName": "Short", "members": start])
        let general = try directory.createGroup(["displayName": "General", "members": start])

        let requests: [String] = [
            // New members, one twice; an existing one with another display keeps its first.
            #"{"op":"add","path":"members","value":[{"value":"\#(u[2])","display":"two"},{"value":"\#(u[3])"},{"value":"\#(u[2])","display":"again"}]}"#,
            #"{"op":"add","path":"members","value":[{"value":"\#(u[0])","display":"renamed?"}]}"#,
            // Okta's remove, one present and one absent (not an error), and an id in capitals.
            #"{"op":"remove","path":"members[value eq \"\#(u[1])\"]"},{"op":"remove","path":"members[value eq \"\#(u[5])\"]"}"#,
            #"{"op":"remove","path":"members[value eq \"\#(u[3].uppercased())\"]"}"#,
            // Add and remove of the same user in one request, in both orders.
            #"{"op":"add","path":"members","value":[{"value":"\#(u[4])"}]},{"op":"remove","path":"members[value eq \"\#(u[4])\"]"}"#,
            #"{"op":"remove","path":"members[value eq \"\#(u[5])\"]"},{"op":"add","path":"Members","value":[{"value":"\#(u[5])","display":"five"}]}"#,
            #"{"op":"add","path":"urn:ietf:params:scim:schemas:core:2.0:Group:members","value":[]}"#,
        ]
        for ops in requests {
            #expect(try MembershipPatch.changes(Self.patch(ops)) != nil, "takes the short path: \(ops)")
            _ = try directory.patchGroup(id: short.id, Self.patch(ops))
            _ = try directory.patchGroup(id: general.id, Self.patch(ops, name: "General"))
            #expect(try Self.members(directory, short.id) == Self.members(directory, general.id), "after \(ops)")
        }
        #expect(try Self.members(directory, short.id).count == 3)

        // Refusals: the same error both ways, and nothing changed.
        let before = try Self.members(directory, short.id)
        let refused: [String] = [
            #"{"op":"add","path":"members","value":[{"value":"\#(u[1])"},{"value":"no-such-user"}]}"#,
            #"{"op":"add","path":"members","value":[{"value":"\#(short.id)","type":"Group"}]}"#,
            #"{"op":"add","path":"members","value":[{"display":"no value"}]}"#,
        ]
        for ops in refused {
            var errors: [SCIMError] = []
            for (id, name) in [(short.id, nil), (general.id, "General")] as [(String, String?)] {
                do { _ = try directory.patchGroup(id: id, Self.patch(ops, name: name)) } catch let e as SCIMError { errors.append(e) }
            }
            #expect(errors.count == 2 && errors[0] == errors[1], "same refusal: \(ops)")
            #expect(try Self.members(directory, short.id) == before)
        }
        #expect(throws: SCIMError.self) { try directory.patchGroup(id: "no-such-group", Self.patch(requests[0])) }
    }

    @Test func otherShapesTakeTheGeneralPath() throws {
        for ops in [
            #"{"op":"replace","path":"members","value":[]}"#,
            #"{"op":"remove","path":"members"}"#,
            #"{"op":"remove","path":"members[display eq \"x\"]"}"#,
            #"{"op":"add","value":{"members":[{"value":"x"}]}}"#,
            #"{"op":"add","path":"members","value":{"value":"x"}}"#,
            #"{"op":"add","path":"members","value":[]},"# + Self.noOpRename.replacingOccurrences(of: "NAME", with: "x"),
        ] {
            #expect(try MembershipPatch.changes(Self.patch(ops)) == nil, "\(ops)")
        }
    }
}
