import Directory
import Foundation
import Logging
import SCIM
import ServiceLifecycle

/// Opens and closes a data dir 100 times, each time running its service in a
/// `ServiceGroup` and using every thread the Directory starts (a batched
/// write, a logged exchange with a body large enough for a segment file,
/// reads, the checkpointers), then shutting the group down gracefully, which
/// closes the Directory; and says whether any thread or file descriptor
/// outlived its Directory. A process of its own, so that no
/// other test's threads or files are counted. Exit status 1 if one did:
/// a hundred Directories that each left a thread would leave a hundred.
let root = CommandLine.arguments.dropFirst().first ?? "\(NSTemporaryDirectory())/lifecycle-probe-\(getpid())"

func entries(_ folder: String) -> Int { (try? FileManager.default.contentsOfDirectory(atPath: folder).count) ?? -1 }

func cycle(_ n: Int) async throws {
    let folder = "\(root)/\(n)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let directory = try Directory(path: "\(folder)/\(Directory.fileName)")
    let group = ServiceGroup(configuration: .init(services: [DirectoryService(directory)], logger: Logger(label: "probe")))
    async let running: Void = group.run()
    let user = try await directory.batched { try $0.createUser(["userName": .string("user\(n)@example.com")]) }
    directory.requestLog.logSoon(LoggedRequest(
        time: Date(), method: "GET", path: "/Users/\(user.id)", query: "", status: 200, duration: 0.001,
        client: "127.0.0.1", userAgent: "probe", requestHeaderText: "", requestBody: "",
        responseBytes: Array(repeating: UInt8(ascii: "x"), count: 8_192), resourceID: user.id))
    _ = try directory.userCount()
    await group.triggerGracefulShutdown()
    try await running
    try FileManager.default.removeItem(atPath: folder)
}

// A few rounds first: libdispatch's and the runtime's own pools grow to their size once.
for n in 0..<3 { try await cycle(n) }
let before = (tasks: entries("/proc/self/task"), descriptors: entries("/proc/self/fd"))
for n in 3..<103 { try await cycle(n) }
// An idle worker of libdispatch's or the runtime's own pool may still be winding down; what a
// Directory left behind stays. So the counts may take a few seconds to come back (longer while
// the rest of the test suite loads both cores), but they come back.
var after = (tasks: entries("/proc/self/task"), descriptors: entries("/proc/self/fd"))
let deadline = Date().addingTimeInterval(30)
while (after.tasks > before.tasks || after.descriptors > before.descriptors) && Date() < deadline {
    try await Task.sleep(for: .milliseconds(100))
    after = (tasks: entries("/proc/self/task"), descriptors: entries("/proc/self/fd"))
}
try? FileManager.default.removeItem(atPath: root)
print("100 data dirs opened and closed: threads \(before.tasks) → \(after.tasks), file descriptors \(before.descriptors) → \(after.descriptors)")
exit(after.tasks <= before.tasks && after.descriptors <= before.descriptors ? 0 : 1)
