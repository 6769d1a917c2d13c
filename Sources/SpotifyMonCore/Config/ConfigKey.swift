/// One configuration key: its name, type, range, default and documentation.
///
/// Engines declare their keys as arrays of `ConfigKey` in their own folder; `ConfigSchema`
/// gathers them, so that `smon_config_set` rejects unknown keys and bad values up front.
public struct ConfigKey: Sendable {
    /// The value's type and domain.
    public enum Kind: Sendable {
        /// A whole number in the range.
        case int(ClosedRange<Int>)
        /// A finite number in the range.
        case double(ClosedRange<Double>)
        /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
        case bool
        /// One of the listed words.
        case choice([String])
        /// A comma-separated subset of the listed words (at least one).
        case set([String])
        /// Free text, checked by a validator.
        case text(@Sendable (String) throws -> Void)
    }

    /// The key, e.g. `detector.threshold`.
    public let name: String
    /// The type and domain.
    public let kind: Kind
    /// The default value, as text.
    public let defaultValue: String
    /// One line of documentation.
    public let doc: String

    /// A key declaration.
    public init(_ name: String, _ kind: Kind, default defaultValue: String, _ doc: String) {
        self.name = name; self.kind = kind; self.defaultValue = defaultValue; self.doc = doc
    }

    /// Checks `value` and returns its normalised text (booleans as `true`/`false`, sets trimmed).
    public func validate(_ value: String) throws -> String {
        let v = value.trimmingSpaces
        switch kind {
        case .int(let range):
            guard let x = Int(v) else { throw SMONError.config("\(name): \"\(value)\" is not a whole number") }
            guard range.contains(x) else {
                throw SMONError.config("\(name): \(x) is outside \(range.lowerBound)...\(range.upperBound)")
            }
            return String(x)
        case .double(let range):
            guard let x = Double(v), x.isFinite else { throw SMONError.config("\(name): \"\(value)\" is not a finite number") }
            guard range.contains(x) else {
                throw SMONError.config("\(name): \(x) is outside \(range.lowerBound)...\(range.upperBound)")
            }
            return v
        case .bool:
            switch v.lowercased() {
            case "true", "1", "yes", "on": return "true"
            case "false", "0", "no", "off": return "false"
            default: throw SMONError.config("\(name): \"\(value)\" is not a boolean (true/false)")
            }
        case .choice(let words):
            guard words.contains(v) else {
                throw SMONError.config("\(name): \"\(value)\" is not one of \(words.joined(separator: ", "))")
            }
            return v
        case .set(let words):
            let parts = v.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            guard !parts.isEmpty else { throw SMONError.config("\(name): needs at least one of \(words.joined(separator: ", "))") }
            for p in parts where !words.contains(p) {
                throw SMONError.config("\(name): \"\(p)\" is not one of \(words.joined(separator: ", "))")
            }
            return parts.joined(separator: ",")
        case .text(let check):
            try check(v)
            return v
        }
    }
}
