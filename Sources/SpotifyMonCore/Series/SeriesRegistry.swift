/// Interns series keys to compact ids 0, 1, 2, ... for the life of an engine.
///
/// Lookups take a shared lock, so many threads resolve ids at once; a new key takes the
/// lock exclusively once. Hosts resolve a key once and then use the id on the hot path.
public final class SeriesRegistry: @unchecked Sendable {
    private let lock = ReadWriteLock()
    private var ids: [String: UInt32] = [:]
    private var keys: [SeriesKey] = []
    /// The most series this registry will hold.
    public let capacity: Int

    /// A registry for at most `capacity` series.
    public init(capacity: Int) { self.capacity = capacity }

    /// Number of series interned.
    public var count: Int { lock.withReadLock { keys.count } }

    /// The id of `text` (a Prometheus-style key), interning it if new.
    /// - Returns: the id and whether the series is new.
    public func intern(_ text: String) throws -> (id: UInt32, isNew: Bool) {
        if let id = lock.withReadLock({ ids[text] }) { return (id, false) }
        let key = try SeriesKey(parsing: text)
        let canonical = key.canonical
        return try lock.withWriteLock {
            if let id = ids[canonical] { ids[text] = id; return (id, false) }
            guard keys.count < capacity else {
                throw SMONError.capacity("series limit \(capacity) reached (config key series.max)")
            }
            let id = UInt32(keys.count)
            keys.append(key)
            ids[canonical] = id
            if text != canonical { ids[text] = id }
            return (id, true)
        }
    }

    /// The key of series `id`, or nil for an unknown id.
    public func key(_ id: UInt32) -> SeriesKey? {
        lock.withReadLock { Int(id) < keys.count ? keys[Int(id)] : nil }
    }

    /// Whether `id` names an interned series.
    @inlinable
    public func contains(_ id: UInt32) -> Bool { Int(id) < count }

    /// All keys in id order (for snapshots).
    public var allKeys: [SeriesKey] { lock.withReadLock { keys } }

    /// Replaces the contents with `keys` (ids are their positions). For snapshot restore.
    public func replace(with newKeys: [SeriesKey]) {
        lock.withWriteLock {
            keys = newKeys
            ids = [:]
            for (i, k) in newKeys.enumerated() { ids[k.canonical] = UInt32(i) }
        }
    }
}
