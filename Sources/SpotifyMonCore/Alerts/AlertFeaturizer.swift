/// The alert's own history as features see it (replayed exactly by `learn`).
public struct HistoryStats: Sendable, Equatable {
    /// Times fired before this alert.
    public var count: UInt32 = 0
    /// Seconds since it last fired (−1: never).
    public var sinceSeconds: Float = -1
    /// Decayed flap count.
    public var flaps: Float = 0
    /// Typical seconds to auto-resolve (−1: unknown).
    public var autoResolveSeconds: Float = -1
    /// Feedback false-positive rate and how much feedback there was.
    public var fpRate: Float = 0, fpFeedback: Float = 0
    /// Empty history.
    public init() {}
}

/// Context flags computed before featurizing.
public struct ContextFlags: Sendable, Equatable {
    /// Peak hours.
    public var peak = false
    /// A deployment of the service is in progress.
    public var deployment = false
    /// Maintenance window (config or label).
    public var maintenance = false
    /// A business event is running.
    public var businessEvent = false
    /// No flags.
    public init() {}
}

/// What the featurizer found in the labels (ranges into the caller's bytes).
public struct LabelInfo {
    /// `team=` / `owner=` value.
    public var owner = UnsafeRawBufferPointer(start: nil, count: 0)
    /// `service=` value (used when the service field is empty).
    public var service = UnsafeRawBufferPointer(start: nil, count: 0)
    /// `severity=` value (used when severity_raw is empty).
    public var severity = UnsafeRawBufferPointer(start: nil, count: 0)
    /// `alertname=` value.
    public var alertname = UnsafeRawBufferPointer(start: nil, count: 0)
    /// `depends_on=` value (`a|b|c`).
    public var dependsOn = UnsafeRawBufferPointer(start: nil, count: 0)
    /// `maintenance=true` / `silenced=true`.
    public var maintenance = false
    /// Combined hash of cluster / region / datacenter values (0: none): where the alert runs.
    public var context: UInt64 = 0
    /// Hash of every label pair (for derived fingerprints).
    public var all: UInt64 = 0
    /// No labels.
    public init() {}
}

/// Hashes of the label names with a meaning, as `labels` hashes them (namespace `label`,
/// ASCII lower-cased); literals so the hot path does no lazy initialisation. A test checks
/// them against `FeatureHash.text`.
enum Keys {
    static let team: UInt64 = 0xa9c4_3013_2760_2a9b, owner: UInt64 = 0xa489_c79c_d88c_a892
    static let service: UInt64 = 0xb325_fbf4_5cf1_3c66, app: UInt64 = 0xd12c_5b0a_e168_6639
    static let severity: UInt64 = 0x3bb2_f803_4a4e_1c19, alertname: UInt64 = 0x237a_7f67_b0a8_47de
    static let dependsOn: UInt64 = 0xdb1c_851c_2e95_7415, instance: UInt64 = 0x4afd_e06c_fdc0_a5c4
    static let pod: UInt64 = 0x3771_3af4_20ae_ddc0
    static let maintenance: UInt64 = 0xcfb9_057e_8f39_7337, silenced: UInt64 = 0xad07_c1b4_3c52_1072
    static let cluster: UInt64 = 0x5fcb_c98a_239b_1f11, namespace: UInt64 = 0xb1e3_4011_20e4_60ca
    static let region: UInt64 = 0x58f1_fa78_088b_7f21, datacenter: UInt64 = 0xda79_2c77_2d7c_bd3d
    static let dc: UInt64 = 0xa86d_9201_e9bc_5fb4
}

/// Byte-level helpers over non-owning views.
enum Bytes {
    /// Case-insensitive equality with an ASCII literal.
    @inline(__always)
    static func equals(_ b: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        guard b.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<b.count {
            let c = b[i], d = p[i]
            if c != d && (c | 0x20) != (d | 0x20) { return false }
        }
        return true
    }

    /// Case-insensitive prefix test with an ASCII literal.
    @inline(__always)
    static func hasPrefix(_ b: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard b.count >= n else { return false }
        return equals(UnsafeRawBufferPointer(rebasing: b[0..<n]), s)
    }

    /// Trims ASCII spaces.
    @inline(__always)
    static func trim(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 0x20 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 { hi -= 1 }
        return UnsafeRawBufferPointer(rebasing: b[lo..<hi])
    }

    /// The first offset in `from..<end` holding byte `a` or `b` (`end` if none), and whether a
    /// space comes before it; eight bytes per step.
    @inline(__always)
    static func scan(_ p: UnsafeRawPointer, from: Int, end: Int, for a: UInt8, or b: UInt8) -> (at: Int, spaces: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let wa = ones &* UInt64(a), wb = ones &* UInt64(b), ws = ones &* 0x20
        var i = from, spaces: UInt64 = 0
        while i + 8 <= end {
            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let hit = WordHash.zeroBytes(w ^ wa) | WordHash.zeroBytes(w ^ wb)
            let sp = WordHash.zeroBytes(w ^ ws)
            if hit != 0 {
                let k = hit.trailingZeroBitCount >> 3
                spaces |= sp & (1 << UInt64(8 * k) - 1)
                return (i + k, spaces != 0)
            }
            spaces |= sp
            i += 8
        }
        while i < end {
            let c = p.load(fromByteOffset: i, as: UInt8.self)
            if c == a || c == b { return (i, spaces != 0) }
            if c == 0x20 { spaces = 1 }
            i += 1
        }
        return (end, spaces != 0)
    }

    /// Calls `body(key, value)` for each `key=value` pair of a `k=v,k=v` text (at most
    /// `limit`), in one pass over the bytes; items without `=` or with an empty key are skipped.
    @inline(__always)
    static func forEachLabel(_ b: UnsafeRawBufferPointer, limit: Int = 32,
                             _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        guard let base = b.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = b.count
        var start = 0, eq = -1, n = 0, i = 0
        while i <= count && n < limit {
            let c: UInt8 = i < count ? base[i] : 0x2C
            if c == 0x3D && eq < 0 { eq = i }
            else if c == 0x2C {
                if eq > start {
                    body(trim(UnsafeRawBufferPointer(start: base + start, count: eq - start)),
                         trim(UnsafeRawBufferPointer(start: base + eq + 1, count: i - eq - 1)))
                    n += 1
                }
                start = i + 1; eq = -1
            }
            i += 1
        }
    }

    /// Text of a view (repairing invalid UTF-8), at most `max` bytes.
    static func string(_ b: UnsafeRawBufferPointer, max: Int = 256) -> String {
        String(decoding: b.prefix(max), as: UTF8.self)
    }
}

/// Turns one alert into a sparse hashed feature vector: message words, word bigrams and
/// character n-grams; metric-name tokens; categorical fields (source, metric, service,
/// severity, labels); numbers (value/threshold ratio, hour of day, weekday); context flags
/// (peak, deployment, maintenance, business event); and the fingerprint's history (count,
/// time since last, flaps, typical auto-resolve time, past false-positive feedback).
/// Each block is normalised to a fixed norm, so long messages do not drown the rest.
public struct AlertFeaturizer: Sendable {
    /// Character n-gram length (0: none).
    public let ngram: Int
    /// Bytes of message featurized.
    public let maxTextBytes: Int
    /// Most n-grams per message.
    public static let maxNgrams = 96
    /// Most words per message.
    public static let maxWords = 48

    /// A featurizer.
    public init(ngram: Int, maxTextBytes: Int) {
        self.ngram = ngram; self.maxTextBytes = maxTextBytes
    }

    /// Buffer capacity that always suffices.
    public static let capacity = 2 * maxWords + maxNgrams + 32 + 32 + 48
    /// Most rows `text` adds (words and bigrams, n-grams).
    static let maxTextRows = 2 * maxWords + maxNgrams
    /// Norms of the label block and of the words block.
    static let labelWeight: Float = 1, wordWeight: Float = 1.4

    /// The value of each of `m` n-gram features (their block's norm is 0.8).
    @inline(__always)
    static func ngramValue(_ m: Int) -> Float { m > 0 ? 0.8 / Float(m).squareRoot() : 0 }

    /// Reads the labels: special keys into `LabelInfo`, every pair as a feature.
    ///
    /// Splits and hashes eight bytes at a time (the same pairs as `Bytes.forEachLabel`: keys
    /// and values trimmed of spaces, at most 32 pairs, items without `=` or with an empty key
    /// skipped); a pair's hash is its value's hash seeded with its key's.
    public func labels(_ a: AlertView, into x: FeatureBuffer?, info: inout LabelInfo) {
        var all = FNV1a.basis
        var ctx: UInt64 = 0
        var infoCopy = info
        x?.beginBlock()
        if let base = a.labels.baseAddress {
            let count = a.labels.count
            var start = 0, pairs = 0
            while start < count && pairs < 32 {
                let (eq, keySpaces) = Bytes.scan(base, from: start, end: count, for: 0x3D, or: 0x2C)
                guard eq < count, base.load(fromByteOffset: eq, as: UInt8.self) == 0x3D, eq > start else {
                    // No `=` (or an empty key): skip to the next comma.
                    start = (eq < count ? Bytes.scan(base, from: eq, end: count, for: 0x2C, or: 0x2C).at : count) + 1
                    continue
                }
                let (comma, valueSpaces) = Bytes.scan(base, from: eq + 1, end: count, for: 0x2C, or: 0x2C)
                var k = UnsafeRawBufferPointer(start: base + start, count: eq - start)
                var v = UnsafeRawBufferPointer(start: base + eq + 1, count: comma - eq - 1)
                if keySpaces { k = Bytes.trim(k) }
                if valueSpaces { v = Bytes.trim(v) }
                start = comma + 1
                pairs += 1
                let kOff = k.baseAddress! - base, vOff = v.baseAddress! - base
                let hk = FeatureHash.bytes(.label, k.baseAddress!, count: k.count, readable: count - kOff)
                let hv = WordHash.hash(v.baseAddress!, count: v.count, readable: count - vOff, seed: hk ^ 0x3D, lowercased: true)
                if hk != Keys.dependsOn && hk != Keys.instance && hk != Keys.pod {
                    // Topology and instance names are used for grouping, not as features (too specific).
                    x?.add(hv, 1, name: "label:" + Bytes.string(k) + "=" + Bytes.string(v))
                }
                all = (all ^ hv) &* FNV1a.prime
                switch hk {
                case Keys.team, Keys.owner: infoCopy.owner = v
                case Keys.service, Keys.app: infoCopy.service = v
                case Keys.severity: infoCopy.severity = v
                case Keys.alertname: infoCopy.alertname = v
                case Keys.dependsOn: infoCopy.dependsOn = v
                case Keys.maintenance, Keys.silenced:
                    if Bytes.equals(v, "true") || Bytes.equals(v, "1") || Bytes.equals(v, "yes") { infoCopy.maintenance = true }
                case Keys.cluster, Keys.region, Keys.datacenter, Keys.dc:
                    ctx = FeatureHash.mix(ctx ^ FeatureHash.bytes(.label, v))
                default: break
                }
            }
        }
        x?.endBlock(weight: Self.labelWeight)
        infoCopy.context = ctx
        infoCopy.all = all
        info = infoCopy
    }

    /// The service of an alert: its field, else its `service`/`app` label.
    @inline(__always)
    public static func service(_ a: AlertView, _ info: LabelInfo) -> UnsafeRawBufferPointer {
        a.serviceName.count > 0 ? a.serviceName : info.service
    }

    /// The severity word of an alert: its field, else its `severity` label.
    @inline(__always)
    public static func severity(_ a: AlertView, _ info: LabelInfo) -> UnsafeRawBufferPointer {
        a.severityRaw.count > 0 ? a.severityRaw : info.severity
    }

    /// The message's words (hashed), word bigrams and character n-grams; returns a 64-bit
    /// sketch of the words (one bit per word hash, digits-only words skipped) for grouping.
    /// Reads at most `x.textCapacity` bytes (the classifier sizes it to `maxTextBytes`).
    public func text(_ a: AlertView, into x: FeatureBuffer) -> UInt64 {
        textBlocks(a, into: x).sketch
    }

    /// The bytes of the message that `text` reads (its features depend on these alone).
    @inline(__always)
    func textKey(_ a: AlertView, _ x: FeatureBuffer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: a.message.prefix(min(maxTextBytes, x.textCapacity)))
    }

    /// Appends what `textBlocks` appended for a message, from its saved rows.
    @inline(__always)
    func replayText(_ r: TextReplay, rows: UnsafePointer<Int32>, count: Int, into x: FeatureBuffer) {
        x.appendBlock(rows: rows, count: r.wordRows, weight: Self.wordWeight)
        x.append(rows: rows + r.wordRows, count: count - r.wordRows, value: Self.ngramValue(count - r.wordRows))
    }

    /// `text`, also telling how many of the rows it added are the words block (the rest are n-grams).
    func textBlocks(_ a: AlertView, into x: FeatureBuffer) -> TextReplay {
        let msg = UnsafeRawBufferPointer(rebasing: a.message.prefix(maxTextBytes))
        let n = TextScan.prepare(msg, x)
        let t = x.text
        var sketch: UInt64 = 0
        // Words (runs of word bytes) and bigrams.
        x.beginBlock()
        let wordStart = x.count
        let wordSeed = FeatureHash.start(.word), bigramSeed = FeatureHash.start(.bigram)
        var prev: UInt64 = 0
        var words = 0, pos = 0
        while words < Self.maxWords, let (s, e) = TextScan.nextRun(x.wordBits, from: pos, end: n) {
            pos = e
            words += 1
            if TextScan.allSet(x.digitBits, s, e) {
                x.add(FeatureHash.bucket(.word, -1), 1, name: "word:<number>")
                continue
            }
            // The copy is lower-cased already: the same hash as `FeatureHash.bytes(.word, ...)` of the original.
            let h = WordHash.hash(t + s, count: e - s, readable: n + 8 - s, seed: wordSeed, lowercased: false)
            x.add(h, 1, name: "word:" + Bytes.string(UnsafeRawBufferPointer(rebasing: msg[s..<e])))
            sketch |= 1 << (FeatureHash.mix(h) & 63)
            if prev != 0 { x.add(FeatureHash.mix(prev &* 31 ^ h ^ bigramSeed), 1, name: "bigram") }
            prev = h
        }
        if words == 0 { x.add(FeatureHash.bucket(.word, -2), 1, name: "word:<empty message>") }
        x.endBlock(weight: Self.wordWeight)
        let wordRows = x.count - wordStart
        // Character n-grams of the lower-cased copy (one masked load each), written straight
        // into the buffer with the block's normalised value.
        if ngram > 0, n >= ngram {
            let g = ngram
            let m = min(n - g + 1, Self.maxNgrams, x.room)
            let mask: UInt64 = g >= 8 ? ~0 : (1 << UInt64(8 * g)) - 1
            let seed = FeatureHash.start(.ngram)
            let idx = x.index + x.count, val = x.value + x.count
            let v = Self.ngramValue(m)
            for s in 0..<m {
                let w = UInt64(littleEndian: t.loadUnaligned(fromByteOffset: s, as: UInt64.self)) & mask
                idx[s] = x.multiplicativeRow((seed ^ w) &* 0x9E37_79B9_7F4A_7C15)
                val[s] = v
            }
            x.commit(m)
            if x.explaining {
                for s in 0..<m { x.names!.append("ngram:" + Bytes.string(UnsafeRawBufferPointer(rebasing: msg[s..<(s + g)]))) }
            }
        }
        return TextReplay(sketch: sketch, wordRows: wordRows)
    }

    /// Metric name, its tokens, source system, service, severity.
    public func categorical(_ a: AlertView, _ info: LabelInfo, into x: FeatureBuffer) {
        categorical(a, info, metricCache: nil, into: x)
    }

    /// `categorical`, the metric name's rows replayed from `metricCache` when it holds that
    /// name (and kept there when it does not).
    func categorical(_ a: AlertView, _ info: LabelInfo, metricCache: FeatureReplayCache<Bool>?, into x: FeatureBuffer) {
        x.beginBlock()
        if let cache = metricCache, a.metricName.count > 0, !x.explaining, x.room >= Self.maxMetricRows {
            let k = cache.key(a.metricName)
            if let hit = cache.find(a.metricName, k) {
                x.append(rows: hit.rows, count: hit.count, value: 1)
            } else {
                let start = x.count
                metric(a, info, into: x)
                cache.store(a.metricName, k, rows: x.index + start, count: x.count - start, payload: true)
            }
        } else {
            metric(a, info, into: x)
        }
        x.add(a.sourceSystem.count > 0 ? FeatureHash.bytes(.source, a.sourceSystem) : FeatureHash.bucket(.source, -1), 1,
              name: "source:" + Bytes.string(a.sourceSystem))
        let svc = Self.service(a, info)
        x.add(svc.count > 0 ? FeatureHash.bytes(.service, svc) : FeatureHash.bucket(.service, -1), 1,
              name: "service:" + Bytes.string(svc))
        let sev = Self.severity(a, info)
        x.add(sev.count > 0 ? FeatureHash.bytes(.severity, sev) : FeatureHash.bucket(.severity, -1), 1,
              name: "severity:" + Bytes.string(sev))
        x.endBlock(weight: 1.4)
    }

    /// Most rows `metric` adds: the name and up to 8 of its tokens.
    static let maxMetricRows = 9

    /// The metric name and its tokens (the alert name when there is no metric name), each
    /// with value 1 (a part of the categorical block).
    func metric(_ a: AlertView, _ info: LabelInfo, into x: FeatureBuffer) {
        if a.metricName.count > 0 {
            x.add(FeatureHash.bytes(.metric, a.metricName), 1, name: "metric:" + Bytes.string(a.metricName))
            let m = a.metricName, n = m.count
            var inTok = false
            var toks = 0, tokStart = 0
            for i in 0...n {
                let b: UInt8 = i < n ? m[i] : 0x5F
                let word = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
                if word {
                    if !inTok { inTok = true; tokStart = i }
                } else if inTok {
                    inTok = false
                    if toks < 8 {
                        // Metric tokens share the word namespace's hashes, seen through their own rows.
                        let h = FeatureHash.bytes(.word, m.baseAddress! + tokStart, count: i - tokStart, readable: n - tokStart)
                        x.add(h ^ FeatureHash.start(.metricToken), 1, name: "metric-token")
                        toks += 1
                    }
                }
            }
        } else { x.add(FeatureHash.bucket(.metric, -1), 1, name: "metric:<missing>") }
        if info.alertname.count > 0, a.metricName.count == 0 {
            x.add(FeatureHash.bytes(.alertname, info.alertname), 1, name: "alertname")
        }
    }

    /// Value/threshold ratio, time of day, weekday, context flags.
    public func numbers(_ a: AlertView, hour: Int, weekday: Int, flags: ContextFlags, into x: FeatureBuffer) {
        x.beginBlock()
        let r = AlertFeaturizer.ratio(a)
        if let r {
            let l = max(-6.0, min(6.0, _log(max(r, 1e-9)) / _log(2)))
            x.add(FeatureHash.bucket(.ratio, Int((l * 2).rounded(.down))), 1, name: "ratio-bucket:\(Int((l * 2).rounded(.down)))")
            x.add(FeatureHash.bucket(.ratio, 100), Float(l / 3), name: "log2-ratio/3")
        } else {
            x.add(FeatureHash.bucket(.ratio, -100), 1, name: "ratio:<missing>")
        }
        x.add(FeatureHash.bucket(.hour, hour), 1, name: "hour:\(hour)")
        x.add(FeatureHash.bucket(.weekday, weekday), 1, name: "weekday:\(weekday)")
        if flags.peak { x.add(FeatureHash.bucket(.flags, 1), 1, name: "peak-hours") }
        if flags.deployment { x.add(FeatureHash.bucket(.flags, 2), 1, name: "deployment-in-progress") }
        if flags.maintenance { x.add(FeatureHash.bucket(.flags, 3), 1, name: "maintenance-window") }
        if flags.businessEvent { x.add(FeatureHash.bucket(.flags, 4), 1, name: "business-event") }
        x.endBlock(weight: 1.2)
    }

    /// |value / threshold| when both are finite and the threshold is not 0.
    @inline(__always)
    public static func ratio(_ a: AlertView) -> Double? {
        guard a.currentValue.isFinite, a.threshold.isFinite, a.threshold != 0 else { return nil }
        let r = abs(a.currentValue / a.threshold)
        return r.isFinite ? r : nil
    }

    /// The fingerprint's history.
    public func history(_ s: HistoryStats, into x: FeatureBuffer) {
        x.beginBlock()
        let c = s.count == 0 ? 0 : min(12, 1 + Int(32 - s.count.leadingZeroBitCount))
        x.add(FeatureHash.bucket(.fpCount, c), 1, name: "history:fired-log2=\(c)")
        // floor(log2(seconds + 1)): the binary exponent, no logarithm needed.
        let since = s.sinceSeconds < 0 ? -1 : min(24, Int((Double(s.sinceSeconds) + 1).exponent))
        x.add(FeatureHash.bucket(.fpSince, since), 1, name: "history:since-last-log2s=\(since)")
        let fl = min(4, Int(s.flaps.rounded(.down)))
        x.add(FeatureHash.bucket(.fpFlap, fl), 1, name: "history:flaps=\(fl)")
        if s.flaps > 0 { x.add(FeatureHash.bucket(.fpFlap, 100), min(s.flaps, 8) / 4, name: "history:flap-level") }
        let ar = s.autoResolveSeconds < 0 ? -1 : min(20, Int((Double(s.autoResolveSeconds) + 1).exponent))
        x.add(FeatureHash.bucket(.fpAutoResolve, ar), 1, name: "history:auto-resolve-log2s=\(ar)")
        if s.fpFeedback > 0 {
            let conf = min(s.fpFeedback, 5) / 5
            x.add(FeatureHash.bucket(.fpHistory, 1), (s.fpRate * 2 - 1) * conf * 2, name: "history:past-false-positive-rate")
        }
        x.endBlock(weight: 1.2)
    }
}
