import ArgumentParser
import Directory
import Foundation

/// `scim-console token …`: service account tokens for the embedded endpoint.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke service account tokens of the embedded endpoint.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token (and its Admin service account if needed); prints only the token.")

        @OptionGroup var dataDirectory: DataDirectoryOption

        @Option(help: "Service account name.")
        var name: String = "okta-scim"

        @Option(help: "Token name (default: the service account name plus -token, made unique).")
        var tokenName: String?

        @Option(help: "Seconds until the token expires; 0 never.")
        var secondsToLive: Int = 0

        func run() async throws {
            try await reportingFailures {
                let directory = try dataDirectory.openDirectory()
                defer { try? directory.close() }
                do {
                    let account = try directory.serviceAccount(named: name)
                        ?? directory.createServiceAccount(name: name, role: "Admin")
                    let tokenName = try tokenName ?? directory.freeTokenName(serviceAccountID: account.id, base: "\(name)-token")
                    let token = try directory.createToken(serviceAccountID: account.id, name: tokenName,
                                                          secondsToLive: secondsToLive)
                    print(token.key)
                } catch let error as CustomStringConvertible where !(error is Failure) {
                    throw Failure("Cannot create the token: \(error.description)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List service accounts and their tokens (never the keys).")

        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() async throws {
            try await reportingFailures {
                let directory = try dataDirectory.openDirectory(creating: false)
                defer { try? directory.close() }
                let accounts = try directory.serviceAccounts().accounts
                if accounts.isEmpty {
                    print("No service accounts yet. Create a token with: scim-console token create")
                    return
                }
                print("ID\tACCOUNT\tROLE\tTOKEN\tCREATED\tEXPIRES")
                for account in accounts {
                    let tokens = try directory.tokens(serviceAccountID: account.id)
                    if tokens.isEmpty { print("-\t\(account.name)\t\(account.role)\t(no tokens)\t-\t-") }
                    for t in tokens {
                        let expires = t.expires.map { t.hasExpired() ? "expired" : $0.formatted(.iso8601) } ?? "never"
                        print("\(t.id)\t\(account.name)\t\(account.role)\t\(t.name)\t\(t.created.formatted(.iso8601))\t\(expires)")
                    }
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id (see token list).")

        @OptionGroup var dataDirectory: DataDirectoryOption

        @Argument(help: "The token id shown by token list.")
        var id: Int64

        func run() async throws {
            try await reportingFailures {
                let directory = try dataDirectory.openDirectory(creating: false)
                defer { try? directory.close() }
                for account in try directory.serviceAccounts().accounts {
                    if let token = try directory.tokens(serviceAccountID: account.id).first(where: { $0.id == id }) {
                        try directory.deleteToken(serviceAccountID: account.id, tokenID: token.id)
                        print("Revoked token \(token.id) (\(token.name)) of \(account.name).")
                        return
                    }
                }
                throw Failure("No token has id \(id); see scim-console token list.")
            }
        }
    }
}
