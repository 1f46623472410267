import Console
import ConsoleQueries
import Directory
import Endpoint
import Foundation
import GrafanaConfig
import Logging
import SCIM
import ServiceLifecycle
import TerminalUI

// console-bench: the console's budgets, measured (not a timed test).
//   console-bench seed --data-dir DIR [--users N] [--groups M] [--big-group K]
//       fills a data dir through Directory operations; writes DIR/bench-ids.txt
//   console-bench check --data-dir DIR
//       SQLite's quick_check (every command, at open) and integrity_check (doctor)
//   console-bench frames --data-dir DIR
//       frame render times (Users with every user, Requests with 10,000 logged
//       exchanges as an Okta import leaves them, the first frame after each
//       tab switch) and 1,000 events
//   console-bench pages --data-dir DIR [--runs N]
//       the Directory's own cost of a deep page and a userName filter, on one
//       thread with no HTTP: steadier than wrk on a noisy machine
//   console-bench serve --data-dir DIR --auth always|token
//       the endpoint as `scim-console serve` runs it, but with the token check chosen:
//       `always` accepts any bearer as the data dir's first service account, the
//       baseline that measures what the real check (`token`) costs
let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    args.firstIndex(of: name).flatMap { args.indices.contains($0 + 1) ? Int(args[$0 + 1]) : nil } ?? fallback
}
guard let command = args.first, let dirIndex = args.firstIndex(of: "--data-dir"), args.indices.contains(dirIndex + 1) else {
    FileHandle.standardError.write(Data("usage: console-bench seed|check|frames|serve --data-dir DIR [--users N] [--groups M] [--auth always|token]\n".utf8))
    exit(2)
}
let dataDir = args[dirIndex + 1]
try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
let directory = try Directory(path: "\(dataDir)/\(Directory.fileName)")
// The Directory's background work (its WAL checkpointers) for the whole run, as `serve` runs it.
let services = ServiceGroup(configuration: .init(services: [DirectoryService(directory)], logger: Logger(label: "console-bench")))
let servicesRunning = Task.detached { try await services.run() }  // not on the main actor, which the seed loop holds

func residentMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

func measure(_ label: String, runs: Int, _ body: () throws -> Void) rethrows {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try body()
        let d = ContinuousClock.now - start
        times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
    times.sort()
    let p50 = times[times.count / 2], p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
    print(String(format: "%-44@ p50 %7.3f ms   p99 %7.3f ms   (%d runs)", label as NSString, p50, p99, runs))
}

/// Logs 10,000 exchanges as an Okta import and push leave them (the log's
/// capacity, so these are all it holds): of every ten, four `userName`
/// lookups, two creates, two user PATCHes, a team membership PATCH and a
/// 100-user page (a 54 KB body). The newest is a page.
func fillRequestLog() throws {
    let base = "http://127.0.0.1:9310/apis/scim.grafana.app/v0alpha1/namespaces/default"
    func listText(_ items: [[UInt8]], total: Int, start: Int) -> String {
        String(decoding: ListResponse.data(count: items.count, totalResults: total, startIndex: start) { i, out in
            out.append(contentsOf: items[i])
        }, as: UTF8.self)
    }
    let total = try directory.userCount()
    let page = try directory.listUserRepresentations(ListQuery(startIndex: 1, count: 100), baseURL: base).items
    guard let first = page.first, let user = try directory.browseUsers(Browse(), order: .created, range: 0..<1).first else {
        FileHandle.standardError.write(Data("frames needs users: run console-bench seed first\n".utf8))
        exit(1)
    }
    let pageBody = listText(page, total: total, start: 1)
    let lookupBody = listText([first], total: 1, start: 1)
    let userText = String(decoding: first, as: UTF8.self)
    let created = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"new@example.com","active":true,"#
        + #""name":{"givenName":"New","familyName":"Person"},"emails":[{"value":"new@example.com","type":"work","primary":true}]}"#
    let userPatch = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
    let teamPatch = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","#
        + #""value":[{"value":"\#(user.id)","display":"\#(user.userName)"}]}]}"#
    let prefix = "/apis/scim.grafana.app/v0alpha1/namespaces/default"
    var batch: [LoggedRequest] = []
    for i in 0..<10_000 {
        func entry(_ method: String, _ path: String, query: String = "", status: Int = 200, request: String = "",
                   response: String, resourceID: String? = nil, before: String? = nil) -> LoggedRequest {
            LoggedRequest(time: Date(), method: method, path: prefix + path, query: query, status: status, duration: 0.001,
                          client: "127.0.0.1", userAgent: "Okta SCIM Client 1.0.0",
                          requestHeaders: ["Accept: application/scim+json", "Authorization: Bearer [redacted]"],
                          requestBody: request, responseBody: response, resourceID: resourceID, resourceBefore: before)
        }
        switch i % 10 {
        case 0..<4: batch.append(entry("GET", "/Users", query: "filter=userName%20eq%20%22user\(i)%40example.com%22",
                                       response: lookupBody))
        case 4, 5: batch.append(entry("POST", "/Users", status: 201, request: created, response: userText, resourceID: user.id))
        case 6, 7: batch.append(entry("PATCH", "/Users/\(user.id)", request: userPatch, response: userText,
                                      resourceID: user.id, before: userText))
        case 8: batch.append(entry("PATCH", "/Groups/team", status: 204, request: teamPatch, response: ""))
        default: batch.append(entry("GET", "/Users", query: "startIndex=\(i * 10 + 1)&count=100", response: pageBody))
        }
        if batch.count == 500 {
            try directory.requestLog.log(batch)
            batch.removeAll()
        }
    }
    try directory.requestLog.log(batch)
}

switch command {
case "seed":
    let users = option("--users", 100_000), groups = option("--groups", 1_000), big = option("--big-group", 5_000)
    let start = Date()
    var ids: [String] = []
    ids.reserveCapacity(users)
    for i in 0..<users {
        let name = "user\(i)@example.com"
        let u = try directory.createUser(["userName": .string(name), "displayName": .string("User \(i)"),
                                          "externalId": .string("00u\(i)"), "active": true,
                                          "emails": [["value": .string(name), "type": "work", "primary": true]]])
        ids.append(u.id)
    }
    var groupIDs: [String] = []
    for j in 0..<groups {
        let members: [JSONValue] = j == 0 ? ids.prefix(big).map { ["value": .string($0)] } : []
        groupIDs.append(try directory.createGroup(["displayName": .string("Team \(j)"), "members": .array(members)]).id)
    }
    // bench-ids.txt: line 1 the big group; then user ids not in it (for adds), then all user ids.
    let outside = ids.dropFirst(big)
    let text = ([groupIDs.first ?? ""] + outside.prefix(10_000) + ["--"] + ids).joined(separator: "\n")
    try text.write(toFile: "\(dataDir)/bench-ids.txt", atomically: true, encoding: .utf8)
    print(String(format: "seeded %d users and %d groups (one of %d members) in %.1f s", users, groups, big,
                 Date().timeIntervalSince(start)))
    // The checkpointers stop and the Directory closes, its log copied back.
    await services.triggerGracefulShutdown()
    try await servicesRunning.value

case "check":
    // SQLite's checks as every command (quick) and doctor (integrity) run them; the first run reads the file cold.
    let megabytes = Double(directory.sizeOnDisk) / 1_048_576
    print(String(format: "database and its WAL: %.0f MB, %d users", megabytes, try directory.userCount()))
    try measure("quick_check, first", runs: 1) { _ = try directory.quickCheck() }
    try measure("quick_check", runs: 3) { _ = try directory.quickCheck() }
    try measure("integrity_check", runs: 3) { _ = try directory.integrityCheck() }
    await services.triggerGracefulShutdown()
    try await servicesRunning.value

case "frames":
    let size = Size(width: option("--width", 200), height: option("--height", 60))
    try fillRequestLog()
    let before = residentMiB()
    let paneConfiguration = LivePane.Configuration(
        endpointURL: "http://127.0.0.1:9310/apis/scim.grafana.app/v0alpha1/namespaces/default",
        scimBasePath: "/apis/scim.grafana.app/v0alpha1/namespaces/default", readOnly: false)
    let pane = LivePane(directory: directory, configuration: paneConfiguration)
    let context = TerminalContext.offscreen(size: size)
    let grid = CellGrid(width: size.width, height: size.height)
    print("users: \(try directory.userCount()), requests logged: \(try directory.requestLog.count()), frame \(size)")
    measure("Users frame, first (cold window)", runs: 1) { pane.draw(on: grid, context: context) }
    measure("Users frame (full redraw)", runs: 200) { grid.clear(); pane.draw(on: grid, context: context) }
    _ = pane.handle(.key(.end), context: context)
    measure("Users frame, scrolled to the end", runs: 200) { grid.clear(); pane.draw(on: grid, context: context) }
    // Switching tabs reads the new tab's window and its selection's detail: the newest
    // request, a 100-user page (54 KB of JSON, pretty-printed for the detail pane).
    _ = pane.handle(.key(.char("3")), context: context)
    _ = pane.handle(.key(.end), context: context)  // where following puts it; End also works in builds that started on the oldest
    measure("Requests frame, first (newest is a page)", runs: 1) { grid.clear(); pane.draw(on: grid, context: context) }
    if ProcessInfo.processInfo.environment["BENCH_SHOW"] != nil { for y in 0..<size.height { print(grid.line(y)) } }
    measure("Requests frame (10,000 logged)", runs: 200) { grid.clear(); pane.draw(on: grid, context: context) }
    // Walking up the log: every tenth row is a page whose detail is read and laid out anew.
    if let newest = try directory.requestLog.latestID(), let page = try directory.requestLog.entry(id: newest) {
        measure("  of which: reading the page's entry", runs: 50) { _ = try? directory.requestLog.entry(id: newest) }
        measure("  of which: its body laid out as JSON", runs: 50) { _ = JSONHighlighter.lines(page.responseBody) }
    }
    measure("Requests frame, selection one row up", runs: 200) {
        _ = pane.handle(.key(.up), context: context)
        grid.clear()
        pane.draw(on: grid, context: context)
    }
    // A filter kept on during a burst: each logged exchange invalidates the tab, so every
    // frame counts the matches, reads the window and finds the selection again.
    _ = pane.handle(.key(.char("/")), context: context)
    for c in "startindex" { _ = pane.handle(.key(.char(c)), context: context) }
    _ = pane.handle(.key(.enter), context: context)
    var logged = try directory.requestLog.latestID() ?? 0
    measure("Requests frame, filtered, a request logged", runs: 200) {
        logged += 1
        _ = pane.handle(.message(.requestLogged(id: logged, status: 200)), context: context)
        grid.clear()
        pane.draw(on: grid, context: context)
    }
    _ = pane.handle(.key(.char("1")), context: context)
    measure("Users frame, first after switching back", runs: 1) { grid.clear(); pane.draw(on: grid, context: context) }
    let someone = try directory.browseUsers(Browse(), order: .created, range: 500..<501).first!.id
    measure("1,000 directory events, then one frame", runs: 20) {
        for _ in 0..<1_000 { _ = pane.handle(.message(.user(id: someone, change: .updated, actor: .scim)), context: context) }
        grid.clear()
        pane.draw(on: grid, context: context)
    }
    measure("1,000 logged-request events, then one frame", runs: 20) {
        for i in 0..<1_000 { _ = pane.handle(.message(.requestLogged(id: Int64(i), status: 200)), context: context) }
        grid.clear()
        pane.draw(on: grid, context: context)
    }
    // A filter typed on the Users tab, a frame after each key, as a person types:
    // opening the prompt starts reading every user's text into the table's search
    // index (`UserSearchIndex`) in the background, and the first key, a fifth of a
    // second later, finds it read. Each key after it is a byte search of the copy.
    // Then kept on during a push: the matches are kept (`FilteredUserSeqs`), so a
    // change costs a look at its user. (A first key typed at once waits for the
    // rest of the read: measured last, on a pane of its own.)
    _ = pane.handle(.key(.char("/")), context: context)
    usleep(200_000)  // blocking on purpose: the pane, like the console, runs on this thread
    let typed = Array("user12")
    var keys = typed.makeIterator()
    func typeKey(on pane: LivePane) {
        _ = pane.handle(.key(.char(keys.next()!)), context: context)
        grid.clear()
        pane.draw(on: grid, context: context)
    }
    measure("Users frame, a filter's first key, 0.2 s after /", runs: 1) { typeKey(on: pane) }
    measure("Users frame after each further key", runs: typed.count - 1) { typeKey(on: pane) }
    _ = pane.handle(.key(.enter), context: context)
    try measure("  (the same filter's scan in SQL)", runs: 10) { _ = try directory.userSeqs(matching: String(typed)) }
    measure("Users frame, filtered, a user changed", runs: 200) {
        _ = pane.handle(.message(.user(id: someone, change: .updated, actor: .scim)), context: context)
        grid.clear()
        pane.draw(on: grid, context: context)
    }
    // Sorted by another column, a filtered window is read and sorted in SQL each time.
    _ = pane.handle(.key(.char("s")), context: context)
    measure("Users frame, filtered, sorted by userName", runs: 1) { grid.clear(); pane.draw(on: grid, context: context) }
    print(String(format: "resident memory: %.1f MiB (%.1f MiB before the pane was built)", residentMiB(), before))
    // The worst case: a first key typed the moment the prompt opens, on a pane that has read nothing yet.
    // Its frame does not wait for the read (the filter stays pending); the console's ticks then
    // draw a frame every 10 ms until the matches are in: how long that took, and that frame.
    let second = LivePane(directory: directory, configuration: paneConfiguration)
    grid.clear()
    second.draw(on: grid, context: context)
    _ = second.handle(.key(.char("/")), context: context)
    keys = typed.makeIterator()
    let typedAt = Date()
    measure("Users frame, a filter's first key typed at once after / (another pane)", runs: 1) { typeKey(on: second) }
    var ticks = 0
    while second.usersFilterPending {
        usleep(10_000)
        ticks += 1
        let start = DispatchTime.now()
        grid.clear()
        second.draw(on: grid, context: context)
        if !second.usersFilterPending {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
            print(String(format: "  its matches shown %.1f ms after the key, %d tick frames later; that frame %.3f ms",
                         Date().timeIntervalSince(typedAt) * 1000, ticks, ms))
        }
    }

case "pages":
    let runs = option("--runs", 2_000)
    let total = try directory.userCount()
    let deep = ListQuery(startIndex: max(1, total - 9_999), count: 100)
    let base = "http://127.0.0.1/apis/scim.grafana.app/v0alpha1/namespaces/default"
    var bytes = 0
    for _ in 0..<200 { bytes = try directory.listUserRepresentations(deep, baseURL: base).items.reduce(0) { $0 + $1.count } }
    try measure("deep page (startIndex \(deep.startIndex), 100 users)", runs: runs) {
        _ = try directory.listUserRepresentations(deep, baseURL: base)
    }
    print("  \(bytes) bytes of users per page")
    // Names as `seed` makes them, spread across the table like the wrk scenario's.
    let seeded = min(total, option("--users", 100_000))
    var i = 0
    try measure("userName eq filter", runs: runs * 10) {
        i = (i &+ 7_919) % seeded
        let query = ListQuery(filter: try Filter.parse("userName eq \"user\(i)@example.com\""), count: 100)
        _ = try directory.listUserRepresentations(query, baseURL: base)
    }

case "serve":
    // As `scim-console serve` runs it.
    Endpoint.runTasksOnEventLoops()
    let always = args.firstIndex(of: "--auth").map { args.indices.contains($0 + 1) && args[$0 + 1] == "always" } ?? false
    var authenticator: (any TokenAuthenticator)? = nil
    if always {
        guard let account = try directory.serviceAccounts().accounts.first else {
            FileHandle.standardError.write(Data("serve --auth always needs a service account in the data dir (scim-console token create)\n".utf8))
            exit(2)
        }
        authenticator = AlwaysAccepted(account: account)
    }
    let configuration = EndpointConfiguration(namespace: .org(1), dataDirectory: dataDir)
    // Same toggle as `scim-console serve --enable-scim`: without it every SCIM route is 404.
    if (try? FeatureToggleFile(path: configuration.iniPath).read())?.toggleState(FeatureToggleFile.scimToggle) != .on {
        FileHandle.standardError.write(Data("enableSCIM is off in \(configuration.iniPath); run scim-console serve --enable-scim once first\n".utf8))
        exit(2)
    }
    let endpoint = try Endpoint(directory: directory, configuration: configuration, authenticator: authenticator)
    var logger = Logger(label: "console-bench")
    logger.logLevel = .warning
    let running = try await RunningEndpoint.start(endpoint, host: "127.0.0.1", port: option("--port", 0), logger: logger)
    FileHandle.standardOutput.write(Data("Listening on http://127.0.0.1:\(running.port) (auth: \(always ? "always succeeds" : "token"))\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }

default:
    FileHandle.standardError.write(Data("unknown command \(command)\n".utf8))
    exit(2)
}

/// The benchmark's baseline token check: every bearer is the given account.
struct AlwaysAccepted: TokenAuthenticator {
    let account: ServiceAccount
    func authenticate(bearer: String?) throws -> ServiceAccount { account }
}
