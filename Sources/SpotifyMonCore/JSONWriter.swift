/// A tiny streaming JSON writer for the library's rich outputs (explanations, actions):
/// Foundation stays out of the library, and output is built in one pass.
public struct JSONWriter: Sendable {
    /// The text so far.
    public private(set) var text = ""
    private var needComma: [Bool] = [false]
    private var afterKey = false

    /// An empty writer.
    public init() {}

    /// Writes the separator a new value or key needs.
    private mutating func valuePrefix() {
        if afterKey { afterKey = false; return }
        if needComma[needComma.count - 1] { text += "," }
        needComma[needComma.count - 1] = true
    }

    /// Starts an object (as a value).
    public mutating func beginObject() { valuePrefix(); text += "{"; needComma.append(false) }
    /// Ends an object.
    public mutating func endObject() { needComma.removeLast(); text += "}" }
    /// Starts an array (as a value).
    public mutating func beginArray() { valuePrefix(); text += "["; needComma.append(false) }
    /// Ends an array.
    public mutating func endArray() { needComma.removeLast(); text += "]" }
    /// Writes an object key; the next call writes its value.
    public mutating func key(_ k: String) {
        valuePrefix(); Self.escape(k, into: &text); text += ":"
        afterKey = true
    }

    /// Writes a string value.
    public mutating func string(_ s: String) { valuePrefix(); Self.escape(s, into: &text) }
    /// Writes a number (non-finite numbers are written as null).
    public mutating func number(_ x: Double) {
        valuePrefix()
        if !x.isFinite { text += "null"; return }
        if x == x.rounded(), abs(x) < 1e15 { text += String(Int64(x)) } else { text += "\(x)" }
    }
    /// Writes an integer.
    public mutating func number(_ x: Int) { valuePrefix(); text += String(x) }
    /// Writes a boolean.
    public mutating func bool(_ b: Bool) { valuePrefix(); text += b ? "true" : "false" }
    /// Writes null.
    public mutating func null() { valuePrefix(); text += "null" }
    /// Writes `key: string`.
    public mutating func field(_ k: String, _ v: String) { key(k); string(v) }
    /// Writes `key: number`.
    public mutating func field(_ k: String, _ v: Double) { key(k); number(v) }
    /// Writes `key: integer`.
    public mutating func field(_ k: String, _ v: Int) { key(k); number(v) }
    /// Writes `key: bool`.
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }

    /// Appends `s` as a JSON string literal.
    public static func escape(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else { out.unicodeScalars.append(c) }
            }
        }
        out += "\""
    }
}
