import Directory
import Foundation
import GRDB
import SCIM
import Testing
import TestSupport

/// The data directory on a 12 MiB tmpfs that the test mounts (CI runs as
/// root), filled to its last megabyte, then SCIM creates until the disk is
/// full; then space is freed.
@Suite("A full disk")
struct DiskFullTests {
    @Test func writesAnswer503UntilSpaceIsFreedAndNothingAcknowledgedIsLost() async throws {
        let disk = try #require(SmallDisk(mebibytes: 12), "mounting a tmpfs needs root, which CI has")
        defer { disk.unmount() }
        let harness = try EndpointHarness(ScratchDataDirectory.make(in: "\(disk.path)/data"))
        // The disk full but for its last 3 MiB.
        try disk.fill(leaving: 3 << 20)

        try await harness.run { client in
            var acknowledged: [String] = []
            var refused: EndpointHarness.Client.Reply?
            for n in 0..<20_000 where refused == nil {
                let name = "full\(n)@example.com"
                let reply = try await client.send(.post, "Users", ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                                                                  "userName": .string(name), "displayName": .string("Disk Full \(n)"),
                                                                  "emails": [["value": .string(name), "type": "work"]]])
                if reply.status == 201 { acknowledged.append(name) } else { refused = reply }
            }
            let full = try #require(refused, "the disk never filled")
            #expect(full.status == 503)
            #expect(full.headers[.retryAfter] != nil)
            #expect(full.json?.at("detail")?.stringValue?.contains("out of disk space") == true, "\(full.text)")
            #expect(full.json?.at("schemas", "0")?.stringValue == "urn:ietf:params:scim:api:messages:2.0:Error")
            #expect(harness.directory.diskSpace.isFull)
            // Reads go on.
            #expect(try await client.get("Users?count=1").status == 200)

            // Space comes back: the next write goes through, no restart.
            try disk.free()
            let after = try await client.send(.post, "Users", ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                                                              "userName": "after@example.com"])
            #expect(after.status == 201)
            #expect(!harness.directory.diskSpace.isFull)
            #expect(harness.directory.diskSpace.refusedWrites >= 1)
            // Every acknowledged create is there.
            let missing = try acknowledged.filter { try harness.directory.user(named: $0) == nil }
            #expect(!acknowledged.isEmpty && missing.isEmpty, "\(acknowledged.count) acknowledged, missing \(missing.prefix(5))")
            let check = try harness.directory.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
            #expect(check == "ok")
        }
    }
}
