import Foundation
import GRDB
import SCIM
import Synchronization
import Testing
@testable import Directory
import TestSupport

/// `Directory.batched`: operations that queue up while a transaction runs
/// commit together, each in its own savepoint. Each test first holds the
/// writer with a slow operation, so the rest are certain to share one batch.
@Suite("Group commit")
struct GroupCommitTests {
    static func user(_ name: String) -> JSONValue {
        ["userName": .string(name), "emails": [["value": .string(name), "type": "work"]]]
    }

    /// Polls (without blocking a thread of the test pool) until `condition` holds.
    static func until(_ condition: @Sendable () -> Bool) async {
        while !condition() { try? await Task.sleep(for: .milliseconds(2)) }
    }

    /// Starts an operation that holds the batch writer until `operations` are
    /// all queued behind it, so they are certain to form the next batch.
    static func inOneBatch<T: Sendable>(_ directory: Directory, _ operations: [@Sendable (Directory) throws -> T])
        async -> [Result<T, any Error>]
    {
        let started = Mutex(false), release = Mutex(false)
        let holding = Task {
            try await directory.batched { _ in
                started.withLock { $0 = true }
                while !release.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.001) }
            }
        }
        await until { started.withLock { $0 } }
        let results = await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for (i, operation) in operations.enumerated() {
                group.addTask {
                    do { return (i, .success(try await directory.batched(operation))) } catch { return (i, .failure(error)) }
                }
            }
            await until { directory.writeBatcher.queuedCount == operations.count }
            release.withLock { $0 = true }
            var results: [(Int, Result<T, any Error>)] = []
            for await r in group { results.append(r) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        _ = try? await holding.value
        return results
    }

    @Test func aFailingOperationFailsAloneAndTheRestCommit() async throws {
        let directory = try makeDirectory()
        let bob = try directory.createUser(Self.user("bob@example.com"))
        let team = try directory.createGroup(["displayName": "Eng", "members": [["value": .string(bob.id)]]])
        let stream = directory.events.subscribe()
        let ops: [@Sendable (Directory) throws -> String] = [
            { try $0.createUser(Self.user("a@example.com")).id },
            // A duplicate userName: 409, and nothing of it stays.
            { try $0.createUser(Self.user("BOB@example.com")).id },
            // Writes a member row, then meets an unknown one: its savepoint rolls back the first too.
            { d in
                _ = try d.patchGroupMembership(id: team.id, PatchRequest(json: JSONCoding.parse("""
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                     {"op":"remove","path":"members[value eq \\"\(bob.id)\\"]"},
                     {"op":"add","path":"members","value":[{"value":"no-such-user"}]}]}
                    """)))
                return "patched"
            },
            { try $0.createUser(Self.user("c@example.com")).id },
        ]
        let results = await Self.inOneBatch(directory, ops)
        let a = try results[0].get(), c = try results[3].get()
        #expect(throws: SCIMError.self) { try results[1].get() }
        #expect(throws: SCIMError.self) { try results[2].get() }
        #expect(try directory.user(named: "a@example.com")?.id == a)
        #expect(try directory.user(named: "c@example.com")?.id == c)
        #expect(try directory.userCount() == 3)
        #expect(try directory.group(id: team.id)?.members.map(\.id) == [bob.id], "the failed PATCH removed nobody")

        // Events: once each, for what committed only.
        var received: [DirectoryEvent] = []
        for await event in stream {
            received.append(event)
            if received.count == 2 { break }
        }
        #expect(received == [.user(id: a, change: .created, actor: .scim), .user(id: c, change: .created, actor: .scim)])
    }

    @Test func concurrentOperationsAllLandAndSeeEachOther() async throws {
        let directory = try makeDirectory()
        let team = try directory.createGroup(["displayName": "Eng"])
        let users = try (0..<20).map { try directory.createUser(Self.user("u\($0)@example.com")).id }
        // Twenty membership adds and a rename of the same team, in one batch: each sees the one before.
        var ops: [@Sendable (Directory) throws -> Bool] = users.map { id in
            { d in
                try d.patchGroupMembership(id: team.id, PatchRequest(operations: [
                    PatchOperation(op: .add, path: PatchPath.parse("members"), value: [["value": .string(id)]]),
                ]))
            }
        }
        ops.append { d in
            _ = try d.replaceUser(id: users[0], with: Self.user("renamed@example.com"))
            return true
        }
        let results = await Self.inOneBatch(directory, ops)
        #expect(results.allSatisfy { (try? $0.get()) == true })
        #expect(try directory.group(id: team.id)?.members.count == 20)
        #expect(try directory.user(id: users[0])?.userName == "renamed@example.com")
        #expect(try directory.group(id: team.id).map { $0.meta.version } == 21, "one version step per PATCH")
    }

    /// The hand actions and CLI write outside batches; they wait for the
    /// batch's transaction and never interleave with it.
    @Test func directWritesWaitForABatch() async throws {
        let directory = try makeDirectory()
        let started = Mutex(false), batchDone = Mutex(false)
        let holding = Task { try await directory.batched { d in
            _ = try d.createUser(Self.user("first@example.com"))
            started.withLock { $0 = true }
            Thread.sleep(forTimeInterval: 0.1)
            batchDone.withLock { $0 = true }
        } }
        await Self.until { started.withLock { $0 } }
        _ = try directory.createUser(Self.user("second@example.com"))
        #expect(batchDone.withLock { $0 }, "the direct write ran only after the batch's operation")
        try await holding.value
        #expect(try directory.userCount() == 2)
    }

    /// A batch that cannot begin (another process holds the lock past the
    /// timeout) or that SQLite ends itself answers every operation in it with
    /// the error: none is left waiting, nothing of it is written.
    @Test func aBatchThatCannotCommitAnswersEveryOperation() async throws {
        let folder = URL(fileURLWithPath: ScratchFolder.make("group-commit"))
        let directory = try Directory(path: folder.appendingPathComponent(Directory.fileName).path, busyTimeout: 0.3)
        let other = try DatabaseQueue(path: directory.path)
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? other.inTransaction(.immediate) { _ in
                held.signal()
                _ = release.wait(timeout: .now() + 30)
                return .rollback
            }
            released.signal()
        }
        held.wait()
        let busy = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<3 {
                group.addTask {
                    do { _ = try await directory.batched { try $0.createUser(Self.user("busy\(i)@example.com")) }; return false }
                    catch { return (error as? DatabaseError)?.resultCode == .SQLITE_BUSY }
                }
            }
            var all: [Bool] = []
            for await b in group { all.append(b) }
            return all
        }
        release.signal()
        released.wait()
        #expect(busy == [true, true, true], "each answered SQLITE_BUSY")

        // An operation that ends the transaction: it and the rest of its batch fail, none commits.
        let ops: [@Sendable (Directory) throws -> String] = [
            { try $0.createUser(Self.user("kept@example.com")).id },
            { _ in
                try AmbientWrite.current!.db.execute(sql: "ROLLBACK")
                return "rolled back"
            },
            { try $0.createUser(Self.user("after@example.com")).id },
        ]
        let results = await Self.inOneBatch(directory, ops)
        #expect(results.allSatisfy { (try? $0.get()) == nil })
        #expect(try directory.userCount() == 0)
    }
}
