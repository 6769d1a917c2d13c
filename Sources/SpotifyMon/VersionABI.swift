import SpotifyMonCore
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) let versionCString: UnsafeMutablePointer<CChar> = try! mallocString(LibraryVersion.string)

/// `const char *smon_version(void)`
@_cdecl("smon_version")
public func smon_version() -> UnsafePointer<CChar> { UnsafePointer(versionCString) }

/// `int smon_version_number(void)`
@_cdecl("smon_version_number")
public func smon_version_number() -> Int32 { Int32(LibraryVersion.number) }

/// `const char *smon_status_string(smon_status)`
@_cdecl("smon_status_string")
public func smon_status_string(_ status: Int32) -> UnsafePointer<CChar> {
    let s = Status(rawValue: status)?.text ?? "unknown status code"
    return UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `const char *smon_last_error(void)`
@_cdecl("smon_last_error")
public func smon_last_error() -> UnsafePointer<CChar> { LastError.get() }

/// `void smon_free(void *p)`
@_cdecl("smon_free")
public func smon_free(_ p: UnsafeMutableRawPointer?) { free(p) }
