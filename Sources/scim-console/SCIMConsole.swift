import ArgumentParser

/// `scim-console`: the Okta → Grafana SCIM console. Run bare, it opens the
/// live console over the embedded endpoint.
@main
struct SCIMConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scim-console",
        abstract: "Provision Grafana users and teams from Okta over SCIM: an embedded Grafana-compatible endpoint and its tools.",
        version: "0.1.0",
        subcommands: [ConsoleCommand.self, SetupCommand.self, Serve.self, Token.self, Users.self, Teams.self, Requests.self, Simulate.self,
                      Backup.self, Restore.self, Recover.self, Doctor.self],
        defaultSubcommand: ConsoleCommand.self)
}
