//! The crate's seeded random numbers: PCG streams with the few draws the
//! search and the instance generator need. The search takes one stream per
//! logical chain, seeded from (seed, chain id), never per OS thread, so runs
//! are reproducible.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// A seeded random stream with the few draws the search needs.
pub(crate) struct SeededRng(Pcg64Mcg);

impl SeededRng {
    /// The stream of chain `chain` under `seed`.
    pub fn new(seed: u64, chain: u64) -> Self {
        // splitmix64 of the pair so nearby seeds give unrelated streams.
        let mut z = seed ^ chain.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        SeededRng(Pcg64Mcg::seed_from_u64(z ^ (z >> 31)))
    }

    /// The plain `Pcg64Mcg::seed_from_u64(seed)` stream.
    pub fn from_seed(seed: u64) -> Self {
        SeededRng(Pcg64Mcg::seed_from_u64(seed))
    }

    /// Uniform integer in `lo..=hi`.
    #[inline]
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi as usize - lo as usize + 1) as u32
    }

    /// Uniform in `0..n` (`n > 0`).
    #[inline]
    pub fn below(&mut self, n: usize) -> usize {
        // Lemire's multiply-shift; the bias is below 2^-32 for our n.
        ((u128::from(self.0.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `[0, 1)`.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}
