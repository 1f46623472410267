import Foundation

/// Eight bytes in a file beside the database that every process rewrites
/// (with fresh random bytes) after it revokes a token or removes a service
/// account. The endpoint reads them on each request and trusts its cached
/// token checks only while they are unchanged, so a `scim-console token
/// revoke` run from another terminal takes effect on the very next request
/// without a database read per request.
///
/// The stamp is read through a shared memory map of the file: a load, not a
/// system call on every request.
/// Linux keeps one page cache per file, so another process's `pwrite` is in
/// the map as soon as it returns. A read that races a write may see a torn
/// value; it differs from the cached one, so it only costs one extra check
/// in the database. The file is only ever rewritten in place, never cut
/// short (reading a mapped page past the file's end would be a SIGBUS).
///
/// Ordering: the writer commits first, then rewrites the stamp; a reader that
/// sees the new stamp re-checks the database and finds the commit. Random
/// values rather than a counter, so two writers at once cannot both write the
/// same "next" value that a reader already holds.
final class CredentialsEpoch: @unchecked Sendable {
    // @unchecked: `descriptor` and `mapped` are set at init and cleared only by
    // `close`, which `Directory.close` calls after every user of the stamp has stopped.
    /// nil when the file cannot be opened: every read then differs, and every request is checked in the database.
    private var descriptor: Int32?
    /// The file's first eight bytes, mapped read-only; nil when the map failed (the stamp is then read with `pread`).
    private var mapped: UnsafeRawPointer?
    private static let length = 8

    init(path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        descriptor = fd >= 0 ? fd : nil
        guard let descriptor else { mapped = nil; return }
        if lseek(descriptor, 0, SEEK_END) < Self.length { Self.write(descriptor) }
        let map = lseek(descriptor, 0, SEEK_END) >= Self.length
            ? mmap(nil, Self.length, PROT_READ, MAP_SHARED, descriptor, 0) : MAP_FAILED
        mapped = map == MAP_FAILED ? nil : map.map { UnsafeRawPointer($0) }
    }

    deinit { close() }

    /// Unmaps the stamp and closes its file.
    func close() {
        if let mapped { munmap(UnsafeMutableRawPointer(mutating: mapped), Self.length) }
        if let descriptor { Glibc.close(descriptor) }
        mapped = nil
        descriptor = nil
    }

    /// The stamp now.
    func current() -> UInt64 {
        if let mapped {
            return mapped.loadUnaligned(as: UInt64.self)
        }
        guard let descriptor else { return UInt64.random(in: .min ... .max) }
        var value: UInt64 = 0
        guard pread(descriptor, &value, Self.length, 0) == Self.length else { return UInt64.random(in: .min ... .max) }
        return value
    }

    /// Tells every process's cache that credentials changed. Call after the change committed.
    func bump() {
        if let descriptor { Self.write(descriptor) }
    }

    private static func write(_ descriptor: Int32) {
        var value = UInt64.random(in: .min ... .max)
        _ = pwrite(descriptor, &value, length, 0)
    }
}
