//! How many worker threads a solve runs on, and the pool that runs it.

use super::SolverConfig;
use crate::error::{Error, Result};

/// Most worker threads a solve may ask for: every thread runs a search
/// chain of its own, and far more threads than cores only thrash.
pub const MAX_THREADS: usize = 256;

/// A pool of `threads` workers (`None`: rayon's global pool, one per core).
/// Refuses 0 and more than [`MAX_THREADS`] with [`Error::InvalidConfig`].
pub fn thread_pool(threads: Option<usize>) -> Result<Option<rayon::ThreadPool>> {
    match threads {
        None => Ok(None),
        Some(n) if n == 0 || n > MAX_THREADS => Err(Error::InvalidConfig(format!(
            "threads must be within 1..={MAX_THREADS}, got {n}"
        ))),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(Some)
            .map_err(|e| Error::InvalidConfig(format!("cannot start {n} threads: {e}"))),
    }
}

/// Runs `f` on a pool with the configured thread count.
pub(crate) fn with_threads<T: Send>(config: &SolverConfig, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    match thread_pool(config.threads)? {
        None => f(),
        Some(pool) => pool.install(f),
    }
}
