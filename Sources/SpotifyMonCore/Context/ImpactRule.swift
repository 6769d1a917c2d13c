/// One rule of the impact table: a pattern over a metric name or a tag, the category it
/// implies and the weight (0...1) of trouble there.
///
/// Text form, as in `context.impact_rules` (rules separated by `;`, first match wins):
/// `*payment*=revenue:1.0` (glob over the metric name) or `service:checkout*=revenue:0.9`
/// (glob over a tag's value).
public struct ImpactRule: Sendable, Equatable {
    /// The tag the pattern applies to, or nil for the metric name.
    public var tag: String?
    /// A glob: `*` matches any run of characters, the rest matches itself (case-insensitive).
    public var pattern: String
    /// The category.
    public var category: ImpactCategory
    /// The weight in 0...1.
    public var weight: Double

    /// Parses the text form of a whole table.
    public static func parseTable(_ text: String) throws -> [ImpactRule] {
        var rules: [ImpactRule] = []
        for raw in text.split(separator: ";") {
            let item = String(raw).trimmingSpaces
            if item.isEmpty { continue }
            let sides = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            guard sides.count == 2, !sides[0].isEmpty else {
                throw SMONError.config("impact rule \"\(item)\" is not PATTERN=CATEGORY[:WEIGHT]")
            }
            let rhs = sides[1].split(separator: ":").map(String.init)
            guard let cat = ImpactCategory(name: rhs.first ?? "") else {
                throw SMONError.config("impact rule \"\(item)\": unknown category (revenue, user_experience, operational, security)")
            }
            var weight = 1.0
            if rhs.count > 1 {
                guard let w = Double(rhs[1]), w >= 0, w <= 1 else {
                    throw SMONError.config("impact rule \"\(item)\": weight must be a number in 0...1")
                }
                weight = w
            }
            let lhs = sides[0].split(separator: ":", maxSplits: 1).map(String.init)
            if lhs.count == 2 {
                rules.append(ImpactRule(tag: lhs[0], pattern: lhs[1].lowercased(), category: cat, weight: weight))
            } else {
                rules.append(ImpactRule(tag: nil, pattern: lhs[0].lowercased(), category: cat, weight: weight))
            }
        }
        return rules
    }

    /// Whether the rule matches a series.
    public func matches(metric: String, tags: [(name: String, value: String)]) -> Bool {
        matches(lowercasedMetric: tag == nil ? metric.lowercased() : metric, tags: tags)
    }

    /// `matches(metric:tags:)` given the metric name already lower-cased (a table lower-cases
    /// it once for all its rules; a tag rule does not look at it).
    func matches(lowercasedMetric metric: String, tags: [(name: String, value: String)]) -> Bool {
        if let tag {
            guard let v = tags.first(where: { $0.name == tag })?.value else { return false }
            return Glob.matches(pattern, v.lowercased())
        }
        return Glob.matches(pattern, metric)
    }
}

/// Minimal glob matching with `*` only.
enum Glob {
    /// Whether `text` matches `pattern` (bytewise; `*` matches any run of bytes).
    static func matches(_ pattern: String, _ text: String) -> Bool {
        var pattern = pattern, text = text
        // In place over the strings' UTF-8 (native strings are contiguous: no copy).
        return pattern.withUTF8 { p in text.withUTF8 { t in matches(p, t) } }
    }

    /// `matches` over UTF-8 bytes.
    static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] != UInt8(ascii: "*"), p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == UInt8(ascii: "*") { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
