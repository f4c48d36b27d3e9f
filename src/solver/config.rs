//! Solver settings ([`SolverConfig`]) and their defaults.

use super::SavingsParams;
use super::cluster;
use super::decompose::Decomposition;
use super::objective::Objective;
use super::savings_grid::default_savings_grid;
use super::search::SearchParams;
use std::time::Duration;

/// Solver settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverConfig {
    /// Seed of the search's random streams.
    pub seed: u64,
    /// Worker threads; `None` = rayon's default (one per core).
    pub threads: Option<usize>,
    /// Wall-clock budget of the whole solve, oracle included. Construction
    /// gets the first tenth (savings variants not started by then are
    /// skipped; the first always runs), the search the rest. A time-limited
    /// run depends on machine speed; use `iterations` for reproducible runs.
    pub time_limit: Option<Duration>,
    /// Savings shape parameters to try; the best after improvement wins.
    pub savings_variants: Vec<SavingsParams>,
    /// Neighbour-list length for savings pairs and local-search moves.
    pub neighbours: usize,
    /// Iteration budget of the improvement phase; with it, the same seed and
    /// thread count give the same routes. Without it and without a time
    /// limit, [`DEFAULT_ITERATIONS`] are run.
    pub iterations: Option<u64>,
    /// Parameters of the improvement phase.
    pub search: SearchParams,
    /// Depots with at most this many nodes cache dense distance (and time)
    /// matrices; bigger ones compute distances on demand (sparse mode:
    /// O(n·k) memory). 0 forces sparse mode everywhere.
    pub dense_matrix_limit: usize,
    /// What to minimise: the problem's own costs, or vehicles first
    /// ([`Objective::Vehicles`]: the search adds a fixed cost per route
    /// above any distance, see [`objective::vehicles_first_fixed_cost`](super::objective::vehicles_first_fixed_cost);
    /// the solution states the problem's own costs, and progress is
    /// reported without that fixed cost). Single-day problems only.
    pub objective: Objective,
    /// When the improvement phase goes region by region, and where the
    /// regions run ([`decompose`](super::decompose)).
    pub decomposition: Decomposition,
    /// A previous plan to start from (warm start, re-planning): its routes,
    /// repaired where a rule no longer holds, replace the construction, and
    /// the search goes on from them (`io::read_initial_plan` reads
    /// one). Single-day problems only.
    pub initial: Option<std::sync::Arc<crate::solution::Plan>>,
    /// With `initial`: what moving a town to another vehicle than the one it
    /// had costs, in the objective's units (money when vehicles have running
    /// costs, else distance); 0 lets the search move towns freely.
    pub change_penalty: f64,
}

/// Search steps run when neither a time limit nor an iteration budget is set.
pub const DEFAULT_ITERATIONS: u64 = 20_000;

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            seed: 0,
            threads: None,
            time_limit: None,
            savings_variants: default_savings_grid(),
            neighbours: 40,
            iterations: None,
            search: SearchParams::default(),
            dense_matrix_limit: cluster::DENSE_LIMIT,
            objective: Objective::Distance,
            decomposition: Decomposition::default(),
            initial: None,
            change_penalty: 0.0,
        }
    }
}
