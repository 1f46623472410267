import Foundation

/// Eight bytes in a file beside the database that every process rewrites
/// (with fresh random bytes) after it revokes a token or removes a service
/// account. The endpoint reads them on each request — one `pread`, about a
/// microsecond — and trusts its cached token checks only while they are
/// unchanged, so a `scim-console token revoke` run from another terminal
/// takes effect on the very next request without a database read per request.
///
/// Ordering: the writer commits first, then rewrites the stamp; a reader that
/// sees the new stamp re-checks the database and finds the commit. Random
/// values rather than a counter, so two writers at once cannot both write the
/// same "next" value that a reader already holds.
final class CredentialsEpoch: Sendable {
    /// nil when the file cannot be opened: every read then differs, and every request is checked in the database.
    private let descriptor: Int32?

    init(path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        descriptor = fd >= 0 ? fd : nil
        if let descriptor, lseek(descriptor, 0, SEEK_END) < 8 { Self.write(descriptor) }
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// The stamp now.
    func current() -> UInt64 {
        guard let descriptor else { return UInt64.random(in: .min ... .max) }
        var value: UInt64 = 0
        guard pread(descriptor, &value, 8, 0) == 8 else { return UInt64.random(in: .min ... .max) }
        return value
    }

    /// Tells every process's cache that credentials changed. Call after the change committed.
    func bump() {
        if let descriptor { Self.write(descriptor) }
    }

    private static func write(_ descriptor: Int32) {
        var value = UInt64.random(in: .min ... .max)
        _ = pwrite(descriptor, &value, 8, 0)
    }
}
