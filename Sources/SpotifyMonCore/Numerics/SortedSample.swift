extension Xoshiro256 {
    /// A uniform sample of `count` distinct indices of `0..<n`, ascending (all of them when
    /// `count >= n`). Draws with replacement and drops repeats (a bitmap of n bits remembers
    /// the draws and lists them in index order), so reading rows by the sample walks the data
    /// forwards, which the hardware prefetcher follows.
    public mutating func sortedSample(from n: Int, count: Int) -> [Int] {
        let want = Swift.max(0, Swift.min(count, n))
        if want == n { return Array(0..<n) }
        var bits = [UInt64](repeating: 0, count: (n + 63) / 64)
        var got = 0
        while got < want {
            let j = nextInt(below: n), mask = UInt64(1) << UInt64(j & 63)
            if bits[j >> 6] & mask == 0 { bits[j >> 6] |= mask; got += 1 }
        }
        var idx: [Int] = []
        idx.reserveCapacity(want)
        for w in 0..<bits.count {
            var b = bits[w]
            while b != 0 { idx.append(w * 64 + b.trailingZeroBitCount); b &= b - 1 }
        }
        return idx
    }
}
