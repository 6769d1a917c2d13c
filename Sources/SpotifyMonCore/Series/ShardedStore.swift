/// Per-series state in flat arrays, split into shards that each have their own mutex.
///
/// Series `id` lives in shard `id % shardCount` at slot `id / shardCount`, so round-robin ids
/// spread evenly and two threads touching different shards never contend. `State` is a plain
/// value type; the store grows a shard's array when a new id arrives, never per event.
public final class ShardedStore<State>: @unchecked Sendable {
    /// One lock and its slice of the states.
    @usableFromInline final class Shard {
        @usableFromInline let lock = Lock()
        @usableFromInline var states: ContiguousArray<State> = []
        /// Temporary doubles for calls made under the lock (grown on demand, never per event).
        @usableFromInline var scratch = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
        deinit { scratch.deallocate() }

        /// At least `count` doubles of scratch memory; call under the lock.
        @usableFromInline func scratch(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            if scratch.count < count {
                scratch.deallocate()
                scratch = .allocate(capacity: Swift.max(count, 2 * scratch.count))
            }
            return UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
        }
    }

    @usableFromInline let shards: [Shard]
    /// Number of shards (a power of two).
    public let shardCount: Int
    @usableFromInline let shift: Int
    @usableFromInline let makeState: (UInt32) -> State

    /// A store with `shardCount` shards (rounded up to a power of two, at least 1);
    /// `makeState(id)` builds the state of a new series.
    public init(shardCount: Int = 64, makeState: @escaping (UInt32) -> State) {
        var n = 1
        while n < shardCount { n <<= 1 }
        self.shardCount = n
        shift = n.trailingZeroBitCount
        shards = (0..<n).map { _ in Shard() }
        self.makeState = makeState
    }

    /// Runs `body` on the state of series `id` under its shard's lock, creating the state
    /// (and those of lower ids in the same shard) when it does not exist yet.
    @inlinable
    public func withState<T>(_ id: UInt32, _ body: (inout State) throws -> T) rethrows -> T {
        let shard = shards[Int(id) & (shardCount - 1)]
        let slot = Int(id) >> shift
        return try shard.lock.withLock {
            if slot >= shard.states.count { grow(shard, to: slot, shardIndex: Int(id) & (shardCount - 1)) }
            return try body(&shard.states[slot])
        }
    }

    /// Like `withState`, with `scratchCount` doubles of the shard's scratch memory for `body`
    /// (uninitialised, valid during the call only): hot paths that need temporary space use
    /// it instead of allocating per call.
    @inlinable
    public func withState<T>(_ id: UInt32, scratch scratchCount: Int,
                             _ body: (inout State, UnsafeMutableBufferPointer<Double>) throws -> T) rethrows -> T {
        let shard = shards[Int(id) & (shardCount - 1)]
        let slot = Int(id) >> shift
        return try shard.lock.withLock {
            if slot >= shard.states.count { grow(shard, to: slot, shardIndex: Int(id) & (shardCount - 1)) }
            return try body(&shard.states[slot], shard.scratch(scratchCount))
        }
    }

    @usableFromInline
    func grow(_ shard: Shard, to slot: Int, shardIndex: Int) {
        // Grow geometrically (reserving count*2 on every call would reallocate on every new id).
        if shard.states.capacity <= slot {
            shard.states.reserveCapacity(Swift.max(slot + 1, shard.states.capacity * 2))
        }
        while shard.states.count <= slot {
            let id = UInt32(shard.states.count << shift | shardIndex)
            shard.states.append(makeState(id))
        }
    }

    /// Runs `body` on every shard's states in turn (each under its lock), with the id of
    /// the first slot's series and the stride between slots. For snapshots and scans.
    public func forEachShard(_ body: (_ shardIndex: Int, inout ContiguousArray<State>) throws -> Void) rethrows {
        for (i, shard) in shards.enumerated() {
            try shard.lock.withLock { try body(i, &shard.states) }
        }
    }

    /// The series id stored at `slot` of shard `shardIndex`.
    @inlinable
    public func id(shard shardIndex: Int, slot: Int) -> UInt32 { UInt32(slot << shift | shardIndex) }

    /// Every stored state paired with its id, in id order (takes each shard's lock).
    public func snapshotStates() -> [(UInt32, State)] {
        var all: [(UInt32, State)] = []
        forEachShard { si, states in
            for (slot, s) in states.enumerated() { all.append((id(shard: si, slot: slot), s)) }
        }
        return all.sorted { $0.0 < $1.0 }
    }

    /// Replaces all states with `items` (id, state). For snapshot restore.
    public func replaceAll(_ items: [(UInt32, State)]) {
        forEachShard { _, states in states.removeAll(keepingCapacity: false) }
        for (id, s) in items.sorted(by: { $0.0 < $1.0 }) {
            withState(id) { $0 = s }
        }
    }
}
