import ArgumentParser
import SpotifyMonCore
#if canImport(Glibc)
import Glibc
#endif

/// `smon classify FILE.jsonl [--learn]`: one alert per line in, one JSON result per alert out.
/// `smon classify --generate N [--seed S]`: writes the labeled generated alert stream as JSONL.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify alerts from JSONL (issue 6), or generate a labeled alert stream.",
        discussion: """
        Input: one JSON object per line with the AlertFeatures fields (alert_id, timestamp, source_system, \
        metric_name, alert_message, severity_raw, current_value, threshold_violated), service_name, labels, \
        optional fingerprint and status (firing/resolved), and optional truth (label_class, label_team, \
        label_false_positive, label_priority, incident_id, time_to_ack_s, time_to_resolve_s). An Alertmanager \
        webhook payload (version 4) on one line is also accepted. Lines {"type":"deployment"|"maintenance", \
        "service":..., "start_ms":..., "end_ms":...} announce windows and produce no output. \
        Output: one JSON object per alert: alert_id, alert_class, priority, priority_score, recommended_team, \
        false_positive_probability, group_id, suppressed, escalation (+ confidence, suppression_reason, sla, \
        impact, context, and escalate_now: earlier suppressed alerts still firing, unresolved, \
        classifier.escalate_persisting_s after they fired, or classifier.escalate_outlived_s after every alert \
        their group paged for resolved). A malformed line yields {"line": N, "error": "..."}.
        """)

    @Argument(help: "JSONL file of alerts (- for standard input).") var file: String?
    @Flag(help: "Prequential: predict each alert first, then learn from its label_* fields.") var learn = false
    @Option(help: "Instead of classifying, write N generated alerts (with truth) as JSONL.") var generate: Int?
    @Option(help: "Seed of the generator.") var seed: UInt64 = 42
    @Option(name: .customLong("set"), help: "Configuration KEY=VALUE (repeatable).") var settings: [String] = []
    @Flag(help: "Print the classifier's statistics (JSON) to standard error at the end.") var stats = false
    @Flag(help: .hidden) var demo = false

    func run() throws {
        if demo {
            for line in try AlertsDemo.run(progress: { _ in }) { print(line) }
            return
        }
        if let n = generate {
            guard n > 0, n <= 50_000_000 else { throw CLIError("smon classify: --generate needs 1...50000000") }
            var g = AlertStreamGenerator(seed: seed)
            var out = OutputBuffer()
            for e in g.generate(alerts: n) { out.line(AlertStreamGenerator.jsonLine(e)) }
            out.flush()
            return
        }
        guard let file else { throw CLIError("smon classify: give a FILE.jsonl (or - for stdin), or --generate N") }
        var config = Configuration()
        for s in settings {
            let kv = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw CLIError("smon classify: --set expects KEY=VALUE, got \(s)") }
            do { try config.set(kv[0], kv[1]) } catch { throw CLIError("smon classify: \(error)") }
        }
        let classifier = try AlertClassifier(config: config)
        guard let fp = file == "-" ? stdin : fopen(file, "r") else { throw CLIError("smon classify: cannot open \(file)") }
        defer { if file != "-" { fclose(fp) } }
        var out = OutputBuffer()
        var linePtr: UnsafeMutablePointer<CChar>?
        var cap = 0
        var lineNo = 0
        var ids = SuppressedIds()
        var sequence: UInt64 = 0 // classify calls so far (see PersistingAlert.sequence)
        while true {
            let n = getline(&linePtr, &cap, fp)
            if n < 0 { break }
            lineNo += 1
            guard let linePtr else { break }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(linePtr).assumingMemoryBound(to: UInt8.self), count: n)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { continue }
            do {
                for item in try AlertDecoding.items(from: try JSONValue.parse(bytes)) {
                    switch item {
                    case .window(let w): classifier.announce(w)
                    case .alert(let r):
                        // Suppressed alerts still firing by this alert's time are escalated with it.
                        var due: [PersistingAlert] = []
                        classifier.dueEscalations(nowMs: r.timestampMs, max: .max) { due.append($0) }
                        let named = due.map { (alertId: ids.id(of: $0.sequence), alert: $0) }
                        let res = classifier.classify(r)
                        if r.resolved { ids.resolved(r) } else if res.suppressed { ids.remember(sequence, r) }
                        sequence &+= 1
                        out.line(classifier.resultJSON(res, alertId: r.alertId, escalations: named))
                        if learn, !r.resolved, !r.feedback.isEmpty { classifier.learn(r, r.feedback) }
                    }
                }
            } catch {
                var j = JSONWriter()
                j.beginObject(); j.field("line", lineNo); j.field("error", "\(error)"); j.endObject()
                out.line(j.text)
            }
        }
        free(linePtr)
        out.flush()
        if stats { fputs(classifier.statsJSON() + "\n", stderr) }
    }
}

/// The ids of suppressed alerts by classify sequence number, for naming their escalations.
/// An alert is escalated only while its fingerprint still fires, so each is forgotten when its
/// fingerprint resolves; memory is bounded by the fingerprints firing, with at most
/// `perFingerprint` suppressed alerts remembered for each (the oldest are dropped first).
struct SuppressedIds {
    static let perFingerprint = 64
    private var idBySequence: [UInt64: String] = [:]
    private var firing: [String: [UInt64]] = [:]

    /// The key of the alert's fingerprint: the source's, or what identifies it without one.
    static func key(_ r: AlertRecord) -> String {
        r.fingerprint.isEmpty ? ([r.metricName, r.serviceName] + r.labels.map { $0.0 + "=" + $0.1 }.sorted()).joined(separator: "\u{1F}")
            : r.fingerprint
    }

    mutating func remember(_ sequence: UInt64, _ r: AlertRecord) {
        let k = Self.key(r)
        var list = firing[k, default: []]
        if list.count >= Self.perFingerprint { idBySequence[list.removeFirst()] = nil }
        list.append(sequence)
        firing[k] = list
        idBySequence[sequence] = r.alertId
    }

    func id(of sequence: UInt64) -> String { idBySequence[sequence] ?? "" }

    /// Forgets the suppressed alerts of a fingerprint that resolved.
    mutating func resolved(_ r: AlertRecord) {
        for s in firing.removeValue(forKey: Self.key(r)) ?? [] { idBySequence[s] = nil }
    }
}

/// Buffered standard output.
struct OutputBuffer {
    var bytes: [UInt8] = []
    mutating func line(_ s: String) {
        bytes.append(contentsOf: s.utf8); bytes.append(0x0A)
        if bytes.count > 1 << 16 { flush() }
    }
    mutating func flush() {
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
        bytes.removeAll(keepingCapacity: true)
        fflush(stdout)
    }
}
