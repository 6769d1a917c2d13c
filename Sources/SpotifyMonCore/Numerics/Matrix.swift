/// A dense row-major matrix of `Double`: plain data, copied on write like an array.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var cols: Int
    /// Entries, row after row (`rows * cols` of them).
    public var data: [Double]

    /// A `rows × cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.rows = rows; self.cols = cols
        data = [Double](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major data (`data.count == rows * cols`).
    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(data.count == rows * cols, "Matrix: data size does not match shape")
        self.rows = rows; self.cols = cols; self.data = data
    }

    /// The identity of size `n`.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.data[i * n + i] = 1 }
        return m
    }

    /// Entry at row `i`, column `j`.
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { data[i * cols + j] }
        set { data[i * cols + j] = newValue }
    }

    /// A copy of row `i`.
    public func row(_ i: Int) -> [Double] { Array(data[(i * cols)..<((i + 1) * cols)]) }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t.data[j * rows + i] = data[i * cols + j] } }
        return t
    }
}
