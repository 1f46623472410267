import ArgumentParser
import Directory
import Foundation

/// `scim-console recover`: what can still be read of a damaged database, in a new one.
struct Recover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy what SQLite can still read of a damaged database into a new one that takes its place.",
        discussion: """
            Refuses while the console or serve runs on the data directory, and does nothing when the database \
            and the request log pass SQLite's quick check. The damaged files are kept beside the new ones, named \
            with the time. Rows on damaged pages are lost: restore a backup instead if you have a recent one.
            """)

    @OptionGroup var dataDirectory: DataDirectoryOption

    func run() async throws {
        try await reportingFailures {
            let dir = dataDirectory.resolved
            let path = try dataDirectory.existingDatabase()
            // nil: something serves the data dir; .some(nil): nothing was damaged.
            let outcome: Directory.Recovery??
            do {
                outcome = try ServingLock.unlessServed(dataDirectory: dir) { try Directory.recover(databaseAt: path) }
            } catch let problem as Directory.RecoveryProblem {
                throw Failure("Nothing can be recovered from \(path): \(problem.description); restore the last backup "
                    + "(scim-console restore --from FILE).")
            } catch {
                throw Failure("Cannot recover \(dir): \(Failure.reason(error)). Nothing was changed.")
            }
            guard let outcome else {
                throw Failure("scim-console is serving \(dir) (the console or serve): stop it, then recover.")
            }
            guard let recovery = outcome else {
                print("The database and the request log in \(dir) pass SQLite's quick check: there is nothing to recover.")
                return
            }
            for line in Self.report(recovery) { print(line) }
        }
    }

    static func report(_ r: Directory.Recovery) -> [String] {
        var lines: [String] = []
        if let aside = r.aside {
            func of(_ rows: Directory.Recovery.Rows, _ one: String, _ many: String) -> String {
                let counted = rows.counted.map { " of \($0)" } ?? ""
                return "\(rows.recovered)\(counted) \((rows.counted ?? rows.recovered) == 1 ? one : many)"
            }
            lines.append("Recovered \(of(r.users, "user", "users")), \(of(r.teams, "team", "teams")), "
                + "\(of(r.memberships, "membership", "memberships")) and \(of(r.tokens, "token", "tokens")) into a new database.")
            lines.append("The damaged database is kept as \(aside).")
        }
        if let log = r.requestLog {
            let counted = log.rows.counted.map { " of \($0)" } ?? ""
            lines.append("The request log was damaged: \(log.rows.recovered)\(counted) exchanges were recovered, "
                + "and the damaged log is kept as \(log.aside).")
        }
        lines.append("Check it with scim-console doctor.")
        return lines
    }
}
