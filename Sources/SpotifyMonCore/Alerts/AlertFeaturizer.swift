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
    /// Combined hash of cluster / namespace / region / datacenter values (0: none).
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
    static let team: UInt64 = 0x151b9fd1342b83f4, owner: UInt64 = 0xa3d7fd05d140651c
    static let service: UInt64 = 0x26defef3c50c3d1c, app: UInt64 = 0x6d9aa3d258bc2074
    static let severity: UInt64 = 0xe0c7c2fa7605c16a, alertname: UInt64 = 0xe92523976ddba52a
    static let dependsOn: UInt64 = 0xd41bfca0b103e610, instance: UInt64 = 0xcc9ff502d2ef2d7a
    static let pod: UInt64 = 0xebe628d20f5535c4
    static let maintenance: UInt64 = 0xde6595698b9176f8, silenced: UInt64 = 0xfdc3405712ed7e40
    static let cluster: UInt64 = 0xb7450332d4301285, namespace: UInt64 = 0x57dab18140b56b68
    static let region: UInt64 = 0xdb2fe1769e2c4c85, datacenter: UInt64 = 0xc2f21c36b46841cc
    static let dc: UInt64 = 0x2f7165189cb6f528
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

    /// Calls `body(key, value)` for each `key=value` pair of a `k=v,k=v` text (at most `limit`).
    @inline(__always)
    static func forEachLabel(_ b: UnsafeRawBufferPointer, limit: Int = 32,
                             _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        var start = 0, n = 0
        let count = b.count
        var i = 0
        while i <= count && n < limit {
            if i == count || b[i] == 0x2C {
                if i > start {
                    let item = UnsafeRawBufferPointer(rebasing: b[start..<i])
                    var eq = -1
                    for j in 0..<item.count where item[j] == 0x3D { eq = j; break }
                    if eq > 0 {
                        body(trim(UnsafeRawBufferPointer(rebasing: item[0..<eq])),
                             trim(UnsafeRawBufferPointer(rebasing: item[(eq + 1)...])))
                        n += 1
                    }
                }
                start = i + 1
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

    /// Reads the labels: special keys into `LabelInfo`, every pair as a feature.
    public func labels(_ a: AlertView, into x: FeatureBuffer?, info: inout LabelInfo) {
        var all = FNV1a.basis
        var ctx: UInt64 = 0
        var infoCopy = info
        x?.beginBlock()
        Bytes.forEachLabel(a.labels) { k, v in
            var h = FeatureHash.start(.label)
            for b in k { h = FeatureHash.fold(h, b) }
            var hv = FeatureHash.fold(h, 0x3D)
            for b in v { hv = FeatureHash.fold(hv, b) }
            if h != Keys.dependsOn && h != Keys.instance && h != Keys.pod {
                // Topology and instance names are used for grouping, not as features (too specific).
                x?.add(hv, 1, name: "label:" + Bytes.string(k) + "=" + Bytes.string(v))
            }
            all = (all ^ hv) &* FNV1a.prime
            switch h {
            case Keys.team, Keys.owner: infoCopy.owner = v
            case Keys.service, Keys.app: infoCopy.service = v
            case Keys.severity: infoCopy.severity = v
            case Keys.alertname: infoCopy.alertname = v
            case Keys.dependsOn: infoCopy.dependsOn = v
            case Keys.maintenance, Keys.silenced:
                if Bytes.equals(v, "true") || Bytes.equals(v, "1") || Bytes.equals(v, "yes") { infoCopy.maintenance = true }
            case Keys.cluster, Keys.namespace, Keys.region, Keys.datacenter, Keys.dc:
                ctx = FeatureHash.mix(ctx ^ FeatureHash.bytes(.label, v))
            default: break
            }
        }
        x?.endBlock(weight: 1)
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
    public func text(_ a: AlertView, into x: FeatureBuffer) -> UInt64 {
        let msg = UnsafeRawBufferPointer(rebasing: a.message.prefix(maxTextBytes))
        var sketch: UInt64 = 0
        // Words and bigrams.
        x.beginBlock()
        var h = FeatureHash.start(.word)
        var inWord = false, allDigits = true
        var prev: UInt64 = 0
        var words = 0
        var wordStart = 0
        let n = msg.count
        var i = 0
        while i <= n {
            let b: UInt8 = i < n ? msg[i] : 0x20
            if FeatureHash.isWordByte(b) {
                if !inWord { inWord = true; h = FeatureHash.start(.word); allDigits = true; wordStart = i }
                h = FeatureHash.fold(h, b)
                if b < 0x30 || b > 0x39 { allDigits = false }
            } else if inWord {
                inWord = false
                if words < Self.maxWords {
                    if allDigits {
                        x.add(FeatureHash.bucket(.word, -1), 1, name: "word:<number>")
                    } else {
                        x.add(h, 1, name: "word:" + Bytes.string(UnsafeRawBufferPointer(rebasing: msg[wordStart..<i])))
                        sketch |= 1 << (FeatureHash.mix(h) & 63)
                        if prev != 0 {
                            x.add(FeatureHash.mix(prev &* 31 ^ h ^ FeatureHash.start(.bigram)), 1, name: "bigram")
                        }
                        prev = h
                    }
                    words += 1
                }
            }
            i += 1
        }
        if words == 0 { x.add(FeatureHash.bucket(.word, -2), 1, name: "word:<empty message>") }
        x.endBlock(weight: 1.4)
        // Character n-grams over lower-cased bytes (a rolling window of up to 8 bytes).
        if ngram > 0, msg.count >= ngram {
            x.beginBlock()
            let g = ngram
            let last = min(msg.count - g, Self.maxNgrams - 1)
            let mask: UInt64 = g >= 8 ? ~0 : (1 << UInt64(8 * g)) - 1
            let seed = FeatureHash.start(.ngram)
            var window: UInt64 = 0
            for k in 0..<(g - 1) { window = window << 8 | UInt64(FeatureHash.lower(msg[k])) }
            for s in 0...last {
                window = (window << 8 | UInt64(FeatureHash.lower(msg[s + g - 1]))) & mask
                x.add(seed ^ window &* 0x9E37_79B9_7F4A_7C15,
                      1, name: "ngram:" + Bytes.string(UnsafeRawBufferPointer(rebasing: msg[s..<(s + g)])))
            }
            x.endBlock(weight: 0.8)
        }
        return sketch
    }

    /// Metric name, its tokens, source system, service, severity.
    public func categorical(_ a: AlertView, _ info: LabelInfo, into x: FeatureBuffer) {
        x.beginBlock()
        if a.metricName.count > 0 {
            x.add(FeatureHash.bytes(.metric, a.metricName), 1, name: "metric:" + Bytes.string(a.metricName))
            var h = FeatureHash.start(.metricToken)
            var inTok = false
            var toks = 0
            for i in 0...a.metricName.count {
                let b: UInt8 = i < a.metricName.count ? a.metricName[i] : 0x5F
                let word = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
                if word {
                    if !inTok { inTok = true; h = FeatureHash.start(.word) }
                    h = FeatureHash.fold(h, b)
                } else if inTok {
                    inTok = false
                    if toks < 8 {
                        // Metric tokens share the word namespace's hashes, seen through their own rows.
                        x.add(h ^ FeatureHash.start(.metricToken), 1, name: "metric-token")
                        toks += 1
                    }
                }
            }
        } else { x.add(FeatureHash.bucket(.metric, -1), 1, name: "metric:<missing>") }
        if info.alertname.count > 0, a.metricName.count == 0 {
            x.add(FeatureHash.bytes(.alertname, info.alertname), 1, name: "alertname")
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
        let since = s.sinceSeconds < 0 ? -1 : min(24, Int(_log(Double(s.sinceSeconds) + 1) / _log(2)))
        x.add(FeatureHash.bucket(.fpSince, since), 1, name: "history:since-last-log2s=\(since)")
        let fl = min(4, Int(s.flaps.rounded(.down)))
        x.add(FeatureHash.bucket(.fpFlap, fl), 1, name: "history:flaps=\(fl)")
        if s.flaps > 0 { x.add(FeatureHash.bucket(.fpFlap, 100), min(s.flaps, 8) / 4, name: "history:flap-level") }
        let ar = s.autoResolveSeconds < 0 ? -1 : min(20, Int(_log(Double(s.autoResolveSeconds) + 1) / _log(2)))
        x.add(FeatureHash.bucket(.fpAutoResolve, ar), 1, name: "history:auto-resolve-log2s=\(ar)")
        if s.fpFeedback > 0 {
            let conf = min(s.fpFeedback, 5) / 5
            x.add(FeatureHash.bucket(.fpHistory, 1), (s.fpRate * 2 - 1) * conf * 2, name: "history:past-false-positive-rate")
        }
        x.endBlock(weight: 1.2)
    }
}
