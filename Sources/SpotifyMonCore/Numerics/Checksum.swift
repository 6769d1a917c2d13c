/// CRC-32 (IEEE 802.3 polynomial, as zlib computes it): used to seal snapshots.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of `bytes`, continuing from `crc` (start with 0).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return ~c
    }
}

/// FNV-1a, 64-bit: a fast, stable string hash for feature hashing and sharding.
public enum FNV1a {
    /// Offset basis.
    public static let basis: UInt64 = 0xCBF2_9CE4_8422_2325
    /// Prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// Hash of a byte run, continuing from `h`.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer, _ h: UInt64 = basis) -> UInt64 {
        var h = h
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// Hash of a string's UTF-8 bytes.
    @inlinable
    public static func hash(_ s: String, _ h: UInt64 = basis) -> UInt64 {
        var h = h
        for b in s.utf8 { h = (h ^ UInt64(b)) &* prime }
        return h
    }
}
