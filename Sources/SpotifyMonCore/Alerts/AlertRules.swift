/// Parsers for the rule-like configuration keys of the classifier.
public enum AlertRules {
    /// `CLASS=word|word;...` → (class, words).
    public static func parseClassRules(_ text: String) throws -> [(cls: String, words: [String])] {
        var out: [(String, [String])] = []
        for raw in text.split(separator: ";") {
            let item = String(raw).trimmingSpaces
            if item.isEmpty { continue }
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw SMONError.config("classifier.class_rules: \"\(item.prefix(80))\" is not CLASS=word|word")
            }
            let words = parts[1].split(separator: "|").map { String($0).trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
            out.append((parts[0], words))
        }
        return out
    }

    /// `SERVICE_GLOB=TEAM;...` → (glob, team).
    public static func parseOwnership(_ text: String) throws -> [(glob: String, team: String)] {
        var out: [(String, String)] = []
        for raw in text.split(separator: ";") {
            let item = String(raw).trimmingSpaces
            if item.isEmpty { continue }
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw SMONError.config("classifier.ownership_rules: \"\(item.prefix(80))\" is not SERVICE_GLOB=TEAM")
            }
            out.append((parts[0].lowercased(), parts[1]))
        }
        return out
    }

    /// Four positive numbers `a,b,c,d` (one per priority P1..P4).
    public static func parseFour(_ text: String, _ key: String) throws -> [Double] {
        let v = text.split(separator: ",").map { Double(String($0).trimmingSpaces) }
        guard v.count == 4, v.allSatisfy({ ($0 ?? -1) > 0 && ($0 ?? .infinity) <= 1e7 }) else {
            throw SMONError.config("\(key): \"\(text.prefix(80))\" is not four numbers in (0, 1e7] (P1,P2,P3,P4)")
        }
        return v.map { $0! }
    }

    /// Whether a lower-cased glob (`*` only) matches lower-cased text.
    public static func glob(_ pattern: String, _ text: String) -> Bool { Glob.matches(pattern, text) }
}
