/// An ascending sort of doubles that never touches the heap, for hot paths that re-sort a
/// window now and then (the standard library's `sort()` is a stable merge sort that
/// allocates a buffer on every call).
///
/// Introsort: quicksort with a median-of-three pivot, insertion sort below 16 elements, and
/// heapsort when the recursion gets deeper than 2 log2(n), so the worst case stays
/// O(n log n). Not stable (equal doubles are indistinguishable anyway). NaNs must not be
/// present: the order is then unspecified (but the call still terminates).
public enum InPlaceSort {
    /// Sorts `v` ascending in place.
    public static func sort(_ v: UnsafeMutableBufferPointer<Double>) {
        guard v.count > 1, let base = v.baseAddress else { return }
        introsort(base, 0, v.count - 1, depth: 2 * (Int.bitWidth - v.count.leadingZeroBitCount))
    }

    /// Sorts the array's elements ascending in place (no allocation if it is uniquely referenced).
    public static func sort(_ a: inout [Double]) {
        a.withUnsafeMutableBufferPointer { sort($0) }
    }

    static func introsort(_ p: UnsafeMutablePointer<Double>, _ lo: Int, _ hi: Int, depth: Int) {
        var lo = lo, hi = hi, depth = depth
        while hi - lo >= 16 {
            if depth == 0 { heapsort(p + lo, hi - lo + 1); return }
            depth -= 1
            // Median of three into p[lo], p[mid], p[hi] order; pivot p[mid].
            let mid = lo + (hi - lo) / 2
            if p[mid] < p[lo] { p.swapAt(mid, lo) }
            if p[hi] < p[lo] { p.swapAt(hi, lo) }
            if p[hi] < p[mid] { p.swapAt(hi, mid) }
            let pivot = p[mid]
            var i = lo, j = hi
            while i <= j {
                while p[i] < pivot { i += 1 }
                while pivot < p[j] { j -= 1 }
                if i <= j { p.swapAt(i, j); i += 1; j -= 1 }
            }
            // Recurse into the smaller side, loop on the larger (stack depth O(log n)).
            if j - lo < hi - i {
                if lo < j { introsort(p, lo, j, depth: depth) }
                lo = i
            } else {
                if i < hi { introsort(p, i, hi, depth: depth) }
                hi = j
            }
        }
        insertionSort(p, lo, hi)
    }

    static func insertionSort(_ p: UnsafeMutablePointer<Double>, _ lo: Int, _ hi: Int) {
        guard hi > lo else { return }
        for a in (lo + 1)...hi {
            let x = p[a]
            var b = a - 1
            while b >= lo && x < p[b] { p[b + 1] = p[b]; b -= 1 }
            p[b + 1] = x
        }
    }

    static func heapsort(_ p: UnsafeMutablePointer<Double>, _ n: Int) {
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end && p[child] < p[child + 1] { child += 1 }
                if !(p[root] < p[child]) { return }
                p.swapAt(root, child)
                root = child
            }
        }
        var start = n / 2
        while start > 0 { start -= 1; siftDown(start, n) }
        var end = n
        while end > 1 { end -= 1; p.swapAt(0, end); siftDown(0, end) }
    }
}

extension UnsafeMutablePointer where Pointee == Double {
    @inline(__always) fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]; self[i] = self[j]; self[j] = t
    }
}
