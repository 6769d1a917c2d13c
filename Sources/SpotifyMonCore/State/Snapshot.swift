/// Binary snapshots of engine state: versioned, length-prefixed and sealed with a CRC-32.
///
/// Layout (little-endian):
/// ```
/// "SMONSNAP" | format version u32 | engine tag u32 | payload length u64 | payload | CRC-32 u32
/// ```
/// The CRC covers everything before it. Readers check magic, version, tag, length and CRC
/// before decoding, and every decode step is bounds-checked, so a corrupt snapshot is an
/// error, never a crash, and never touches the engine it was meant for.
public enum Snapshot {
    /// The current snapshot format version.
    public static let formatVersion: UInt32 = 2
    static let magic: [UInt8] = Array("SMONSNAP".utf8)
    static let headerSize = 8 + 4 + 4 + 8

    /// Four-character engine tags.
    public enum Engine: UInt32, Sendable {
        /// Anomaly detector.
        case detector = 0x4454_4354 // "DTCT"
        /// Alert classifier.
        case classifier = 0x434C_5346 // "CLSF"
        /// Forecaster.
        case forecaster = 0x4643_5354 // "FCST"
        /// Clusterer.
        case clusterer = 0x434C_5354 // "CLST"
    }

    /// Seals `payload` into a complete snapshot for `engine`.
    public static func seal(_ payload: SnapshotWriter, engine: Engine) -> [UInt8] {
        var out = SnapshotWriter()
        out.bytes.reserveCapacity(payload.bytes.count + headerSize + 4)
        out.bytes += magic
        out.write(formatVersion)
        out.write(engine.rawValue)
        out.write(UInt64(payload.bytes.count))
        out.bytes += payload.bytes
        let crc = out.bytes.withUnsafeBytes { CRC32.checksum($0) }
        out.write(crc)
        return out.bytes
    }

    /// Checks a snapshot's envelope and returns a reader over its payload.
    public static func open(_ bytes: UnsafeRawBufferPointer, engine: Engine) throws -> SnapshotReader {
        guard bytes.count >= headerSize + 4 else { throw SMONError.corrupt("snapshot too short (\(bytes.count) bytes)") }
        guard Array(bytes[0..<8]) == magic else { throw SMONError.corrupt("not a spotifymon snapshot (bad magic)") }
        var header = SnapshotReader(Array(bytes[8..<headerSize]))
        let version: UInt32 = try header.read()
        let tag: UInt32 = try header.read()
        let length: UInt64 = try header.read()
        guard version == formatVersion else {
            throw SMONError.corrupt("snapshot format version \(version), this library reads \(formatVersion)")
        }
        guard tag == engine.rawValue else { throw SMONError.corrupt("snapshot belongs to another engine") }
        guard length == UInt64(bytes.count - headerSize - 4) else {
            throw SMONError.corrupt("snapshot length field \(length) does not match its size")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])
        let stored = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
            | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        guard CRC32.checksum(body) == stored else { throw SMONError.corrupt("snapshot checksum mismatch") }
        return SnapshotReader(Array(bytes[headerSize..<(bytes.count - 4)]))
    }

    /// `open` over an array.
    public static func open(_ bytes: [UInt8], engine: Engine) throws -> SnapshotReader {
        try bytes.withUnsafeBytes { try open($0, engine: engine) }
    }
}

/// Types that write themselves into a snapshot and read themselves back exactly.
public protocol SnapshotCodable {
    /// Appends the value's state.
    func encode(to w: inout SnapshotWriter)
    /// Reads a value written by `encode`.
    init(from r: inout SnapshotReader) throws
}

/// Appends little-endian primitives to a byte array.
public struct SnapshotWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends a fixed-width integer.
    public mutating func write<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
    }
    /// Appends a double, bit-exact.
    public mutating func write(_ v: Double) { write(v.bitPattern) }
    /// Appends a bool as one byte.
    public mutating func write(_ v: Bool) { write(UInt8(v ? 1 : 0)) }
    /// Appends a length-prefixed UTF-8 string.
    public mutating func write(_ s: String) {
        let u = Array(s.utf8)
        write(UInt64(u.count)); bytes += u
    }
    /// Appends a length-prefixed array of doubles.
    public mutating func write(_ a: [Double]) {
        write(UInt64(a.count))
        for v in a { write(v) }
    }
    /// Appends a length-prefixed array of fixed-width integers.
    public mutating func write<T: FixedWidthInteger>(_ a: [T]) {
        write(UInt64(a.count))
        for v in a { write(v) }
    }
    /// Appends a nested codable value.
    public mutating func write<T: SnapshotCodable>(_ v: T) { v.encode(to: &self) }
    /// Appends a length-prefixed array of codable values.
    public mutating func write<T: SnapshotCodable>(_ a: [T]) {
        write(UInt64(a.count))
        for v in a { v.encode(to: &self) }
    }
}

/// Reads what `SnapshotWriter` wrote, checking every bound.
public struct SnapshotReader: Sendable {
    let bytes: [UInt8]
    /// Read position.
    public private(set) var offset = 0
    /// The largest element count any array in a snapshot may claim (guards allocation).
    public static let maxCount = 1 << 31

    /// A reader over `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    /// Reads a fixed-width integer.
    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let n = MemoryLayout<T>.size
        guard remaining >= n else { throw SMONError.corrupt("snapshot truncated") }
        var v: T = 0
        for i in 0..<n { v |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        offset += n
        return v
    }
    /// Reads a double.
    public mutating func read(_: Double.Type = Double.self) throws -> Double {
        Double(bitPattern: try read(UInt64.self))
    }
    /// Reads a bool.
    public mutating func read(_: Bool.Type = Bool.self) throws -> Bool {
        let b: UInt8 = try read()
        guard b <= 1 else { throw SMONError.corrupt("snapshot has a bad boolean") }
        return b == 1
    }
    /// Reads an element count and checks it against what is left (each element ≥ `minSize` bytes).
    public mutating func readCount(minSize: Int = 1) throws -> Int {
        let n: UInt64 = try read()
        guard n <= UInt64(Self.maxCount), Int(n) * Swift.max(minSize, 0) <= remaining else {
            throw SMONError.corrupt("snapshot claims \(n) elements, more than it holds")
        }
        return Int(n)
    }
    /// Reads a string.
    public mutating func read(_: String.Type = String.self) throws -> String {
        let n = try readCount()
        defer { offset += n }
        return String(decoding: bytes[offset..<(offset + n)], as: UTF8.self)
    }
    /// Reads an array of doubles.
    public mutating func read(_: [Double].Type = [Double].self) throws -> [Double] {
        let n = try readCount(minSize: 8)
        var a = [Double](); a.reserveCapacity(n)
        for _ in 0..<n { a.append(try read(Double.self)) }
        return a
    }
    /// Reads an array of fixed-width integers.
    public mutating func read<T: FixedWidthInteger>(_: [T].Type = [T].self) throws -> [T] {
        let n = try readCount(minSize: MemoryLayout<T>.size)
        var a = [T](); a.reserveCapacity(n)
        for _ in 0..<n { a.append(try read(T.self)) }
        return a
    }
    /// Reads a nested codable value.
    public mutating func read<T: SnapshotCodable>(_: T.Type = T.self) throws -> T { try T(from: &self) }
    /// Reads an array of codable values.
    public mutating func read<T: SnapshotCodable>(_: [T].Type = [T].self) throws -> [T] {
        let n = try readCount()
        var a = [T](); a.reserveCapacity(n)
        for _ in 0..<n { a.append(try T(from: &self)) }
        return a
    }
    /// Throws unless every byte was consumed.
    public func finish() throws {
        guard remaining == 0 else { throw SMONError.corrupt("snapshot has \(remaining) trailing bytes") }
    }
}

extension SeriesKey: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) { w.write(canonical) }
    public init(from r: inout SnapshotReader) throws {
        let text: String = try r.read()
        do { try self.init(parsing: text) } catch { throw SMONError.corrupt("snapshot holds a bad series key") }
    }
}

extension Xoshiro256: SnapshotCodable {
    public func encode(to w: inout SnapshotWriter) {
        w.write(state.0); w.write(state.1); w.write(state.2); w.write(state.3)
    }
    public init(from r: inout SnapshotReader) throws {
        self.init(state: (try r.read(), try r.read(), try r.read(), try r.read()))
    }
}
