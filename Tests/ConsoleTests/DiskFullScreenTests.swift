import Foundation
import Testing
import TmuxTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The console on a data dir whose disk fills up while Okta writes: the
/// header says DISK FULL while it lasts, and not after space is freed.
@Suite("A full disk on screen (tmux)", .serialized)
struct DiskFullScreenTests {
    @Test func theHeaderSaysDiskFullWhileItLasts() async throws {
        let disk = try #require(SmallDisk(mebibytes: 12), "mounting a tmpfs needs root, which CI has")
        defer { disk.unmount() }
        let dir = "\(disk.path)/data"
        let token = try ConsoleEndToEndTests.run(["token", "create", "--data-dir", dir]).trimmingCharacters(in: .whitespacesAndNewlines)
        let tmux = try TmuxSession([ScreenEndToEndTests.binary, "--data-dir", dir, "--port", "0", "--enable-scim", "--skip-setup"],
                                   width: 120, height: 40)
        defer { tmux.close() }
        let screen = try tmux.waitFor("No users provisioned yet")
        let url = try #require(screen.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/apis\/scim\.grafana\.app\/v0alpha1\/namespaces\/default/)
            .map { String($0.output) })
        try disk.fill(leaving: 3 << 20)
        var status = 0
        for n in 0..<20_000 where status != 503 {
            status = try await createUser("full\(n)@example.com", url: url, token: token)
        }
        #expect(status == 503)
        let full = try tmux.waitFor("DISK FULL")
        #expect(full.contains("disk is full"))
        try disk.free()
        #expect(try await createUser("after@example.com", url: url, token: token) == 201)
        _ = try tmux.waitForAbsence("DISK FULL")
        #expect(tmux.screen().contains("has room again"))
    }
}
