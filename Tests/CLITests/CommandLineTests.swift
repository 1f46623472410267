import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
import TestSupport
#endif

/// Drives the built `scim-console` binary as a person or script would.
@Suite("Command line", .serialized)
struct CommandLineTests {
    static let binary: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let debug = root.appendingPathComponent(".build/debug/scim-console").path
        return FileManager.default.fileExists(atPath: debug) ? debug : root.appendingPathComponent(".build/release/scim-console").path
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        try run(at: binary, arguments)
    }

    /// Runs another of the package's built executables.
    static func run(at executable: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self))
    }

    static func tempDir() -> String {
        ScratchFolder.make("scim-cli")
    }

    /// Starts `serve`, waits for its connector URL line, returns the process and the URL.
    static func serve(_ arguments: [String]) throws -> (Process, String) {
        try ServeProcess.start(binary: binary, arguments)
    }

    @Test func tokenCreatePrintsOnlyTheToken() throws {
        let dir = Self.tempDir()
        let run = try Self.run(["token", "create", "--data-dir", dir])
        #expect(run.status == 0)
        #expect(run.stdout.wholeMatch(of: /glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}\n/) != nil)
        let second = try Self.run(["token", "create", "--data-dir", dir])
        #expect(second.stdout != run.stdout)
        let list = try Self.run(["token", "list", "--data-dir", dir])
        #expect(list.stdout.contains("okta-scim-token-2"))
        #expect(!list.stdout.contains("glsa_"))
        let revoke = try Self.run(["token", "revoke", "--data-dir", dir, "1"])
        #expect(revoke.status == 0)
        #expect(try Self.run(["token", "revoke", "--data-dir", dir, "1"]).status != 0)
    }

    @Test func serveAnswersAndStopsCleanlyOnSIGTERM() async throws {
        let dir = Self.tempDir()
        let token = try Self.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (process, url) = try Self.serve(["--data-dir", dir, "--port", "0", "--namespace", "stacks-12345", "--enable-scim"])
        defer { if process.isRunning { process.terminate() } }
        #expect(url.hasSuffix("/apis/scim.grafana.app/v0alpha1/namespaces/stacks-12345"))
        var request = URLRequest(url: URL(string: url + "/Users?startIndex=1&count=2")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let ini = try String(contentsOfFile: "\(dir)/grafana.ini", encoding: .utf8)
        #expect(ini.contains("enableSCIM = true"))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func mistakesAreOneSentenceAndNonZero() throws {
        let bad = try Self.run(["serve", "--data-dir", Self.tempDir(), "--namespace", "stack-1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("is not a Grafana namespace"))
        #expect(bad.stderr.split(separator: "\n").count == 1)

        let file = Self.tempDir() + "/file"
        FileManager.default.createFile(atPath: file, contents: Data())
        let unwritable = try Self.run(["serve", "--data-dir", file + "/sub", "--port", "0"])
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.contains("Cannot create the data directory"))

        let dir = Self.tempDir()
        let (first, url) = try Self.serve(["--data-dir", dir, "--port", "0"])
        defer { first.terminate(); first.waitUntilExit() }
        let port = URL(string: url)!.port!
        let busy = try Self.run(["serve", "--data-dir", Self.tempDir(), "--port", String(port)])
        #expect(busy.status != 0)
        #expect(busy.stderr.contains("Port \(port) on 127.0.0.1 is already in use"))
    }
}
