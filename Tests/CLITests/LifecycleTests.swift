import Foundation
import Testing

/// A Directory that is closed leaves nothing running and nothing open.
@Suite("Lifecycle")
struct LifecycleTests {
    @Test func aHundredDataDirsOpenedAndClosedLeaveNoThreadOrFileBehind() throws {
        let probe = CommandLineTests.binary.replacingOccurrences(of: "/scim-console", with: "/lifecycle-probe")
        let run = try CommandLineTests.run(at: probe, [CommandLineTests.tempDir() + "/probe"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("100 data dirs opened and closed"))
    }
}
