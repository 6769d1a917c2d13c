#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr: redrawn in place on a terminal, printed at quarter
/// steps otherwise (so CI logs stay short).
struct ProgressBar {
    let title: String
    let width = 30
    private let isTTY = isatty(2) != 0
    private var lastShown = -1

    init(_ title: String) { self.title = title }

    /// Shows the fraction done, 0...1.
    mutating func update(_ fraction: Double) {
        let f = fraction.isFinite ? Swift.min(Swift.max(fraction, 0), 1) : 0
        let percent = Int(f * 100)
        let step = isTTY ? percent : percent / 25 * 25
        guard step != lastShown else { return }
        lastShown = step
        let filled = Int(f * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let pad = title.rightPadded(24)
        let line = "\(pad) \(bar) \(String(percent).leftPadded(3))%"
        if isTTY {
            fputs("\r\(line)", stderr)
            if percent == 100 { fputs("\n", stderr) }
        } else {
            fputs(line + "\n", stderr)
        }
        fflush(stderr)
    }
}

extension String {
    /// The string left-aligned in a field of `width` characters.
    func rightPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string right-aligned in a field of `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
