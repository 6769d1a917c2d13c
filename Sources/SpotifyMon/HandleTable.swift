import SpotifyMonCore

/// The live handles of one type. A handle is the address of a retained Swift object; every
/// call looks it up here first, so a freed, foreign or wrongly-typed pointer is reported as
/// `SMON_BAD_HANDLE` instead of being dereferenced. The looked-up object is held strongly
/// for the call, so a concurrent `free` cannot pull it away mid-call.
final class HandleTable<Object: AnyObject>: @unchecked Sendable {
    private let lock = ReadWriteLock()
    private var live: [UnsafeMutableRawPointer: Object] = [:]
    let typeName: StaticString

    init(_ typeName: StaticString) { self.typeName = typeName }

    /// Registers `object` and returns its handle.
    func register(_ object: Object) -> OpaquePointer {
        let p = Unmanaged.passUnretained(object).toOpaque()
        lock.withWriteLock { live[p] = object }
        return OpaquePointer(p)
    }

    /// The object behind `handle`, or a failure for NULL or an unknown pointer.
    @inline(__always)
    func get(_ handle: OpaquePointer?) throws -> Object {
        guard let handle else { throw ABIFailure(status: .nullPointer, message: "\(typeName) handle is NULL") }
        let o = lock.withReadLock { live[UnsafeMutableRawPointer(handle)] }
        guard let o else {
            throw ABIFailure(status: .badHandle, message: "not a live \(typeName) handle (freed, foreign or of another type)")
        }
        return o
    }

    /// Unregisters `handle`; false when it was not live.
    @discardableResult
    func remove(_ handle: OpaquePointer?) -> Bool {
        guard let handle else { return false }
        return lock.withWriteLock { live.removeValue(forKey: UnsafeMutableRawPointer(handle)) != nil }
    }
}
