import ArgumentParser
import ConsoleQueries
import Directory
import Foundation
import Endpoint
import SCIM
import Setup

/// Prints rows as tab-separated columns under a header.
enum TextTable {
    static func print(_ header: [String], _ rows: [[String]]) {
        Swift.print(header.joined(separator: "\t"))
        for row in rows { Swift.print(row.map { $0.isEmpty ? "-" : $0 }.joined(separator: "\t")) }
    }
}

/// `scim-console users …`: the provisioned users, without a terminal.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, deactivate and reactivate provisioned users (through the same Directory operations as SCIM).",
        subcommands: [List.self, Deactivate.self, Activate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Flag(help: "Print the users as SCIM JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let directory = try dataDirectory.openDirectory(creating: false)
                defer { try? directory.close() }
                if json {
                    var all: [JSONValue] = []
                    var start = 1
                    while true {
                        let page = try directory.listUsers(ListQuery(startIndex: start, count: ListQuery.maxCount))
                        all += page.items.map { $0.representation(baseURL: "") }
                        start += page.items.count
                        if page.items.isEmpty || start > page.totalResults { break }
                    }
                    print(JSONCoding.serialize(.array(all), pretty: true))
                    return
                }
                let count = try directory.userCount()
                let users = try directory.browseUsers(Browse(), order: .created, range: 0..<count)
                TextTable.print(["ID", "USERNAME", "DISPLAY NAME", "WORK EMAIL", "ACTIVE", "EXTERNAL ID", "TEAMS"],
                                users.map { [$0.id, $0.userName, $0.displayName, $0.workEmail, $0.active ? "yes" : "no",
                                             $0.externalId, $0.teams.joined(separator: ",")] })
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate a user by userName or id (active becomes false).")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @OptionGroup(title: "On a real Grafana") var grafana: ActOnGrafanaOptions
        @Argument(help: "The user's userName (any case) or id.") var name: String

        func run() async throws {
            try await reportingFailures {
                if let target = try grafana.target() {
                    try await grafana.setActive(false, name: name, on: target, dataDirectory: dataDirectory)
                } else {
                    try setActive(false, name: name, dataDirectory: dataDirectory)
                }
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reactivate a user by userName or id (active becomes true).")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @OptionGroup(title: "On a real Grafana") var grafana: ActOnGrafanaOptions
        @Argument(help: "The user's userName (any case) or id.") var name: String

        func run() async throws {
            try await reportingFailures {
                if let target = try grafana.target() {
                    try await grafana.setActive(true, name: name, on: target, dataDirectory: dataDirectory)
                } else {
                    try setActive(true, name: name, dataDirectory: dataDirectory)
                }
            }
        }
    }

    static func setActive(_ active: Bool, name: String, dataDirectory: DataDirectoryOption) throws {
        let directory = try dataDirectory.openDirectory(creating: false)
        defer { try? directory.close() }
        guard let user = try directory.user(named: name) else {
            throw Failure("No user named \(name); see scim-console users list.")
        }
        if user.active == active {
            print("\(user.userName) is already \(active ? "active" : "inactive").")
            return
        }
        let namespace = SetupProgressStore(directory: directory).savedNamespace() ?? "default"
        try directory.setActiveByHand(active, userID: user.id, scimBasePath: "\(EndpointConfiguration.scimPrefix)/\(namespace)",
                                      origin: "command line")
        print("\(active ? "Reactivated" : "Deactivated") \(user.userName) (\(user.id)). Okta may set it back on its next push.")
    }
}

/// `scim-console teams list`.
struct Teams: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List provisioned teams.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List teams.")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Flag(help: "Print the teams as SCIM JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let directory = try dataDirectory.openDirectory(creating: false)
                defer { try? directory.close() }
                let page = try directory.listGroups(ListQuery(count: ListQuery.maxCount))
                if json {
                    print(JSONCoding.serialize(.array(page.items.map { $0.representation(baseURL: "") }), pretty: true))
                    return
                }
                TextTable.print(["ID", "NAME", "MEMBERS", "EXTERNAL ID"],
                                page.items.map { [$0.id, $0.displayName, String($0.members.count),
                                                  $0.document["externalId"]?.stringValue ?? ""] })
            }
        }
    }
}

/// `scim-console requests list`.
struct Requests: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the request log.", subcommands: [List.self, Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one logged exchange, or print it as a curl command that sends it again.",
            discussion: "With --curl the token is written as $GRAFANA_TOKEN, never as itself: set that variable, then run the command.")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Argument(help: "The request's ID, as requests list shows it.") var id: Int64
        @Flag(help: "Print a curl command that sends the request again.") var curl = false
        @Option(help: "Where the curl command sends it (default: http:// and the Host the request was sent to), e.g. https://grafana.example.com.")
        var base: String?

        func run() async throws {
            try await reportingFailures {
                let directory = try dataDirectory.openDirectory(creating: false)
                defer { try? directory.close() }
                guard let request = try directory.requestLog.entry(id: id) else {
                    throw Failure("There is no request \(id) in the log (it keeps the newest \(directory.requestLog.capacity)): see scim-console requests list.")
                }
                if curl {
                    guard let command = CurlCommand.of(request, base: base) else {
                        throw Failure("Request \(id) has no Host header to send it to: give --base URL.")
                    }
                    print(command)
                    return
                }
                print("\(request.method) \(request.path)\(request.query.isEmpty ? "" : "?" + request.query)")
                for header in request.requestHeaders { print(header) }
                if !request.requestBody.isEmpty { print("\n\(request.requestBody)") }
                let grafana = request.upstreamDuration.map { String(format: " (Grafana %.1f ms)", $0 * 1000) } ?? ""
                print("\n\(request.status) · \(String(format: "%.1f", request.duration * 1000)) ms\(grafana) · \(SCIMDate.format(request.time))")
                if !request.responseHeaderText.isEmpty { print(request.responseHeaderText) }
                if !request.responseBody.isEmpty { print("\n\(request.responseBody)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recent requests, oldest first.")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Flag(help: "Print the requests as JSON, bodies included (already redacted).") var json = false
        @Option(help: "How many of the newest requests.") var limit: Int = 50

        func run() async throws {
            try await reportingFailures {
                let directory = try dataDirectory.openDirectory(creating: false)
                defer { try? directory.close() }
                let requests = try directory.requestLog.recent(limit: max(0, limit)).reversed()
                if json {
                    print(JSONCoding.serialize(.array(requests.map { r in
                        [
                            "id": .number(Double(r.id)), "time": .string(SCIMDate.format(r.time)), "method": .string(r.method),
                            "path": .string(r.path), "query": .string(r.query), "status": .number(Double(r.status)),
                            "durationMs": .number((r.duration * 1_000_000).rounded() / 1000), "client": .string(r.client),
                            "userAgent": .string(r.userAgent), "requestHeaders": .array(r.requestHeaders.map { .string($0) }),
                            "requestBody": .string(r.requestBody), "responseBody": .string(r.responseBody),
                            "resourceId": r.resourceID.map { .string($0) } ?? .null,
                            "upstreamMs": r.upstreamDuration.map { .number(($0 * 1_000_000).rounded() / 1000) } ?? .null,
                        ]
                    }), pretty: true))
                    return
                }
                TextTable.print(["ID", "TIME", "METHOD", "PATH", "STATUS", "MS", "USER AGENT"],
                                requests.map { [String($0.id), SCIMDate.format($0.time), $0.method,
                                                $0.path + ($0.query.isEmpty ? "" : "?" + $0.query), String($0.status),
                                                String(format: "%.1f", $0.duration * 1000), $0.userAgent] })
            }
        }
    }
}
