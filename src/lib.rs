//! # backroads
//!
//! Last-mile delivery routes across rural networks: a few regional depots, a
//! small fleet with capacity, route-length and shift limits, and many towns
//! and village shops on long roads.
//!
//! The pipeline, one module each:
//!
//! 1. [`model`] — an immutable, validated [`model::Problem`] (depots, towns,
//!    vehicle types with their drivers' breaks ([`model::breaks`]), how
//!    travel is measured), built from a
//!    [`model::ProblemSpec`] (the JSON shape) or a [`model::ProblemBuilder`];
//!    optional road network ([`model::RoadNetwork`], petgraph).
//! 2. [`distance`] — one [`distance::TravelOracle`] trait answering integer
//!    distances and travel times: rounded planar Euclidean, haversine with a
//!    circuity factor, fastest paths over a road network (parallel Dijkstra),
//!    or a given matrix.
//! 3. [`route`] — the route rules in problem space: one evaluator
//!    ([`route::evaluate`]: loads, distance, duration, stop times, the first
//!    rule broken) and one cheapest insertion, used by every planner outside
//!    the search.
//! 4. [`solver`] — towns to their nearest depot, parallel Clarke–Wright
//!    savings over a grid of shape parameters, each polished by the
//!    search's 2-opt and relocate, vehicles handed out; towns nobody can serve come back with a
//!    reason ([`solution::UnassignedReason`]).
//! 5. [`solution`] — the scheduled [`solution::Solution`] (stops, arrival
//!    times, loads, totals) and an independent [`solution::validate`].
//! 6. [`io`] — JSON, CVRPLIB `.vrp` / `.sol`, CSV towns; `quality` — the
//!    benchmark harness behind `backroads quality` and `backroads bench`;
//!    [`generate`] — clustered rural CVRP instances of any size
//!    (`backroads generate`) for scale benchmarks.
//! 7. `serve` (cargo feature `serve`, on by default) — the HTTP service
//!    behind `backroads serve`: synchronous solves, queued jobs with
//!    progress and cancellation, an OpenAPI document.
//!
//! Modules form an acyclic graph, each using only those below it:
//! `error ← model ← distance ← route ← {solution, solver} ← horizon ← io ←
//! {quality, generate} ← the CLI` (`tests/module_graph.rs` checks it).
//!
//! Units inside are integers (metres or instance units, seconds, demand
//! units); floats are converted at the edges by [`model::round_to_int`].
//! The same input and settings give the same routes for any thread count.
//!
//! ```
//! use backroads::model::{Location, ProblemBuilder, VehicleTypeSpec};
//! use backroads::solver::{SolverConfig, solve};
//! use backroads::solution::{UnassignedReason, validate};
//! use backroads::distance::build_oracle;
//!
//! let problem = ProblemBuilder::new("three villages")
//!     .depot("depot", Location::Planar { x: 0.0, y: 0.0 })
//!     .town("a", Location::Planar { x: 10.0, y: 0.0 }, 4.0, 300.0)
//!     .town("b", Location::Planar { x: 10.0, y: 5.0 }, 4.0, 300.0)
//!     .town("c", Location::Planar { x: 0.0, y: 12.0 }, 50.0, 300.0) // too big for any van
//!     .vehicle_type(VehicleTypeSpec {
//!         count: Some(2),
//!         max_distance: Some(100.0),
//!         ..VehicleTypeSpec::new("van", "depot", 10.0)
//!     })
//!     .build()?;
//!
//! let solved = solve(&problem, &SolverConfig::default())?;
//! let solution = &solved.solution;
//! assert_eq!(solution.routes.len(), 1); // a and b share one van
//! assert_eq!(solution.totals.distance, 10 + 5 + 11); // 0→a→b→0, rounded arcs
//! assert_eq!(solution.unassigned[0].town, "c");
//! assert!(matches!(solution.unassigned[0].reason, UnassignedReason::DemandExceedsCapacity { .. }));
//!
//! // The validator recomputes everything from the routes.
//! let oracle = build_oracle(&problem)?;
//! assert!(validate(&problem, oracle.as_ref(), solution).is_feasible());
//! # Ok::<(), backroads::Error>(())
//! ```
#![warn(missing_docs)]

pub mod distance;
pub mod error;
pub mod generate;
pub mod horizon;
pub mod io;
pub mod model;
pub mod planning;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod quality;
mod rng;
pub mod route;
#[cfg(feature = "serve")]
pub mod serve;
pub mod solution;
pub mod solver;
#[doc(hidden)]
pub mod text;

/// Crate internals for the benchmarks in `benches/` (feature `internals`):
/// not part of the API, may change at any time.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::solver::construct::savings::{SavingsPairs, savings_routes};
    pub use crate::solver::{cluster, neighbours, polish_routes, search};
}

pub use error::{Error, FileRefusal, Result};

/// The README's Rust snippets, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The Rust snippets of the guide's Rust API chapter, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/src/rust-api.md")]
pub struct GuideRustApiDoctests;
pub use planning::{
    CheckReport, DayReport, EtaReport, FitReport, Outcome, SettledDay, Summary, check_json, eta_text, fit_json,
    fit_new_town, plan, plan_observed, settle_day,
};
