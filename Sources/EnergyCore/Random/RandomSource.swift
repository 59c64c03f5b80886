import CGSL
import CSparseKernels

/// The one source of randomness in the toolkit: a seedable GSL generator (`gsl_rng`).
///
/// Every stochastic step (Gibbs sampling, shuffles, asynchronous update orders, Metropolis moves)
/// draws from a `RandomSource`, so a run is reproduced exactly by its algorithm name and seed.
/// The default algorithm is the Mersenne Twister, `mt19937` (Matsumoto & Nishimura 1998).
///
/// A `RandomSource` is not thread-safe; for parallel work, `fork(_:)` gives each worker its own
/// independent stream derived deterministically from this one.
public final class RandomSource {
    /// The underlying GSL generator, for passing to GSL routines (e.g. `gsl_siman_solve`).
    public let generator: UnsafeMutablePointer<gsl_rng>
    /// The GSL algorithm name, e.g. `mt19937`.
    public let algorithm: String
    /// The seed the generator was started from.
    public let seed: UInt64

    /// The name of the default algorithm.
    public static let defaultAlgorithm = "mt19937"

    /// Every generator name GSL provides (`gsl_rng_types_setup`).
    public static var algorithms: [String] {
        var names: [String] = []
        var p = ebm_rng_all_types()!
        while let t = p.pointee {
            names.append(String(cString: t.pointee.name))
            p += 1
        }
        return names
    }

    /// A generator of the named GSL algorithm, seeded with `seed` (`gsl_rng_alloc`, `gsl_rng_set`).
    ///
    /// Seeds are reduced to the generator's seed width (32 bits for `mt19937`); GSL maps seed 0
    /// to the algorithm's default seed.
    ///
    /// - Throws: `ConfigurationError` for the field `algorithm` when GSL has no generator by that name.
    public convenience init(algorithm: String = RandomSource.defaultAlgorithm, seed: UInt64) throws {
        GSL.prepare()
        self.init(type: try Self.type(named: algorithm), seed: seed)
    }

    /// GSL's generator type of that name.
    ///
    /// - Throws: `ConfigurationError` for the field `algorithm` when GSL has no generator by that name.
    private static func type(named algorithm: String) throws -> UnsafePointer<gsl_rng_type> {
        guard let type = ebm_rng_type_named(algorithm) else {
            throw ConfigurationError(field: "algorithm", "unknown GSL generator '\(algorithm)'; expected one of: "
                                     + RandomSource.algorithms.joined(separator: ", "))
        }
        return type
    }

    /// A Mersenne Twister (`mt19937`) seeded with `seed`: the toolkit's default generator.
    public convenience init(seed: UInt64) {
        self.init(type: ebm_rng_mt19937(), seed: seed)
    }

    private init(type: UnsafePointer<gsl_rng_type>, seed: UInt64) {
        // gsl_rng_alloc fails only when memory is exhausted.
        guard let g = gsl_rng_alloc(type) else { fatalError("gsl_rng_alloc: out of memory") }
        self.generator = g
        self.algorithm = String(cString: type.pointee.name)
        self.seed = seed
        gsl_rng_set(g, UInt(truncatingIfNeeded: seed))
    }

    deinit { gsl_rng_free(generator) }

    // MARK: Scalars

    /// A uniform double in [0, 1) (`gsl_rng_uniform`).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(generator) }

    /// A uniform double in (0, 1), never 0 (`gsl_rng_uniform_pos`); safe inside a logarithm.
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(generator) }

    /// A uniform double in [a, b) (`gsl_ran_flat`).
    @inlinable public func uniform(_ a: Double, _ b: Double) -> Double { gsl_ran_flat(generator, a, b) }

    /// A Gaussian sample with mean `mean` and standard deviation `sigma` (`gsl_ran_gaussian_ziggurat`).
    @inlinable public func gaussian(mean: Double = 0, sigma: Double = 1) -> Double {
        mean + gsl_ran_gaussian_ziggurat(generator, sigma)
    }

    /// `true` with probability `p` (`gsl_ran_bernoulli`).
    @inlinable public func bernoulli(_ p: Double) -> Bool { gsl_ran_bernoulli(generator, p) == 1 }

    /// A uniform integer in 0..<n (`gsl_rng_uniform_int`); `n` must be positive.
    @inlinable public func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs a positive bound")
        return Int(gsl_rng_uniform_int(generator, UInt(n)))
    }

    /// A uniform integer in `range`.
    @inlinable public func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + integer(below: range.count)
    }

    /// A Poisson sample with mean `mu` (`gsl_ran_poisson`).
    @inlinable public func poisson(_ mu: Double) -> Int { Int(gsl_ran_poisson(generator, mu)) }

    /// 64 random bits (two draws of the generator's native output, mixed).
    public func next64() -> UInt64 {
        let hi = UInt64(gsl_rng_get(generator)) & 0xffff_ffff
        let lo = UInt64(gsl_rng_get(generator)) & 0xffff_ffff
        return (hi << 32) | lo
    }

    /// Inverted dropout (Srivastava et al. 2014): sets each `mask` element to 0 with probability `p`
    /// and to 1/(1 − p) otherwise, and multiplies `values` by it, in one pass.
    ///
    /// With a generator of 32-bit output (mt19937, taus2, …) each draw gives two units 16 bits each,
    /// so p is resolved to 1/65,536; other generators draw one uniform per unit.
    @inlinable public func applyDropout(_ values: UnsafeMutableBufferPointer<Float>, mask: UnsafeMutableBufferPointer<Float>,
                                        probability p: Double) {
        let keep = Float(1 / (1 - p)), n = min(values.count, mask.count), g = generator
        if gsl_rng_min(g) == 0 && gsl_rng_max(g) == 0xffff_ffff {
            let threshold = UInt32((p * 65536).rounded())
            var i = 0
            while i < n {
                let bits = UInt32(truncatingIfNeeded: gsl_rng_get(g))
                let m0: Float = (bits & 0xffff) < threshold ? 0 : keep
                mask[i] = m0
                values[i] *= m0
                if i + 1 < n {
                    let m1: Float = (bits >> 16) < threshold ? 0 : keep
                    mask[i + 1] = m1
                    values[i + 1] *= m1
                }
                i += 2
            }
        } else {
            for i in 0..<n {
                let m: Float = gsl_rng_uniform(g) < p ? 0 : keep
                mask[i] = m
                values[i] *= m
            }
        }
    }

    // MARK: Permutations

    /// Shuffles `array` in place (`gsl_ran_shuffle`, Fisher–Yates).
    public func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        array.withUnsafeMutableBufferPointer { p in
            gsl_ran_shuffle(generator, p.baseAddress, p.count, MemoryLayout<T>.stride)
        }
    }

    /// A random permutation of 0..<n.
    public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    // MARK: Bulk fills

    /// Fills `buffer` with uniform values in [0, 1).
    @inlinable public func fillUniform<T: BinaryFloatingPoint>(_ buffer: UnsafeMutableBufferPointer<T>) {
        let g = generator
        for i in buffer.indices { buffer[i] = T(gsl_rng_uniform(g)) }
    }

    /// Fills `array` with uniform values in [0, 1).
    @inlinable public func fillUniform<T: BinaryFloatingPoint>(_ array: inout [T]) {
        array.withUnsafeMutableBufferPointer { fillUniform($0) }
    }

    /// Fills `array` with Gaussian values N(mean, sigma²).
    @inlinable public func fillGaussian<T: BinaryFloatingPoint>(_ array: inout [T], mean: T = 0, sigma: T = 1) {
        let g = generator, s = Double(sigma)
        array.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = mean + T(gsl_ran_gaussian_ziggurat(g, s)) }
        }
    }

    /// Adds N(0, sigma²) noise to every element of `array`, in place (sampling Gaussian units
    /// around their means).
    @inlinable public func addGaussian<T: BinaryFloatingPoint>(_ array: inout [T], sigma: T = 1) {
        array.withUnsafeMutableBufferPointer { addGaussian($0, sigma: sigma) }
    }

    /// Adds N(0, sigma²) noise to every element of `buffer`, in place.
    @inlinable public func addGaussian<T: BinaryFloatingPoint>(_ buffer: UnsafeMutableBufferPointer<T>, sigma: T = 1) {
        let g = generator, s = Double(sigma)
        for i in buffer.indices { buffer[i] += T(gsl_ran_gaussian_ziggurat(g, s)) }
    }

    /// Replaces each probability p in `buffer` by a Bernoulli(p) sample, 1 or 0, in place.
    ///
    /// This is the sampling step of a Gibbs sweep: states are drawn from their conditional
    /// probabilities in one pass with no allocation. Unit i is 1 when u_i < p, u_i its uniform
    /// draw in [0, 1) rounded to `T`; for `Float` the draws are taken 32 bits at a time
    /// (`fillBits`), which gives the same u_i as `uniform()` for generators of 32-bit output.
    @inlinable public func sampleBernoulli<T: BinaryFloatingPoint>(_ buffer: UnsafeMutableBufferPointer<T>) {
        if T.self == Float.self {
            sampleBernoulli(unsafeBitCast(buffer, to: UnsafeMutableBufferPointer<Float>.self))
            return
        }
        let g = generator
        for i in buffer.indices { buffer[i] = T(gsl_rng_uniform(g)) < buffer[i] ? 1 : 0 }
    }

    /// Replaces each probability p in `buffer` by a Bernoulli(p) sample, 1 or 0, in place: 1 when
    /// u < p, u = x / 2³² rounded to `Float` for x the next draw of `fillBits`, in order; a
    /// vectorised C loop (`ebm_bernoulli`) over chunks of draws.
    public func sampleBernoulli(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let base = buffer.baseAddress else { return }
        withBits(count: buffer.count) { bits, offset, n in ebm_bernoulli(base + offset, bits, n) }
    }

    /// Replaces each pre-activation x in `buffer` by a Bernoulli(σ(x)) sample, 1 or 0, in place:
    /// `applyLogistic` and then `sampleBernoulli`, with the same result, in one pass
    /// (`ebm_logistic_bernoulli`). The sampling step of logistic units from their inputs.
    public func sampleLogistic(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let base = buffer.baseAddress else { return }
        withBits(count: buffer.count) { bits, offset, n in ebm_logistic_bernoulli(base + offset, bits, n) }
    }

    /// The draws per chunk of the bulk samplers: 4 KB of bits on the stack.
    @usableFromInline static let bitsChunk = 1024

    /// Calls `body(bits, offset, n)` over `count` elements in chunks of at most `bitsChunk`, with
    /// `bits` holding the next n draws of `fillBits`.
    @usableFromInline func withBits(count: Int, _ body: (UnsafePointer<UInt32>, Int, Int) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: Swift.min(count, Self.bitsChunk)) { bits in
            guard let b = bits.baseAddress else { return }
            var offset = 0
            while offset < count {
                let n = Swift.min(bits.count, count - offset)
                fillBits(UnsafeMutableBufferPointer(start: b, count: n))
                body(b, offset, n)
                offset += n
            }
        }
    }

    /// Fills `buffer` with uniform 32-bit integers: the generator's native output x, called
    /// directly (`gsl_rng_type.get`), for generators of 32-bit output (minimum 0, maximum 2³² − 1:
    /// mt19937, taus2, gfsr4, …; for these x / 2³² is `uniform()`'s draw); for others ⌊2³² u⌋ with u
    /// from `uniform()`.
    public func fillBits(_ buffer: UnsafeMutableBufferPointer<UInt32>) {
        let g = generator
        if gsl_rng_min(g) == 0 && gsl_rng_max(g) == 0xffff_ffff, let get = g.pointee.type.pointee.get {
            let state = g.pointee.state
            for i in buffer.indices { buffer[i] = UInt32(truncatingIfNeeded: get(state)) }
        } else {
            for i in buffer.indices { buffer[i] = UInt32(gsl_rng_uniform(g) * 4_294_967_296) }
        }
    }

    /// Replaces each probability p in `array` by a Bernoulli(p) sample, 1 or 0, in place.
    @inlinable public func sampleBernoulli<T: BinaryFloatingPoint>(_ array: inout [T]) {
        array.withUnsafeMutableBufferPointer { sampleBernoulli($0) }
    }

    // MARK: State

    /// The generator's complete internal state (`gsl_rng_state`, `gsl_rng_size` bytes), for
    /// checkpoints: restoring it continues the stream exactly where it was.
    public var state: [UInt8] {
        let size = gsl_rng_size(generator)
        guard let p = gsl_rng_state(generator) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: size))
    }

    /// Restores a state saved from a generator of the same algorithm.
    ///
    /// - Throws: `InputError` naming `source` when the size does not match this algorithm's state.
    public func restore(state bytes: [UInt8], source: String = "checkpoint") throws {
        let size = gsl_rng_size(generator)
        guard bytes.count == size, let p = gsl_rng_state(generator) else {
            throw InputError(file: source, "random generator state has \(bytes.count) bytes; \(algorithm) needs \(size)")
        }
        bytes.withUnsafeBytes { UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress!, byteCount: size) }
    }

    // MARK: Independent streams

    /// `count` new generators of the same algorithm, seeded from this stream.
    ///
    /// Each child's seed is drawn from this generator and scrambled with the SplitMix64 finaliser
    /// (Steele, Lea & Flood 2014), so the children are deterministic functions of this stream's state
    /// and statistically independent of each other and of it. Forking advances this stream.
    public func fork(_ count: Int) -> [RandomSource] {
        (0..<count).map { _ in split() }
    }

    /// `count` new generators of the GSL algorithm `algorithm`, seeded from this stream as `fork(_:)`
    /// seeds them (the same draws, so the same seeds): a fast generator for the bulk of a run's draws
    /// while this stream keeps its own.
    ///
    /// - Throws: `ConfigurationError` for the field `algorithm` when GSL has no generator by that name.
    public func fork(_ count: Int, algorithm: String) throws -> [RandomSource] {
        let type = try Self.type(named: algorithm)
        return (0..<count).map { _ in split(type: type) }
    }

    /// A new generator of the same algorithm with the given seed (this stream is not advanced).
    public func sibling(seed: UInt64) -> RandomSource {
        RandomSource(type: generator.pointee.type, seed: seed)
    }

    /// One new generator of the same algorithm, seeded from this stream (see `fork(_:)`).
    public func split() -> RandomSource { split(type: generator.pointee.type) }

    /// One new generator of the GSL type `type`, seeded from this stream (see `fork(_:)`).
    private func split(type: UnsafePointer<gsl_rng_type>) -> RandomSource {
        var z = next64() &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return RandomSource(type: type, seed: z)
    }
}
