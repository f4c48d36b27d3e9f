//! The solver: split towns between depots, build routes with parallel
//! Clarke–Wright savings under several shape parameters, polish every
//! variant with the search's own 2-opt and relocate descent, keep the
//! cheapest, search, and hand routes to vehicles.
//!
//! Determinism: every parallel step collects results in a fixed order and
//! breaks ties by index, so the same input, configuration and thread count
//! give the same routes (the thread count does not change the result either,
//! unless a time limit cuts the variant search short).
//!
//! # Where things are
//! * [`SolverConfig`] (`config`), the savings grid and a cluster's
//!   construction (`savings_grid`), threads (`threads`);
//! * the entry points [`solve`], [`solve_with_oracle`], [`solve_observed`]
//!   (`entry_points`), their progress (`progress`) and result (`solved`);
//! * one solve from start to end (`pipeline`): which search path it takes
//!   (`search_path`), one search over the whole fleet (`whole_fleet`), the
//!   improvement region by region (`by_regions`, over [`decompose`]) or depot
//!   by depot (`per_depot`), and the last steps of every path (`finish`).

// The search's internals are public only to the benchmarks (feature
// `internals`, re-exported by `crate::internals`).
macro_rules! internal_mod {
    ($($name:ident),*) => {$(
        #[cfg(feature = "internals")]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        pub(crate) mod $name;
    )*};
}
internal_mod!(cluster, construct, neighbours, search);
pub(crate) mod assign;
pub mod decompose;
mod fleet;
pub mod objective;

mod by_regions;
mod config;
mod entry_points;
mod finish;
mod per_depot;
mod pipeline;
mod progress;
mod savings_grid;
mod search_path;
mod solved;
mod threads;
mod warm_start;
mod whole_fleet;

pub use config::{DEFAULT_ITERATIONS, SolverConfig};
pub use construct::savings::SavingsParams;
pub use decompose::{Decomposition, Executor, RegionExecutor};
pub use entry_points::{solve, solve_observed, solve_with_oracle};
pub use objective::Objective;
pub use progress::{Observer, SolveProgress, Unobserved};
pub use savings_grid::{GRID_TOWN_SHAPES, POLISH_OPERATORS, default_savings_grid, polish_routes, solve_cluster};
pub use search::operators::OperatorKind;
pub use search::{Flow, SearchParams};
pub use solved::{SolveStats, Solved};
pub(crate) use threads::with_threads;
pub use threads::{MAX_THREADS, thread_pool};
