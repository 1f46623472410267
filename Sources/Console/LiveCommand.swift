import TerminalUI

/// A `:` command of the live pane.
enum LiveCommand: Equatable {
    case tab(LiveTab)
    case deactivate(String)
    case activate(String)
    case quit
    case help

    static let usage = ":users, :teams, :requests, :deactivate NAME, :activate NAME, :help, :q"

    /// The verbs Tab completes.
    static let verbs = ["users", "teams", "requests", "deactivate", "activate", "help", "quit"]

    /// The commands as the help lists them.
    static func help(readOnly: Bool) -> [KeyBinding] {
        [KeyBinding(":users :teams :requests", "switch tab")]
            + (readOnly ? [] : [KeyBinding(":deactivate NAME", "deactivate a user: a unique part of a userName, name or email"),
                                KeyBinding(":activate NAME", "reactivate a user")])
            + [KeyBinding(":help", "this help"), KeyBinding(":q", "quit")]
    }

    /// Parses a command line (without the colon); nil when it is not a command.
    static func parse(_ line: String) -> LiveCommand? {
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = parts.first?.lowercased() else { return nil }
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch verb {
        case "users", "user", "u": return .tab(.users)
        case "teams", "team", "groups", "t": return .tab(.teams)
        case "requests", "request", "r", "log": return .tab(.requests)
        case "deactivate": return argument.isEmpty ? nil : .deactivate(argument)
        case "activate", "reactivate": return argument.isEmpty ? nil : .activate(argument)
        case "q", "quit", "exit": return .quit
        case "help", "h", "?": return .help
        default: return nil
        }
    }
}

import Foundation

/// The live pane's three tabs.
public enum LiveTab: Int, CaseIterable, Sendable {
    case users, teams, requests

    var title: String {
        switch self {
        case .users: return "Users"
        case .teams: return "Teams"
        case .requests: return "Requests"
        }
    }
}
