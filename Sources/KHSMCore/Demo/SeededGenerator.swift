/// A deterministic xoshiro256** generator, seeded through SplitMix64.
///
/// The same seed produces the same sequence on every platform and Swift
/// version, because every helper below is built from `next()` with integer
/// arithmetic and IEEE 754 basic operations only. The standard library's
/// `Int.random(in:using:)`, `Double.random(in:using:)` and
/// `shuffle(using:)` are avoided on purpose: their algorithms are not part
/// of any stability promise.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose four state words are the first four
    /// outputs of SplitMix64 started at `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        state = (
            Self.splitMix64(&splitMix),
            Self.splitMix64(&splitMix),
            Self.splitMix64(&splitMix),
            Self.splitMix64(&splitMix)
        )
    }

    /// Creates a generator with the given state words, which must not all
    /// be zero.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    /// Creates a generator for one independent stream of `seed`, such as one
    /// month of output, so that streams do not shift when another changes.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        self.init(seed: Self.splitMix64(&mixer))
    }

    /// Advances a SplitMix64 state and returns its next output.
    static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x = x &+ 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// Returns a uniform integer in `0..<bound` by Lemire's multiply-shift
    /// method with rejection, so no value is favoured.
    public mutating func uniformInt(below bound: Int) -> Int {
        precondition(bound > 0, "uniformInt(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// Returns a uniform integer in `range`.
    public mutating func uniformInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + uniformInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// Returns a uniform double in `[0, 1)` with 53 random bits.
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Returns a uniform double in `[lower, upper)`.
    public mutating func uniformDouble(from lower: Double, to upper: Double) -> Double {
        lower + (upper - lower) * uniformDouble()
    }

    /// Returns true with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        uniformDouble() < probability
    }

    /// Returns an index of `weights`, each chosen with probability
    /// proportional to its weight. Weights must be non-negative with a
    /// positive sum.
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        var total = 0.0
        for weight in weights {
            total += weight
        }
        precondition(total > 0, "weightedIndex needs a positive total weight")
        let target = uniformDouble() * total
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() {
            cumulative += weight
            if target < cumulative {
                return index
            }
        }
        // Rounding in the running sum can leave target just above the last
        // cumulative value, so fall back to the last positive weight.
        return weights.lastIndex(where: { $0 > 0 })!
    }

    /// Returns a uniformly chosen element of a non-empty array.
    public mutating func element<T>(of array: [T]) -> T {
        array[uniformInt(below: array.count)]
    }

    /// Shuffles `array` in place with the Fisher-Yates algorithm.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = uniformInt(below: i + 1)
            if i != j {
                array.swapAt(i, j)
            }
        }
    }
}

/// Elementary functions computed with IEEE 754 basic operations only, so
/// that results do not depend on the platform's math library.
enum DemoMath {
    static let ln2 = 0.693147180559945309417232121458176568

    /// Returns e^x for |x| ≤ 700, accurate to a few units in the last place.
    /// The argument is reduced to r = x - k·ln 2 with |r| ≤ ln 2 / 2, e^r is
    /// summed as a Taylor series, and the result is scaled by 2^k exactly.
    static func exp(_ x: Double) -> Double {
        precondition(abs(x) <= 700, "DemoMath.exp supports |x| <= 700, got \(x)")
        let k = (x / ln2).rounded(.toNearestOrEven)
        let r = x - k * ln2
        var term = 1.0
        var sum = 1.0
        // 20 terms leave a remainder below 0.35^21 / 21!, far under 2^-53.
        for n in 1...20 {
            term *= r / Double(n)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }
}
