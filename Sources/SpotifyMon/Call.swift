import SpotifyMonCore

/// A failure at the boundary, with its status and message.
struct ABIFailure: Error {
    let status: Status
    let message: String
}

/// Runs the body of an exported function: a thrown core error or boundary failure becomes
/// its status code, with the message (prefixed by the function name) in `smon_last_error()`.
@inline(__always)
func abiCall(_ function: StaticString, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return Status.ok.rawValue
    } catch let e as SMONError {
        return fail(function, Status(e), e.message)
    } catch let e as ABIFailure {
        return fail(function, e.status, e.message)
    } catch let e as LinearAlgebra.Failure {
        return fail(function, .numeric, "\(e)")
    } catch {
        return fail(function, .internal, "\(error)")
    }
}

/// Records a failure and returns its status code.
func fail(_ function: StaticString, _ status: Status, _ message: String) -> Int32 {
    LastError.set("\(function): \(message)")
    return status.rawValue
}

/// Boundary checks, each throwing an `ABIFailure` with a clear message.
enum Check {
    /// A non-null pointer argument.
    @inline(__always)
    static func notNull<P>(_ p: P?, _ name: StaticString) throws -> P {
        guard let p else { throw ABIFailure(status: .nullPointer, message: "\(name) is NULL") }
        return p
    }

    /// A NUL-terminated, valid UTF-8 C string of at most `maxBytes` bytes.
    static func string(_ p: UnsafePointer<CChar>?, _ name: StaticString, maxBytes: Int = 1 << 20) throws -> String {
        let p = try notNull(p, name)
        let n = strnlenBounded(p, maxBytes + 1)
        guard n <= maxBytes else {
            throw ABIFailure(status: .invalidArgument, message: "\(name) is longer than \(maxBytes) bytes")
        }
        guard let s = String(validatingCString: p) else {
            throw ABIFailure(status: .invalidArgument, message: "\(name) is not valid UTF-8")
        }
        return s
    }

    /// An optional string: NULL gives nil.
    static func optionalString(_ p: UnsafePointer<CChar>?, _ name: StaticString, maxBytes: Int = 1 << 20) throws -> String? {
        guard p != nil else { return nil }
        return try string(p, name, maxBytes: maxBytes)
    }

    /// A finite number.
    @inline(__always)
    static func finite(_ x: Double, _ name: StaticString) throws -> Double {
        guard x.isFinite else { throw ABIFailure(status: .invalidArgument, message: "\(name) is \(x), not a finite number") }
        return x
    }

    /// A count in `1...max`.
    @inline(__always)
    static func count(_ n: Int, _ name: StaticString, max: Int) throws -> Int {
        guard n >= 1 else { throw ABIFailure(status: .invalidArgument, message: "\(name) is 0") }
        guard n <= max else { throw ABIFailure(status: .capacity, message: "\(name) = \(n) exceeds the limit \(max)") }
        return n
    }

    /// Length of a C string, looking at no more than `limit` bytes.
    static func strnlenBounded(_ p: UnsafePointer<CChar>, _ limit: Int) -> Int {
        var i = 0
        while i < limit, p[i] != 0 { i += 1 }
        return i
    }
}

/// Copies `s` into a new malloc'd NUL-terminated buffer the caller frees with `smon_free`.
func mallocString(_ s: String) throws -> UnsafeMutablePointer<CChar> {
    let utf8 = Array(s.utf8)
    guard let raw = malloc(utf8.count + 1) else { throw ABIFailure(status: .outOfMemory, message: "malloc failed") }
    let p = raw.assumingMemoryBound(to: CChar.self)
    for (i, b) in utf8.enumerated() { p[i] = CChar(bitPattern: b) }
    p[utf8.count] = 0
    return p
}

/// Copies `s` into a caller's buffer of `capacity` bytes (truncating at a character boundary,
/// always NUL-terminated when capacity > 0).
func copyString(_ s: String, into buf: UnsafeMutablePointer<CChar>?, capacity: Int) {
    guard let buf, capacity > 0 else { return }
    var n = 0
    for scalar in s.unicodeScalars {
        if n + UTF8.width(scalar) >= capacity { break }
        UTF8.encode(scalar) { b in buf[n] = CChar(bitPattern: b); n += 1 }
    }
    buf[n] = 0
}

#if canImport(Glibc)
import Glibc
#endif
