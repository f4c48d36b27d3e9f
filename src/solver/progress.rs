//! How a solve tells its progress ([`SolveProgress`]) to an [`Observer`],
//! which may stop it early.

use super::search::Flow;
use std::time::Duration;

/// How a solve is going, as told to an [`Observer`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveProgress {
    /// Total distance of the best routes so far, over all depots.
    pub best_cost: i64,
    /// Search steps run so far.
    pub iterations: u64,
    /// Time since the solve started.
    pub elapsed: Duration,
}

/// Watches a solve and may stop it early (the best routes so far are
/// returned). Called from the solving thread at every search epoch
/// boundary, i.e. every few milliseconds: keep it cheap.
pub trait Observer: Sync {
    /// Sees progress; returns [`Flow::Stop`] to stop the search.
    fn progress(&self, progress: &SolveProgress) -> Flow;
}

impl<F: Fn(&SolveProgress) -> Flow + Sync> Observer for F {
    fn progress(&self, progress: &SolveProgress) -> Flow {
        self(progress)
    }
}

/// An observer that never stops the solve.
pub struct Unobserved;

impl Observer for Unobserved {
    fn progress(&self, _: &SolveProgress) -> Flow {
        Flow::Continue
    }
}
