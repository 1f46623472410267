import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Secrets at rest, tokens revoked or expired while serving, HTTPS, file modes.
@Suite("Security", .serialized)
struct SecurityTests {
    typealias CLI = CommandLineTests

    static func status(_ url: String, token: String, method: String = "GET", body: String? = nil) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/scim+json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test func revocationAndExpiryTakeEffectWhileServing() async throws {
        let dir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        defer { server.terminate(); server.waitUntilExit() }
        #expect(try await Self.status(url + "/Users", token: token) == 200)
        // Made by another process while this one serves, and used at once: only the token's own
        // creation and one request lie between, however loaded the machine (its start-up is not
        // inside the lifetime). Long enough for that, short enough for the test to wait it out.
        let created = Date()
        let lifetime = 12.0
        let shortLived = try CLI.run(["token", "create", "--data-dir", dir, "--token-name", "brief",
                                      "--seconds-to-live", String(Int(lifetime))])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await Self.status(url + "/Users", token: shortLived) == 200)
        // Revoked by another process while this one serves, and cached here: refused at once.
        let list = try CLI.run(["token", "list", "--data-dir", dir]).stdout
        let id = try #require(list.split(separator: "\n").first { $0.contains("okta-scim-token") && !$0.contains("brief") }?
            .split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init))
        #expect(try CLI.run(["token", "revoke", "--data-dir", dir, id]).status == 0)
        #expect(try await Self.status(url + "/Users", token: token) == 401)
        let expired = lifetime + 0.3 - Date().timeIntervalSince(created)
        if expired > 0 { try await Task.sleep(for: .milliseconds(Int(expired * 1000))) }
        #expect(try await Self.status(url + "/Users", token: shortLived) == 401)
    }

    /// After an Okta-shaped run: the token, the passwords Okta sent and the
    /// Authorization header appear nowhere in the data dir, the log, or the
    /// scripting output.
    @Test func secretsAreNeverStoredInClear() async throws {
        let dir = CLI.tempDir()
        let token = try CLI.run(["token", "create", "--data-dir", dir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--enable-scim"])
        var passwords: [String] = []
        for n in 1...16 {
            let password = "Sup3r-Secret-\(UUID().uuidString)"
            passwords.append(password)
            #expect(try await Self.status(url + "/Users", token: token, method: "POST", body: """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"p\(n)@example.com","password":"\(password)",
                 "emails":[{"value":"p\(n)@example.com","type":"work"}]}
                """) == 201)
        }
        let patchPassword = "Patched-\(UUID().uuidString)"
        passwords.append(patchPassword)
        let wrongToken = "glsa_" + String(repeating: "Z", count: 32) + "_0badf00d"
        _ = try await Self.status(url + "/Users", token: wrongToken)
        // A list of every user is a body large enough for the log's body segments (`BodySegments`).
        #expect(try await Self.status(url + "/Users?count=100", token: token) == 200)
        let simulate = try CLI.run(["simulate", "--url", url, "--token", token, "--users", "4", "--groups", "1", "--rate", "0"])
        #expect(simulate.status == 0, "\(simulate.stdout)\(simulate.stderr)")
        server.terminate()
        server.waitUntilExit()
        let listing = try CLI.run(["requests", "list", "--data-dir", dir, "--json", "--limit", "500"]).stdout

        let secret = String(token.dropFirst(5).prefix(32))
        var haystacks: [(String, Data)] = [("requests list", Data(listing.utf8))]
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) where name != "admin-password" {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(dir)/\(name)", isDirectory: &isFolder), !isFolder.boolValue else { continue }
            haystacks.append((name, try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)"))))
        }
        #expect(haystacks.contains { $0.0 == "scim-console.sqlite" })
        #expect(haystacks.contains { $0.0 == "scim-console.sqlite-requests" }, "the request log is searched too")
        #expect(haystacks.contains { $0.0.hasPrefix("scim-console.sqlite-requests-bodies/") }, "the log's large bodies are searched too")
        for (name, bytes) in haystacks {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the token is in \(name)")
            #expect(bytes.range(of: Data("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ".utf8)) == nil, "a presented wrong token is in \(name)")
            for password in passwords {
                #expect(bytes.range(of: Data(password.utf8)) == nil, "a password is in \(name)")
            }
            #expect(bytes.range(of: Data("Bearer glsa_".utf8)) == nil, "an Authorization header is in \(name)")
        }
        #expect(listing.contains("[redacted]"))
    }

    @Test func servesHTTPSWithACertificate() async throws {
        let dir = CLI.tempDir()
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/key.pem", "-out", "\(dir)/cert.pem",
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        let (server, url) = try CLI.serve(["--data-dir", dir, "--port", "0", "--tls-cert", "\(dir)/cert.pem",
                                           "--tls-key", "\(dir)/key.pem"])
        defer { server.terminate(); server.waitUntilExit() }
        #expect(url.hasPrefix("https://127.0.0.1:"))
        let port = try #require(URL(string: url)?.port)
        // curl with the generated certificate as the only trusted root: a real TLS handshake.
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "--cacert", "\(dir)/cert.pem", "https://127.0.0.1:\(port)/api/health"]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let body = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        #expect(body.contains("\"database\":\"ok\""), "\(body)")
        // Plain HTTP to the HTTPS port gets no HTTP answer.
        let plain = Process()
        plain.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        plain.arguments = ["-s", "-m", "3", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/api/health"]
        let plainOut = Pipe()
        plain.standardOutput = plainOut
        try plain.run()
        let code = String(decoding: plainOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        plain.waitUntilExit()
        #expect(code != "200")

        let missing = try CLI.run(["serve", "--data-dir", dir, "--port", "0", "--tls-cert", "\(dir)/nope.pem", "--tls-key", "\(dir)/key.pem"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Cannot read the certificate"))
        let half = try CLI.run(["serve", "--data-dir", dir, "--port", "0", "--tls-cert", "\(dir)/cert.pem"])
        #expect(half.stderr.contains("--tls-cert and --tls-key go together"))
    }

    @Test func plainHTTPOffLoopbackWarnsAndFilesArePrivate() throws {
        let dir = CLI.tempDir() + "/data"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--data-dir", dir, "--port", "0", "--host", "0.0.0.0"]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        Thread.sleep(forTimeInterval: 1)
        process.terminate()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(stderr.contains("Warning: serving plain HTTP on 0.0.0.0"))
        let fm = FileManager.default
        #expect(try fm.attributesOfItem(atPath: dir)[.posixPermissions] as? Int == 0o700)
        #expect(try fm.attributesOfItem(atPath: "\(dir)/admin-password")[.posixPermissions] as? Int == 0o600)
    }
}
