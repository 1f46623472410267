import ArgumentParser
import Directory
import Foundation

/// `scim-console backup`: a copy of the data directory's database, taken
/// while it serves.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the data directory's database (users, teams, tokens, settings) to a file, safely while it serves.",
        discussion: "The copy is one consistent moment, taken with SQLite's backup API while the console or serve go on writing. It leaves out the request log. Bring it back with scim-console restore.")

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Option(help: "The file to write (replaced if it exists; mode 0600).")
    var to: String

    func run() async throws {
        try await reportingFailures {
            let destination = (to as NSString).expandingTildeInPath
            let directory = try dataDirectory.openDirectory(creating: false)
            defer { try? directory.close() }
            do { try directory.backup(to: destination) } catch {
                throw Failure("Cannot write the backup to \(destination): \(Failure.reason(error)).")
            }
            let contents: Directory.CopyContents
            do { contents = try Directory.inspectCopy(at: destination) } catch {
                throw Failure("The backup written to \(destination) does not read back: \(Failure.reason(error)).")
            }
            print("Backed up \(Restore.describe(contents)) to \(destination).")
        }
    }
}

/// `scim-console restore`: the database from a backup, in place of the data directory's.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the data directory's database with a backup made by scim-console backup.",
        discussion: "Refuses while the console or serve runs on the data directory. The database it replaces is kept beside it, named with the time.")

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Option(help: "The backup file to restore.")
    var from: String

    func run() async throws {
        try await reportingFailures {
            let source = (from as NSString).expandingTildeInPath
            let dir = dataDirectory.resolved
            guard FileManager.default.fileExists(atPath: source) else { throw Failure("There is no backup at \(source).") }
            guard FileManager.default.fileExists(atPath: dir) else {
                throw Failure("There is no scim-console data directory at \(dir): check --data-dir.")
            }
            let path = (dir as NSString).appendingPathComponent(Directory.fileName)
            let restored: (aside: String, contents: Directory.CopyContents)?
            do {
                // The copy is checked by `restore` before anything is moved.
                restored = try ServingLock.unlessServed(dataDirectory: dir) { try Directory.restore(from: source, into: path) }
            } catch let problem as Directory.CopyProblem {
                throw Failure("\(source) cannot be restored: \(problem.description).")
            } catch {
                throw Failure("Cannot restore into \(dir): \(Failure.reason(error)).")
            }
            guard let restored else {
                throw Failure("scim-console is serving \(dir) (the console or serve): stop it, then restore.")
            }
            print("Restored \(Self.describe(restored.contents)) from \(source). The database it replaced is kept as \(restored.aside).")
        }
    }

    static func describe(_ c: Directory.CopyContents) -> String {
        func n(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
        return "\(n(c.users, "user", "users")), \(n(c.teams, "team", "teams")), \(n(c.memberships, "membership", "memberships")) and \(n(c.tokens, "token", "tokens"))"
    }
}
