/// A fast 64-bit hash of byte runs, eight bytes per step, for hashed features and table keys
/// (not a checksum, not for adversarial input): each little-endian 8-byte word is xored into
/// the state, which is multiplied by an odd constant and rotated; the last word is zero-padded
/// and the length is folded in at the end. One multiply per eight bytes, where FNV-1a needs one
/// per byte. `lowercased` hashes ASCII letters as lower case ("TEAM" and "team" agree).
public enum WordHash {
    /// The multiplier (odd, so each step is a bijection of the state).
    @usableFromInline static let k: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// One step: xor in a word, multiply, rotate.
    @inlinable @inline(__always)
    static func step(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let m = (h ^ w) &* k
        return m &<< 29 | m &>> 35
    }

    /// ASCII lower-casing of the eight bytes of a word at once (bytes ≥ 0x80 unchanged).
    @inlinable @inline(__always)
    public static func lower(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7 = w & ~high
        let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F // bit 7 set where the byte is ≥ 'A'
        let pastZ = low7 &+ 0x2525_2525_2525_2525 // bit 7 set where the byte is > 'Z'
        let upper = atLeastA & ~pastZ & ~w & high
        return w | upper >> 2
    }

    /// Bit 7 of every byte of `x` that is zero (exact for the lowest zero byte; bytes above a
    /// zero byte may be flagged too).
    @inlinable @inline(__always)
    public static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// The hash of `count` bytes at `p`, continuing from `seed`. `readable` (≥ `count`) is how
    /// many bytes from `p` may be read: with 8 or more readable past the last whole word, the
    /// tail is one (masked) load instead of a few small ones.
    @inlinable @inline(__always)
    public static func hash(_ p: UnsafeRawPointer, count n: Int, readable: Int, seed: UInt64, lowercased: Bool) -> UInt64 {
        var h = seed, i = 0
        while i &+ 8 <= n {
            var w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if lowercased { w = lower(w) }
            h = step(h, w)
            i &+= 8
        }
        let r = n &- i
        if r > 0 {
            var w: UInt64
            if readable &- i >= 8 {
                w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & ((1 &<< UInt64(truncatingIfNeeded: r &* 8)) &- 1)
            } else if r >= 4 {
                // Two overlapping 4-byte loads (the shared bytes agree).
                let lo = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
                let hi = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i &+ r &- 4, as: UInt32.self)))
                w = lo | hi &<< UInt64(truncatingIfNeeded: (r &- 4) &* 8)
            } else {
                // First, middle and last byte (1 to 3 bytes).
                let b0 = UInt64(p.load(fromByteOffset: i, as: UInt8.self))
                let b1 = UInt64(p.load(fromByteOffset: i &+ r >> 1, as: UInt8.self))
                let b2 = UInt64(p.load(fromByteOffset: i &+ r &- 1, as: UInt8.self))
                w = b0 | b1 &<< UInt64(truncatingIfNeeded: (r >> 1) &* 8) | b2 &<< UInt64(truncatingIfNeeded: (r &- 1) &* 8)
            }
            if lowercased { w = lower(w) }
            h = step(h, w)
        }
        return step(h, UInt64(truncatingIfNeeded: n))
    }

    /// The hash of a buffer, continuing from `seed`.
    @inlinable @inline(__always)
    public static func hash(_ b: UnsafeRawBufferPointer, seed: UInt64 = 0x2545_F491_4F6C_DD1D, lowercased: Bool = false) -> UInt64 {
        guard let p = b.baseAddress else { return step(seed, 0) }
        return hash(p, count: b.count, readable: b.count, seed: seed, lowercased: lowercased)
    }

    /// The hash of a string's UTF-8 bytes, continuing from `seed`.
    public static func hash(_ s: String, seed: UInt64 = 0x2545_F491_4F6C_DD1D, lowercased: Bool = false) -> UInt64 {
        var s = s
        return s.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed, lowercased: lowercased) }
    }
}
