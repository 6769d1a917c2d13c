#if canImport(Glibc)
import Glibc
#endif

/// The thread-local message behind `smon_last_error()`: a fixed 1 KiB buffer per thread,
/// allocated on a thread's first failure and freed when the thread exits.
enum LastError {
    static let capacity = 1024
    nonisolated(unsafe) static var key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in free(p) }
        return k
    }()

    /// This thread's buffer, allocated on first use (nil only if malloc fails).
    static func buffer() -> UnsafeMutablePointer<CChar>? {
        if let p = pthread_getspecific(key) { return p.assumingMemoryBound(to: CChar.self) }
        guard let raw = calloc(capacity, 1) else { return nil }
        pthread_setspecific(key, raw)
        return raw.assumingMemoryBound(to: CChar.self)
    }

    /// Records `message`, truncated to the buffer at a UTF-8 character boundary.
    static func set(_ message: String) {
        copyString(message, into: buffer(), capacity: capacity)
    }

    /// The current message (empty if none).
    static func get() -> UnsafePointer<CChar> {
        if let b = buffer() { return UnsafePointer(b) }
        return UnsafePointer(emptyMessage)
    }

    nonisolated(unsafe) static let emptyMessage: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        p[0] = 0
        return p
    }()
}
