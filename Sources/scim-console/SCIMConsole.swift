import ArgumentParser

/// `scim-console`: the Okta → Grafana SCIM console. Until the interactive
/// console lands, running it bare serves the embedded endpoint.
@main
struct SCIMConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scim-console",
        abstract: "Provision Grafana users and teams from Okta over SCIM: an embedded Grafana-compatible endpoint and its tools.",
        version: "0.1.0",
        subcommands: [Serve.self, Token.self],
        defaultSubcommand: Serve.self)
}
