import Directory
import Foundation
import Testing
import TestSupport

/// The command line's failures as a person reads them: one sentence in
/// plain words, never Foundation's or SQLite's text, and nothing half done.
@Suite("Command line, in plain words", .serialized)
struct PlainWordsTests {
    typealias CLI = CommandLineTests

    static let foundationText = ["could not be completed", "NSCocoaErrorDomain", "errno", "Error Domain", "SQLite error"]

    static func plain(_ run: CommandLineTests.Run, _ what: String) {
        #expect(run.status == 1, "\(what): \(run.stdout)\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(what): one sentence: \(run.stderr)")
        for text in foundationText { #expect(!run.stderr.contains(text), "\(what): \(run.stderr)") }
    }

    @Test func aCommandThatOnlyReadsRefusesADataDirThatDoesNotExist() throws {
        let missing = CLI.tempDir() + "/no-such-dir"
        for command in [["users", "list"], ["teams", "list"], ["requests", "list"], ["token", "list"], ["users", "deactivate", "ada"]] {
            let run = try CLI.run(command + ["--data-dir", missing])
            Self.plain(run, command.joined(separator: " "))
            #expect(run.stderr.contains("There is no scim-console data directory at \(missing)"))
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "nothing was created")
    }

    /// A damaged database: the commands that read it say so in one sentence and
    /// say what to do, never SQLite's message or the statement.
    @Test func aDamagedDatabaseIsOneSentenceWithWhatToDo() async throws {
        let folder = try await ScratchDataDirectory.damaged()
        let run = try CLI.run(["users", "list", "--data-dir", folder])
        Self.plain(run, "users list")
        // Said at open, by SQLite's quick check (which may count the problems, or stop at the first).
        #expect(run.stderr.hasPrefix("scim-console: The database in \(folder) is damaged"), "\(run.stderr)")
        #expect(run.stderr.hasSuffix(": \(StorageErrorText.damageRemedy).\n"))
        #expect(!run.stderr.contains("SELECT"))
    }

    @Test func fileErrorsAreNamedByTheirCause() throws {
        let file = CLI.tempDir() + "/file"
        FileManager.default.createFile(atPath: file, contents: Data())
        let run = try CLI.run(["token", "create", "--data-dir", file + "/sub"])
        Self.plain(run, "a data dir under a file")
        #expect(run.stderr.contains("Cannot create the data directory \(file)/sub: A part of the path is a file, not a directory."))
        let unreadable = try CLI.run(["setup", "--data-dir", CLI.tempDir(), "--grafana-url", "http://127.0.0.1:1",
                                      "--grafana-password-file", "/nonexistent/pw", "--yes"])
        Self.plain(unreadable, "a missing password file")
        #expect(unreadable.stderr.contains("Cannot read /nonexistent/pw: No such file or directory."))
    }

    @Test func setupChecksTheTokenFileBeforeMakingAToken() throws {
        let dir = CLI.tempDir()
        let run = try CLI.run(["setup", "--data-dir", dir, "--stack-id", "1", "--token-file", dir + "/missing-dir/t", "--yes"])
        Self.plain(run, "a token file in a missing folder")
        #expect(run.stderr.contains("the folder \(dir)/missing-dir does not exist"))
        #expect(run.stderr.contains("No token was made."))
        #expect(!run.stdout.contains("Created the token"))
        let tokens = try CLI.run(["token", "list", "--data-dir", dir])
        #expect(!tokens.stdout.contains("okta-scim"), "no token was made: \(tokens.stdout)")
        // An existing file is refused the same way, before anything is made.
        let existing = dir + "/existing.token"
        FileManager.default.createFile(atPath: existing, contents: Data("keep".utf8))
        let again = try CLI.run(["setup", "--data-dir", dir, "--stack-id", "1", "--token-file", existing, "--yes"])
        Self.plain(again, "an existing token file")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep")
    }

    @Test func aTokenThatCannotBeKeptIsRevoked() throws {
        let dir = CLI.tempDir()
        // The folder is there and writable, so the check passes; the name is too long to create.
        let path = dir + "/" + String(repeating: "t", count: 300)
        let run = try CLI.run(["setup", "--data-dir", dir, "--stack-id", "1", "--token-file", path, "--yes"])
        Self.plain(run, "a token file that cannot be created")
        #expect(run.stderr.contains("The token was revoked; nothing is left behind."), "\(run.stderr)")
        // token list: one line per token, or "(no tokens)" for an account that has none.
        let tokens = try CLI.run(["token", "list", "--data-dir", dir]).stdout
        #expect(tokens.contains("okta-scim\tAdmin\t(no tokens)"), "the token made is gone: \(tokens)")
    }

    @Test func aHandDeactivationFromTheCommandLineIsLogged() throws {
        let dir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        let sim = try CLI.run(["simulate", "--url", url, "--token", token, "--users", "1", "--groups", "0", "--rate", "0"])
        server.terminate()
        server.waitUntilExit()
        #expect(sim.status == 0, "\(sim.stdout)\(sim.stderr)")
        let user = try #require(try CLI.run(["users", "list", "--data-dir", dir]).stdout.split(separator: "\n")
            .compactMap { $0.split(whereSeparator: \.isWhitespace).first { $0.contains("@example.com") } }.first)
        #expect(try CLI.run(["users", "deactivate", "--data-dir", dir, String(user)]).status == 0)
        let log = try CLI.run(["requests", "list", "--data-dir", dir, "--limit", "1"]).stdout
        #expect(log.contains("PATCH") && log.contains("scim-console (command line, by hand)"), "\(log)")
    }

    @Test func simulateTakesItsTokenFromAFileAndSaysWhyItCannotConnect() throws {
        let dir = CLI.tempDir()
        let tokenFile = dir + "/okta.token"
        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout
        try Data(token.utf8).write(to: URL(fileURLWithPath: tokenFile))
        // A port nothing listens on: a listener bound and closed at once.
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        let ok = try CLI.run(["simulate", "--url", url, "--token-file", tokenFile, "--users", "1", "--groups", "0", "--rate", "0"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        server.terminate()
        server.waitUntilExit()
        let refused = try CLI.run(["simulate", "--url", url, "--token-file", tokenFile, "--rate", "0"])
        Self.plain(refused, "nothing listening")
        let port = URL(string: url)!.port!
        #expect(refused.stderr.contains("Connection refused at 127.0.0.1:\(port): is the endpoint running on that port?"))
        let none = try CLI.run(["simulate", "--url", url])
        Self.plain(none, "no token")
        #expect(none.stderr.contains("--token-file FILE, or SCIM_CONSOLE_TOKEN"))
        let both = try CLI.run(["simulate", "--url", url, "--token", "x", "--token-file", tokenFile])
        Self.plain(both, "two tokens")
    }

    @Test func aRefusedSimulatorSaysOneThing() throws {
        let dir = CLI.tempDir()
        _ = try CLI.run(["token", "create", "--data-dir", dir])
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        defer { server.terminate(); server.waitUntilExit() }
        let run = try CLI.run(["simulate", "--url", url, "--token", "glsa_wrongwrongwrongwrongwrongwrong_00000000", "--rate", "0"])
        Self.plain(run, "a wrong token")
        #expect(run.stderr.contains("The endpoint refused the simulator (401): "))
        #expect(!run.stderr.contains(" — "), "one sentence, not the detail and a hint glued together")
    }
}
