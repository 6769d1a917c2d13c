import SpotifyMonCore

/// The `smon_status` codes of `Include/spotifymon.h`, one to one.
enum Status: Int32 {
    case ok = 0
    case invalidArgument = 1
    case nullPointer = 2
    case badHandle = 3
    case config = 4
    case notFound = 5
    case capacity = 6
    case corrupt = 7
    case state = 8
    case numeric = 9
    case outOfMemory = 10
    case `internal` = 11

    /// The status of a core error.
    init(_ e: SMONError) {
        switch e {
        case .invalidArgument: self = .invalidArgument
        case .config: self = .config
        case .notFound: self = .notFound
        case .capacity: self = .capacity
        case .corrupt: self = .corrupt
        case .state: self = .state
        case .numeric: self = .numeric
        }
    }

    /// The fixed text of `smon_status_string`.
    var text: StaticString {
        switch self {
        case .ok: return "ok"
        case .invalidArgument: return "invalid argument"
        case .nullPointer: return "null pointer"
        case .badHandle: return "bad handle (freed, foreign or of another type)"
        case .config: return "configuration error"
        case .notFound: return "not found"
        case .capacity: return "capacity exceeded"
        case .corrupt: return "corrupt snapshot"
        case .state: return "wrong state for this call"
        case .numeric: return "numeric failure"
        case .outOfMemory: return "out of memory"
        case .internal: return "internal error"
        }
    }
}
