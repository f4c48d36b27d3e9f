//! What a solve returns: the plan, its schedule, and figures about the solve.

use crate::solution::{Plan, Solution};
use std::time::Duration;

/// Figures about a solve.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SolveStats {
    /// Wall time of the whole solve, oracle included.
    pub elapsed: Duration,
    /// Wall time spent building the distance oracle.
    pub oracle_time: Duration,
    /// Savings variants run, summed over depots.
    pub variants_run: usize,
    /// Search steps run, summed over depots and chains.
    pub iterations: u64,
    /// Search steps accepted.
    pub accepted: u64,
}

/// A solve's result: the plan, its schedule, and figures.
#[derive(Debug, Clone)]
pub struct Solved {
    /// Routes as town indices.
    pub plan: Plan,
    /// The scheduled solution.
    pub solution: Solution,
    /// Figures.
    pub stats: SolveStats,
}
