import Directory
import Foundation
import SCIM
import Testing
import TestSupport

/// Pages in the middle of a checkpointed database overwritten: what touches
/// them answers a SCIM 500 that says the database is damaged and what to
/// do; no SQL text, no type name.
@Suite("A damaged database")
struct DamagedDatabaseTests {
    @Test func whatTouchesTheDamageAnswers500SayingSo() async throws {
        let folder = try await ScratchDataDirectory.damaged()
        let harness = try EndpointHarness(ScratchDataDirectory.make(in: folder))
        try await harness.run { client in
            var statuses: [Int] = []
            for start in stride(from: 1, through: 801, by: 100) {
                let reply = try await client.get("Users?startIndex=\(start)&count=100")
                statuses.append(reply.status)
                if reply.status == 500 {
                    #expect(reply.json?.at("detail")?.stringValue?.hasPrefix("The console's database is damaged") == true,
                            "\(reply.text)")
                    #expect(!reply.text.contains("SELECT") && !reply.text.contains("DatabaseError"), "\(reply.text)")
                }
            }
            #expect(statuses.contains(500), "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 500 }, "\(statuses)")
        }
    }
}
