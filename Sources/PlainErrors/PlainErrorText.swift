import Foundation

/// Why a file or socket operation failed, in a few plain words a person
/// can act on: the meaning of the errno behind it, never Foundation's
/// sentence ("The operation could not be completed…") around it.
public enum PlainErrorText {
    /// The words for `error`: its errno's meaning when it carries one, else its type's name.
    public static func reason(_ error: any Error) -> String {
        if let code = errno(of: error) { return words(errno: code) }
        return "an unexpected error (\(type(of: error)))"
    }

    /// The errno an error carries: a POSIX error, or a Cocoa file error (or what it wraps).
    public static func errno(of error: any Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        if let cocoa = error as? CocoaError {
            if let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? any Error, let code = errno(of: underlying) { return code }
            return errno(cocoaCode: cocoa.code.rawValue)
        }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, let code = errno(of: underlying) { return code }
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        return errno(cocoaCode: ns.code)
    }

    private static func errno(cocoaCode: Int) -> Int32? {
        switch cocoaCode {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return ENOENT
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return EACCES
        case NSFileWriteOutOfSpaceError: return ENOSPC
        case NSFileWriteVolumeReadOnlyError: return EROFS
        case NSFileWriteFileExistsError: return EEXIST
        default: return nil
        }
    }

    /// An errno's meaning, in the words people search for.
    public static func words(errno code: Int32) -> String {
        switch code {
        case ENOENT: return "No such file or directory"
        case EACCES, EPERM: return "Permission denied"
        case ENOSPC, EDQUOT: return "No space left on the disk"
        case EROFS: return "The file system is read-only"
        case EEXIST: return "It already exists"
        case ENOTDIR: return "A part of the path is a file, not a directory"
        case EISDIR: return "It is a directory, not a file"
        case ECONNREFUSED: return "Connection refused"
        case ENAMETOOLONG: return "The name is too long"
        default: return String(cString: strerror(code))
        }
    }
}
