/// A series' identity: a metric name and its tags, as Prometheus writes it:
/// `http_latency_ms{service="api",region="eu"}`.
///
/// The canonical text sorts the tags by name, so that `a{x="1",y="2"}` and `a{y="2",x="1"}`
/// are one series.
public struct SeriesKey: Hashable, Sendable {
    /// The metric name.
    public var metric: String
    /// Tags, sorted by name, without duplicates.
    public var tags: [(name: String, value: String)]

    /// A key from its parts (tags are sorted; a repeated name keeps the last value).
    public init(metric: String, tags: [(String, String)] = []) {
        self.metric = metric
        var seen: [String: String] = [:]
        for (k, v) in tags { seen[k] = v }
        self.tags = seen.keys.sorted().map { ($0, seen[$0]!) }
    }

    /// Parses `metric{name="value",...}`, `metric` alone, or `metric{}`.
    ///
    /// Values may contain `\"`, `\\` and `\n` escapes. Throws `SMONError.invalidArgument`
    /// on an empty metric name, a missing brace or quote, or an empty tag name.
    public init(parsing text: String) throws {
        let chars = Array(text.unicodeScalars)
        var i = 0
        var metric = ""
        while i < chars.count, chars[i] != "{" { metric.unicodeScalars.append(chars[i]); i += 1 }
        metric = metric.trimmingSpaces
        if metric.isEmpty { throw SMONError.invalidArgument("series key has an empty metric name: \"\(text.prefix(80))\"") }
        var tags: [(String, String)] = []
        if i < chars.count {
            i += 1 // past "{"
            func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "," { i += 1 } }
            while true {
                skipSpaces()
                guard i < chars.count else { throw SMONError.invalidArgument("series key lacks a closing '}'") }
                if chars[i] == "}" { i += 1; break }
                var name = ""
                while i < chars.count, chars[i] != "=", chars[i] != "}" { name.unicodeScalars.append(chars[i]); i += 1 }
                name = name.trimmingSpaces
                guard i < chars.count, chars[i] == "=", !name.isEmpty else {
                    throw SMONError.invalidArgument("series key has a tag without name=\"value\"")
                }
                i += 1
                guard i < chars.count, chars[i] == "\"" else {
                    throw SMONError.invalidArgument("tag \(name) of a series key lacks an opening quote")
                }
                i += 1
                var value = ""
                var closed = false
                while i < chars.count {
                    let c = chars[i]
                    if c == "\\", i + 1 < chars.count {
                        let n = chars[i + 1]
                        value.unicodeScalars.append(n == "n" ? "\n" : n)
                        i += 2; continue
                    }
                    if c == "\"" { closed = true; i += 1; break }
                    value.unicodeScalars.append(c); i += 1
                }
                if !closed { throw SMONError.invalidArgument("tag \(name) of a series key lacks a closing quote") }
                tags.append((name, value))
            }
            while i < chars.count, chars[i] == " " { i += 1 }
            if i != chars.count { throw SMONError.invalidArgument("series key has text after '}'") }
        }
        self.init(metric: metric, tags: tags)
    }

    /// The value of tag `name`, if present.
    public func tag(_ name: String) -> String? { tags.first { $0.name == name }?.value }

    /// The canonical text: tags sorted, values escaped.
    public var canonical: String {
        if tags.isEmpty { return metric }
        var s = metric + "{"
        for (n, (k, v)) in tags.enumerated() {
            if n > 0 { s += "," }
            s += k + "=\""
            for c in v.unicodeScalars {
                switch c {
                case "\"": s += "\\\""
                case "\\": s += "\\\\"
                case "\n": s += "\\n"
                default: s.unicodeScalars.append(c)
                }
            }
            s += "\""
        }
        return s + "}"
    }

    public static func == (a: SeriesKey, b: SeriesKey) -> Bool { a.canonical == b.canonical }
    public func hash(into h: inout Hasher) { h.combine(canonical) }
}

extension String {
    /// The string without leading and trailing spaces and tabs (Foundation-free).
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
