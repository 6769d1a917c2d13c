#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain pthread mutex.
///
/// Used instead of `Synchronization.Mutex`, which on this toolchain takes priority-inheritance
/// futexes and was about 1000× slower under contention (swiftlang/swift#88440).
public final class Lock: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// A new, unlocked mutex.
    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` while holding the lock.
    @inlinable
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A pthread reader-writer lock, for read-mostly tables (series registry, handle table).
public final class ReadWriteLock: @unchecked Sendable {
    @usableFromInline let rw: UnsafeMutablePointer<pthread_rwlock_t>

    /// A new, unlocked reader-writer lock.
    public init() {
        rw = .allocate(capacity: 1)
        rw.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(rw, nil)
    }

    deinit {
        pthread_rwlock_destroy(rw)
        rw.deallocate()
    }

    /// Runs `body` holding the lock shared.
    @inlinable
    public func withReadLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(rw)
        defer { pthread_rwlock_unlock(rw) }
        return try body()
    }

    /// Runs `body` holding the lock exclusively.
    @inlinable
    public func withWriteLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(rw)
        defer { pthread_rwlock_unlock(rw) }
        return try body()
    }
}
