/// The byte-level pass over an alert's message, eight bytes per step: it copies the message
/// lower-cased into a `FeatureBuffer`'s working memory and marks, one bit per byte, the word
/// bytes (ASCII letters and digits, and every byte ≥ 0x80, as `FeatureHash.isWordByte`) and
/// the digits, so that words are found by bit scans and n-grams read straight from memory.
enum TextScan {
    /// Copies the first `x.textCapacity` bytes of `msg` into `x.text`, lower-cased and followed
    /// by zeros, and fills `x.wordBits` and `x.digitBits`; returns how many bytes it took.
    @inline(__always)
    static func prepare(_ msg: UnsafeRawBufferPointer, _ x: FeatureBuffer) -> Int {
        let n = min(msg.count, x.textCapacity)
        let t = x.text
        if n > 0 { t.copyMemory(from: msg.baseAddress!, byteCount: n) }
        let chunks = (n + 7) / 8
        // Zeros after the message: the last chunk's tail and one more word (n-gram and hash loads).
        (t + n).initializeMemory(as: UInt8.self, repeating: 0, count: chunks * 8 + 8 - n)
        for c in 0..<chunks {
            let w = WordHash.lower(UInt64(littleEndian: t.load(fromByteOffset: c * 8, as: UInt64.self)))
            t.storeBytes(of: w.littleEndian, toByteOffset: c * 8, as: UInt64.self)
            let (word, digit) = classify(w)
            let shift = UInt64(truncatingIfNeeded: (c & 7) * 8)
            if c & 7 == 0 { x.wordBits[c >> 3] = 0; x.digitBits[c >> 3] = 0 }
            x.wordBits[c >> 3] |= word << shift
            x.digitBits[c >> 3] |= digit << shift
        }
        if chunks & 7 == 0 { x.wordBits[chunks >> 3] = 0; x.digitBits[chunks >> 3] = 0 }
        return n
    }

    /// One bit per byte of a lower-cased word (bit j: byte j): word bytes, and digits.
    @inline(__always)
    static func classify(_ w: UInt64) -> (word: UInt64, digit: UInt64) {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7 = w & ~high
        let ascii = ~w & high
        let letter = (low7 &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(low7 &+ 0x0505_0505_0505_0505) & ascii // 'a'...'z'
        let digit = (low7 &+ 0x5050_5050_5050_5050) & ~(low7 &+ 0x4646_4646_4646_4646) & ascii // '0'...'9'
        return (pack(letter | digit | w & high), pack(digit))
    }

    /// Gathers bit 7 of each byte into the low eight bits.
    @inline(__always)
    static func pack(_ m: UInt64) -> UInt64 { ((m >> 7) &* 0x0102_0408_1020_4080) >> 56 }

    /// The next run of set bits that starts at or after `from` and below `end`: its start and
    /// end (clamped to `end`), or nil.
    @inline(__always)
    static func nextRun(_ bits: UnsafeMutablePointer<UInt64>, from: Int, end: Int) -> (start: Int, end: Int)? {
        var i = from
        while i < end {
            let w = bits[i >> 6] >> UInt64(truncatingIfNeeded: i & 63)
            if w != 0 { i += w.trailingZeroBitCount; break }
            i = (i | 63) + 1
        }
        guard i < end else { return nil }
        let start = i
        while i < end {
            let w = ~bits[i >> 6] >> UInt64(truncatingIfNeeded: i & 63)
            if w != 0 { i += w.trailingZeroBitCount; break }
            i = (i | 63) + 1
        }
        return (start, min(i, end))
    }

    /// Whether every bit in `lo..<hi` is set.
    @inline(__always)
    static func allSet(_ bits: UnsafeMutablePointer<UInt64>, _ lo: Int, _ hi: Int) -> Bool {
        var i = lo
        while i < hi {
            let take = min(64 - (i & 63), hi - i)
            let mask: UInt64 = take == 64 ? ~0 : (1 << UInt64(take)) - 1
            if (bits[i >> 6] >> UInt64(truncatingIfNeeded: i & 63)) & mask != mask { return false }
            i += take
        }
        return true
    }
}
