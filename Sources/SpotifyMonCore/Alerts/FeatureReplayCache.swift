#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Feature rows (and a small value of the caller's) that the featurizer derived from recently
/// seen byte texts, so that an alert whose labels or message repeat (every notification of
/// one alert carries the same labels, and often the same words) replays them instead of
/// splitting and hashing the text again.
///
/// Direct-mapped over a hash of the text; an entry is used only when its saved bytes equal the
/// text (so a replay is exactly what the featurizer computes), and a miss overwrites it. All
/// storage is allocated once: nothing is allocated per alert. Texts longer than `maxBytes`,
/// and more than `maxRows` rows, are not kept.
final class FeatureReplayCache<Payload> {
    /// One entry's fixed-size part.
    struct Entry {
        /// Hash of the text (0: empty entry).
        var hash: UInt64 = 0
        /// Byte count of the text.
        var length = 0
        /// Feature rows saved.
        var rows = 0
        /// The caller's value.
        var payload: Payload
    }

    /// Where a text's entry is: its hash (never 0) and slot.
    struct Key {
        var hash: UInt64, slot: Int
    }

    /// Entries (a power of two), longest text kept (bytes), most rows kept per entry.
    let capacity: Int, maxBytes: Int, maxRows: Int
    let entries: UnsafeMutablePointer<Entry>
    let rowStore: UnsafeMutablePointer<Int32>
    let byteStore: UnsafeMutableRawPointer

    /// An empty cache of `capacity` entries (rounded up to a power of two); `empty` fills the
    /// unused entries' payloads.
    init(capacity: Int, maxBytes: Int, maxRows: Int, empty: Payload) {
        var c = 1
        while c < max(1, capacity) { c <<= 1 }
        self.capacity = c; self.maxBytes = maxBytes; self.maxRows = maxRows
        entries = .allocate(capacity: c)
        entries.initialize(repeating: Entry(payload: empty), count: c)
        rowStore = .allocate(capacity: c * maxRows)
        rowStore.initialize(repeating: 0, count: c * maxRows)
        byteStore = .allocate(byteCount: c * maxBytes, alignment: 16)
        byteStore.initializeMemory(as: UInt8.self, repeating: 0, count: c * maxBytes)
    }

    deinit { entries.deallocate(); rowStore.deallocate(); byteStore.deallocate() }

    /// The entry a text maps to.
    @inline(__always)
    func key(_ text: UnsafeRawBufferPointer) -> Key {
        let h = WordHash.hash(text) | 1
        return Key(hash: h, slot: Int(truncatingIfNeeded: FeatureHash.mix(h)) & (capacity - 1))
    }

    /// The saved rows and payload of `text`, if its entry holds exactly this text (an empty
    /// text is never kept).
    @inline(__always)
    func find(_ text: UnsafeRawBufferPointer, _ k: Key) -> (rows: UnsafeMutablePointer<Int32>, count: Int, payload: Payload)? {
        let e = entries + k.slot
        guard e.pointee.hash == k.hash, e.pointee.length == text.count, let p = text.baseAddress,
              memcmp(byteStore + k.slot * maxBytes, p, text.count) == 0 else { return nil }
        return (rowStore + k.slot * maxRows, e.pointee.rows, e.pointee.payload)
    }

    /// Keeps `count` rows and a payload for `text` (nothing when it does not fit).
    @inline(__always)
    func store(_ text: UnsafeRawBufferPointer, _ k: Key, rows: UnsafePointer<Int32>, count: Int, payload: Payload) {
        guard text.count <= maxBytes, count >= 0, count <= maxRows, let p = text.baseAddress else { return }
        (byteStore + k.slot * maxBytes).copyMemory(from: p, byteCount: text.count)
        (rowStore + k.slot * maxRows).update(from: rows, count: count)
        entries[k.slot] = Entry(hash: k.hash, length: text.count, rows: count, payload: payload)
    }
}

/// What `AlertFeaturizer.labels` found besides its feature rows, saved for a replay: the
/// `LabelInfo` views as offsets into the label text.
struct LabelReplay {
    /// Offset and count of the owner, service, severity, alertname and depends_on values
    /// (offset −1: not present).
    var owner = (-1, 0), service = (-1, 0), severity = (-1, 0), alertname = (-1, 0), dependsOn = (-1, 0)
    /// `LabelInfo.context`, `.all` and `.maintenance`.
    var context: UInt64 = 0, all: UInt64 = 0, maintenance = false

    /// The offsets of `info`'s views into `text` (nil when a view points elsewhere).
    init?(_ info: LabelInfo, in text: UnsafeRawBufferPointer) {
        guard let o = Self.span(info.owner, text), let s = Self.span(info.service, text),
              let v = Self.span(info.severity, text), let n = Self.span(info.alertname, text),
              let d = Self.span(info.dependsOn, text) else { return nil }
        owner = o; service = s; severity = v; alertname = n; dependsOn = d
        context = info.context; all = info.all; maintenance = info.maintenance
    }

    /// No labels.
    init() {}

    /// Sets in `info` what the labels at `text` told `AlertFeaturizer.labels`.
    @inline(__always)
    func apply(to info: inout LabelInfo, text: UnsafeRawBufferPointer) {
        guard let base = text.baseAddress else { return }
        Self.restore(&info.owner, owner, base); Self.restore(&info.service, service, base)
        Self.restore(&info.severity, severity, base); Self.restore(&info.alertname, alertname, base)
        Self.restore(&info.dependsOn, dependsOn, base)
        if maintenance { info.maintenance = true }
        info.context = context
        info.all = all
    }

    /// Offset and count of a view into `text` (offset −1: no view; nil: a view elsewhere).
    @inline(__always)
    static func span(_ v: UnsafeRawBufferPointer, _ text: UnsafeRawBufferPointer) -> (Int, Int)? {
        guard let p = v.baseAddress else { return (-1, 0) }
        guard let base = text.baseAddress, p >= base, p + v.count <= base + text.count else { return nil }
        return (p - base, v.count)
    }

    /// Sets `v` to the saved view of the text at `base`, if there is one.
    @inline(__always)
    static func restore(_ v: inout UnsafeRawBufferPointer, _ s: (Int, Int), _ base: UnsafeRawPointer) {
        if s.0 >= 0 { v = UnsafeRawBufferPointer(start: base + s.0, count: s.1) }
    }
}

/// What `AlertFeaturizer.text` returned besides its feature rows, saved for a replay.
struct TextReplay {
    /// The word sketch, and how many of the rows are the words block (the rest are n-grams).
    var sketch: UInt64 = 0, wordRows = 0
}
