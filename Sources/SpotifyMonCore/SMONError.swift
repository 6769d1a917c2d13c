/// Every failure the core reports. The ABI layer maps each case to one `smon_status` code
/// and its message to `smon_last_error()`.
public enum SMONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument is out of its domain: NaN where a number is needed, a size of zero, bad text.
    case invalidArgument(String)
    /// An unknown configuration key, or a value that does not parse or is out of range.
    case config(String)
    /// An id, key or name that does not exist.
    case notFound(String)
    /// A limit was reached: too many series, a buffer too small, a size too large.
    case capacity(String)
    /// A snapshot that fails its checksum, version or structure checks.
    case corrupt(String)
    /// A call made in a state where it cannot be served (e.g. predict before fit).
    case state(String)
    /// A numeric routine failed (e.g. a LAPACK error).
    case numeric(String)

    /// The human-readable message.
    public var message: String {
        switch self {
        case .invalidArgument(let m), .config(let m), .notFound(let m), .capacity(let m),
             .corrupt(let m), .state(let m), .numeric(let m):
            return m
        }
    }

    public var description: String { message }
}
