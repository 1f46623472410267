import ArgumentParser
import Directory
import Foundation

/// `--data-dir`: where the database, the ini file and the admin password live.
/// Default `$XDG_DATA_HOME/scim-console`, else `~/.local/share/scim-console`.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (default: $XDG_DATA_HOME/scim-console or ~/.local/share/scim-console).")
    var path: String?

    var resolved: String {
        if let path { return (path as NSString).expandingTildeInPath }
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return "\(xdg)/scim-console" }
        return "\(NSHomeDirectory())/.local/share/scim-console"
    }

    /// Creates the directory (0700) if needed and opens its database, or
    /// fails with one sentence saying what is wrong. With `creating` false
    /// (commands that only read or change what is there) a data directory
    /// that does not exist is an error: a mistyped path must not look like
    /// an empty directory.
    ///
    /// A database of up to `Directory.checkAtOnceBytes` gets SQLite's quick
    /// check here, and a damaged one is refused; a larger one is checked in
    /// the background when `serving` (it would hold the start too long), and
    /// not at all by a one-shot command.
    func openDirectory(creating: Bool = true, serving: Bool = false) throws -> Directory {
        let dir = resolved
        let fm = FileManager.default
        if !creating { _ = try existingDatabase() }
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure("Cannot create the data directory \(dir): \(Failure.reason(error)). Choose another with --data-dir.")
        }
        guard fm.isWritableFile(atPath: dir) else {
            throw Failure("The data directory \(dir) is not writable. Fix its permissions or choose another with --data-dir.")
        }
        let directory: Directory
        do {
            directory = try Directory(path: (dir as NSString).appendingPathComponent(Directory.fileName))
        } catch {
            throw Failure("Cannot open the database in \(dir): \(StorageErrorText.sentence(error))")
        }
        guard directory.sizeOnDisk <= Directory.checkAtOnceBytes else {
            if serving { directory.checkInBackground() }
            return directory
        }
        do {
            let problems = try directory.quickCheck()
            if problems > 0 { throw Failure(Self.damaged(dir, problems: problems)) }
        } catch let failure as Failure {
            try? directory.close()
            throw failure
        } catch {
            try? directory.close()
            if StorageErrorText.isDamage(error) { throw Failure(Self.damaged(dir, problems: nil)) }
            throw Failure("The database in \(dir) cannot be read: \(StorageErrorText.sentence(error))")
        }
        return directory
    }

    /// The database's path in a data directory that must already exist (a
    /// command that reads or mends what is there); one sentence when it does not.
    func existingDatabase() throws -> String {
        let dir = resolved
        var isFolder: ObjCBool = false
        let database = (dir as NSString).appendingPathComponent(Directory.fileName)
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder), isFolder.boolValue,
              FileManager.default.fileExists(atPath: database)
        else {
            throw Failure("There is no scim-console data directory at \(dir): check --data-dir (the console, serve and setup create one).")
        }
        return database
    }

    static func damaged(_ dir: String, problems: Int?) -> String {
        let found = problems.map { " (SQLite's quick check found \($0) problem\($0 == 1 ? "" : "s"))" } ?? ""
        return "The database in \(dir) is damaged\(found): \(StorageErrorText.damageRemedy)."
    }
}

/// A failure a person can act on: printed as one sentence on stderr, exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// Why `error` happened, in plain words (no Foundation or SQLite text).
    static func reason(_ error: any Error) -> String {
        StorageErrorText.reason(error)
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning a `Failure` into its sentence on stderr and exit
    /// status 1, and any other error (a database's, a file's) into one plain
    /// sentence too: never SQLite's message, a statement or Foundation's text.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("scim-console: \(failure.description)\n".utf8))
            throw ExitCode(1)
        } catch let exit as ExitCode {
            throw exit
        } catch is CancellationError {
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("scim-console: \(StorageErrorText.sentence(error))\n".utf8))
            throw ExitCode(1)
        }
    }
}
