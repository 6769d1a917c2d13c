/// A small, fast, seedable pseudo-random generator (xoshiro256**, Blackman & Vigna).
///
/// Value type: its whole state is four words, so it snapshots and copies exactly.
/// Every engine that needs randomness owns one, seeded from configuration, which makes
/// every result reproducible run to run.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Equatable {
    /// The four state words.
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the generator by expanding `seed` with SplitMix64, as the authors recommend.
    public init(seed: UInt64) {
        var s = seed
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(&s), splitmix(&s), splitmix(&s), splitmix(&s))
    }

    /// Restores a generator from its raw state words (used by snapshots).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) { self.state = state }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// A uniform double in [0, 1).
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in [0, bound) for bound > 0 (Lemire's multiply-shift, tiny bias accepted).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        // High word of bound × random (Lemire). The former `(next() >> 32) &* UInt64(bound) >> 32`
        // parsed as `x &* (bound >> 32)` (shifts bind tighter than &*) and always returned 0.
        guard bound > 0 else { return 0 }
        return Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// A standard normal variate (Box–Muller).
    @inlinable
    public mutating func nextGaussian() -> Double {
        var u = nextUnit()
        if u < 1e-300 { u = 1e-300 }
        let v = nextUnit()
        return (-2.0 * _log(u)).squareRoot() * _cos(2.0 * Double.pi * v)
    }

    public static func == (a: Xoshiro256, b: Xoshiro256) -> Bool {
        a.state.0 == b.state.0 && a.state.1 == b.state.1 && a.state.2 == b.state.2 && a.state.3 == b.state.3
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
