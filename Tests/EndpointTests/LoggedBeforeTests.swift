import Directory
import Foundation
import SCIM
import Testing

/// The request log's "before" of a large team is read and written only as far
/// as the log keeps it; what it keeps must be exactly the head of the whole team.
@Suite("Logged before-images")
struct LoggedBeforeTests {
    @Test func aLargeTeamsBeforeIsTheHeadOfTheWholeTeam() async throws {
        let harness = try EndpointHarness.make()
        let ids = try (0..<1_500).map { i in try harness.directory.createUser(["userName": .string("m\(i)@example.com")]).id }
        let group = try harness.directory.createGroup(["displayName": "Big", "members": .array(ids.map { ["value": .string($0)] })])
        let extra = try harness.directory.createUser(["userName": "extra@example.com"]).id
        try await harness.run { c in
            let whole = try await c.get("Groups/\(group.id)").text
            #expect(whole.utf8.count > 100_000, "larger than the log keeps")
            let patched = try await c.send(.patch, "Groups/\(group.id)", [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                // A rename rides along, so the PATCH answers 200 with the team (membership alone is 204).
                "Operations": [["op": "add", "path": "members", "value": [["value": .string(extra)]]],
                               ["op": "replace", "path": "displayName", "value": "Bigger"]],
            ])
            #expect(patched.status == 200)
            await harness.directory.requestLog.flush()
            let logged = try #require(try harness.directory.requestLog.recent(limit: 1).first)
            let before = try #require(logged.resourceBefore)
            let kept = 64 * 1024
            #expect(before.utf8.prefix(kept).elementsEqual(whole.utf8.prefix(kept)), "the kept head is the whole team's head")
            #expect(before.hasSuffix("… [truncated at \(kept) bytes]"))
        }
    }
}
