/// Parses the timestamp forms the library accepts into ms since the Unix epoch (UTC):
/// `YYYY-MM-DD HH:MM:SS[.ffffff]`, ISO 8601 (`T` separator, optional `Z` or `±HH:MM`),
/// a bare date `YYYY-MM-DD`, or integer epoch seconds (ms if the number has 13+ digits).
public enum Timestamp {
    /// The time `text` names, or nil when it is none of the accepted forms.
    public static func parseMillis(_ text: some StringProtocol) -> Int64? {
        let b = Array(text.utf8)
        var n = b.count
        while n > 0, b[n - 1] == UInt8(ascii: " ") || b[n - 1] == UInt8(ascii: "\r") { n -= 1 }
        if n == 0 { return nil }
        func digit(_ i: Int) -> Int? {
            guard i < n, b[i] >= 48, b[i] <= 57 else { return nil }
            return Int(b[i] - 48)
        }
        func number(_ i: Int, _ len: Int) -> Int? {
            var v = 0
            for k in 0..<len { guard let d = digit(i + k) else { return nil }; v = v * 10 + d }
            return v
        }
        // Integer epoch (optionally negative).
        let neg = b[0] == UInt8(ascii: "-")
        if (neg ? 1 : 0) < n, (b[(neg ? 1 : 0)..<n]).allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard n - (neg ? 1 : 0) <= 18, let v = Int64(String(decoding: b[0..<n], as: UTF8.self)) else { return nil }
            return n - (neg ? 1 : 0) >= 13 ? v : v * 1000
        }
        guard n >= 10, let y = number(0, 4), b[4] == UInt8(ascii: "-"), let mo = number(5, 2), b[7] == UInt8(ascii: "-"),
              let d = number(8, 2), (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var h = 0, mi = 0, s = 0, fracMs = 0, offsetMin = 0
        var i = 10
        if i < n {
            guard b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "T"), let hh = number(i + 1, 2),
                  i + 3 < n, b[i + 3] == UInt8(ascii: ":"), let mm = number(i + 4, 2) else { return nil }
            h = hh; mi = mm; i += 6
            if i < n, b[i] == UInt8(ascii: ":") {
                guard let ss = number(i + 1, 2) else { return nil }
                s = ss; i += 3
                if i < n, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    var scale = 100, any = false
                    while let dg = digit(i) { fracMs += dg * scale; scale /= 10; i += 1; any = true }
                    if !any { return nil }
                }
            }
            if i < n {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { i += 1 }
                else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
                    guard let oh = number(i + 1, 2) else { return nil }
                    var om = 0
                    var j = i + 3
                    if j < n, b[j] == UInt8(ascii: ":") { j += 1 }
                    if let m2 = number(j, 2) { om = m2; j += 2 }
                    offsetMin = sign * (oh * 60 + om)
                    i = j
                }
            }
            guard i == n, h < 24, mi < 60, s <= 60 else { return nil }
        }
        let days = daysFromCivil(y, mo, d)
        let secs = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offsetMin * 60)
        return secs * 1000 + Int64(fracMs)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
