/// Hashing of byte runs into feature rows: every feature is a (namespace, bytes) pair hashed
/// in place over the caller's UTF-8 (ASCII letters lower-cased, eight bytes per step with
/// `WordHash`), then mapped to one of 2^bits weight rows.
public enum FeatureHash {
    /// Namespaces keep equal text in different fields apart.
    public enum Space: UInt64 {
        case bias = 1, word, bigram, ngram, metricToken, metric, source, service, severity, label, ratio
        case hour, weekday, flags, fpCount, fpSince, fpFlap, fpAutoResolve, fpHistory, alertname, group
    }

    /// The FNV-1a start of a namespace.
    @inline(__always)
    public static func start(_ s: Space) -> UInt64 { (FNV1a.basis ^ s.rawValue) &* FNV1a.prime }

    /// The hash of a byte run in a namespace (ASCII letters lower-cased).
    @inline(__always)
    public static func bytes(_ s: Space, _ p: UnsafeRawBufferPointer) -> UInt64 {
        WordHash.hash(p, seed: start(s), lowercased: true)
    }

    /// The hash of `count` bytes at `p` in a namespace, `readable` bytes being readable from `p`.
    @inline(__always)
    public static func bytes(_ s: Space, _ p: UnsafeRawPointer, count: Int, readable: Int) -> UInt64 {
        WordHash.hash(p, count: count, readable: readable, seed: start(s), lowercased: true)
    }

    /// The hash of a byte run in a namespace (from a String).
    public static func text(_ s: Space, _ t: String) -> UInt64 {
        WordHash.hash(t, seed: start(s), lowercased: true)
    }

    /// The hash of a small integer bucket in a namespace.
    @inline(__always)
    public static func bucket(_ s: Space, _ v: Int) -> UInt64 {
        mix(start(s) ^ UInt64(bitPattern: Int64(v)) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// A final avalanche (splitmix64's).
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Whether a byte continues a word: ASCII letters and digits, and every non-ASCII byte.
    @inline(__always)
    public static func isWordByte(_ b: UInt8) -> Bool {
        // Digits are bits 48-57 of the first 64-byte class, letters bits 1-26 and 33-58 of the second.
        let low: UInt64 = 0x03FF_0000_0000_0000, high: UInt64 = 0x07FF_FFFE_07FF_FFFE
        return b >= 0x80 || ((b < 0x40 ? low : high) &>> UInt64(b & 63)) & 1 != 0
    }
}

/// A sparse feature vector in fixed storage, reused for every alert (no allocation per alert).
/// In explain mode it also records a readable name per feature.
public final class FeatureBuffer {
    /// Row indices.
    public let index: UnsafeMutablePointer<Int32>
    /// Values.
    public let value: UnsafeMutablePointer<Float>
    /// Count, block start, and explain-mode flag (in raw storage: no exclusivity checks on the hot path).
    let state: UnsafeMutablePointer<Int>
    /// Features held.
    public var count: Int { @inline(__always) get { state[0] } }
    /// Room.
    public let capacity: Int
    /// Bits of the row space.
    let shift: UInt64
    /// Names (explain mode only).
    public var names: [String]? {
        didSet { state[2] = names == nil ? 0 : 1 }
    }

    /// Working memory for a message: its first `textCapacity` bytes lower-cased (zero-padded
    /// by 16 bytes), and one bit per byte for word bytes and for digits (see `TextScan`).
    public let text: UnsafeMutableRawPointer
    /// Bit sets over the bytes of `text`: word bytes, digits.
    public let wordBits: UnsafeMutablePointer<UInt64>, digitBits: UnsafeMutablePointer<UInt64>
    /// Message bytes the working memory holds.
    public let textCapacity: Int

    /// A buffer for up to `capacity` features over 2^bits rows, with working memory for the
    /// first `textBytes` bytes of a message.
    public init(capacity: Int, bits: Int, textBytes: Int = 0) {
        self.capacity = capacity
        shift = UInt64(64 - bits)
        index = .allocate(capacity: capacity)
        value = .allocate(capacity: capacity)
        state = .allocate(capacity: 3)
        state.initialize(repeating: 0, count: 3)
        textCapacity = max(0, textBytes)
        text = .allocate(byteCount: textCapacity + 16, alignment: 16)
        text.initializeMemory(as: UInt8.self, repeating: 0, count: textCapacity + 16)
        let words = textCapacity / 64 + 2
        wordBits = .allocate(capacity: words); wordBits.initialize(repeating: 0, count: words)
        digitBits = .allocate(capacity: words); digitBits.initialize(repeating: 0, count: words)
    }

    deinit {
        index.deallocate(); value.deallocate(); state.deallocate()
        text.deallocate(); wordBits.deallocate(); digitBits.deallocate()
    }

    /// Empties the buffer.
    @inline(__always)
    public func reset() { state[0] = 0; state[1] = 0; if state[2] != 0 { names = [] } }

    /// The row of a hash.
    @inline(__always)
    public func row(_ h: UInt64) -> Int32 { Int32(truncatingIfNeeded: (FeatureHash.mix(h) >> shift)) }

    /// The row of a value that is already a product by an odd constant (its top bits are
    /// well mixed): one shift, for the n-grams' rolling windows.
    @inline(__always)
    public func multiplicativeRow(_ product: UInt64) -> Int32 { Int32(truncatingIfNeeded: product >> shift) }

    /// Adds a feature (dropped silently when full).
    @inline(__always)
    public func add(_ h: UInt64, _ v: Float, name: @autoclosure () -> String = "") {
        let c = state[0]
        guard c < capacity else { return }
        index[c] = row(h)
        value[c] = v
        state[0] = c + 1
        if state[2] != 0 { record(name) }
    }

    /// Records a feature's name (explain mode), out of line: the names' string building stays
    /// out of the hot callers' code.
    @inline(never)
    func record(_ name: () -> String) { names!.append(name()) }

    /// Free slots.
    public var room: Int { @inline(__always) get { capacity - state[0] } }

    /// Whether readable names are recorded (explain mode).
    public var explaining: Bool { @inline(__always) get { state[2] != 0 } }

    /// Takes in `n ≤ room` features the caller wrote at `index[count...]` and `value[count...]`
    /// (in explain mode the caller appends their names too).
    @inline(__always)
    public func commit(_ n: Int) { state[0] += n }

    /// Appends `n ≤ room` rows with one value (for replays of saved rows).
    @inline(__always)
    public func append(rows: UnsafePointer<Int32>, count n: Int, value v: Float) {
        let c = state[0]
        (index + c).update(from: rows, count: n)
        (value + c).update(repeating: v, count: n)
        state[0] = c + n
    }

    /// Appends `n ≤ room` rows as one block normalised to `weight`: what adding each with value
    /// 1 between `beginBlock` and `endBlock(weight:)` gives.
    @inline(__always)
    public func appendBlock(rows: UnsafePointer<Int32>, count n: Int, weight: Float) {
        beginBlock()
        append(rows: rows, count: n, value: 1)
        endBlock(weight: weight)
    }

    /// Starts a block of features that `endBlock` normalises together.
    @inline(__always)
    public func beginBlock() { state[1] = state[0] }

    /// Scales the block's values so that its norm is `weight`.
    @inline(__always)
    public func endBlock(weight: Float) {
        let start = state[1], end = state[0]
        let n = end - start
        guard n > 0 else { return }
        let s = weight / Float(n).squareRoot()
        for i in start..<end { value[i] *= s }
    }
}
