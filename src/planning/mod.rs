//! One entry point for every problem: [`plan`] (or [`plan_observed`])
//! solves a single-day problem with the route search and plans a problem
//! with `horizon_days` over its days, returning an [`Outcome`] that writes
//! itself as the JSON `backroads solve --out` writes and checks itself with
//! the independent validator; [`check_json`] checks a solution JSON given
//! by anyone; [`eta_text`] times routes given as sequences (plan mode).
//!
//! ```
//! use backroads::{Outcome, plan};
//! use backroads::io::read_problem_json;
//! use backroads::solver::SolverConfig;
//!
//! let json = r#"{
//!   "name": "two villages",
//!   "depots": [{ "id": "d", "location": { "x": 0, "y": 0 } }],
//!   "towns": [
//!     { "id": "a", "location": { "x": 10, "y": 0 }, "demand": 3 },
//!     { "id": "b", "location": { "x": 0, "y": 10 }, "demand": 3 }
//!   ],
//!   "fleet": [{ "id": "van", "depot": "d", "capacity": 10 }]
//! }"#;
//! let problem = read_problem_json(json, "inline", None)?;
//! let config = SolverConfig { iterations: Some(100), ..SolverConfig::default() };
//! let outcome = plan(&problem, &config)?;
//! let Outcome::Day(solved) = &outcome else { unreachable!("no horizon_days") };
//! assert_eq!(solved.solution.routes.len(), 1);
//!
//! let oracle = backroads::distance::build_oracle(&problem)?;
//! let report = backroads::check_json(&problem, oracle.as_ref(), &outcome.to_json())?;
//! assert!(report.feasible, "{:?}", report.violations);
//! # Ok::<(), backroads::Error>(())
//! ```

use crate::distance::{TravelOracle, build_oracle};
use crate::error::{Error, Result};
use crate::horizon::{HorizonPlan, plan_horizon_observed, validate_horizon};
use crate::model::Problem;
use crate::solution::validate;
use crate::solver::{Observer, Solved, SolverConfig, Unobserved, solve_observed, with_threads};
use serde::Serialize;

mod day;
mod plan_mode;

pub use day::{DayReport, SettledDay, VehicleReport, settle_day};

pub use plan_mode::{EtaReport, FitPlace, FitReport, MovedStop, eta_text, fit_json, fit_new_town};

/// What [`plan`] made of a problem.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// A single-day problem's solution, routes and figures.
    Day(Box<Solved>),
    /// A multi-day problem's plan (one solution per day).
    Horizon(Box<HorizonPlan>),
}

impl Outcome {
    /// The JSON that `backroads solve --out` writes: the solution, or the
    /// multi-day plan.
    pub fn to_json(&self) -> String {
        match self {
            Outcome::Day(s) => crate::io::write_solution_json(&s.solution),
            Outcome::Horizon(p) => p.to_json(),
        }
    }

    /// The single-day solution, if this is one.
    pub fn solution(&self) -> Option<&crate::solution::Solution> {
        match self {
            Outcome::Day(s) => Some(&s.solution),
            Outcome::Horizon(_) => None,
        }
    }

    /// A short summary: cost, routes, towns served and unassigned.
    pub fn summary(&self) -> Summary {
        match self {
            Outcome::Day(s) => {
                let t = &s.solution.totals;
                Summary {
                    days: 1,
                    distance: t.distance,
                    routes: t.vehicles_used,
                    towns_served: t.towns_served,
                    towns_unassigned: t.towns_unassigned,
                }
            }
            Outcome::Horizon(p) => Summary {
                days: p.days.len(),
                distance: p.totals.distance,
                routes: p.totals.routes,
                towns_served: p.totals.towns_served,
                towns_unassigned: p.totals.towns_unassigned,
            },
        }
    }

    /// Checks the outcome with the independent validator (single-day:
    /// [`crate::solution::validate`]; multi-day:
    /// [`crate::horizon::validate_horizon`]). `oracle` covers all locations
    /// of `problem`.
    pub fn check(&self, problem: &Problem, oracle: &dyn TravelOracle) -> CheckReport {
        match self {
            Outcome::Day(s) => {
                let r = validate(problem, oracle, &s.solution);
                CheckReport {
                    feasible: r.is_feasible(),
                    cost: r.cost,
                    routes: r.routes,
                    violations: r.violations.iter().map(ToString::to_string).collect(),
                }
            }
            Outcome::Horizon(p) => {
                let r = validate_horizon(problem, oracle, p);
                CheckReport {
                    feasible: r.is_feasible(),
                    cost: r.cost,
                    routes: r.routes,
                    violations: r.violations.iter().map(ToString::to_string).collect(),
                }
            }
        }
    }
}

/// The headline figures of an [`Outcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Days planned (1 for a single-day problem).
    pub days: usize,
    /// Total distance over all days, in the problem's units.
    pub distance: i64,
    /// Routes (vehicle-days) over all days.
    pub routes: usize,
    /// Towns served.
    pub towns_served: usize,
    /// Towns left unassigned.
    pub towns_unassigned: usize,
}

/// What the validator found, in a form any caller can print or serialise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Nothing is wrong.
    pub feasible: bool,
    /// Total distance recomputed from the routes.
    pub cost: i64,
    /// Routes (vehicle-days) recomputed from the routes.
    pub routes: usize,
    /// Everything wrong, one line each; empty when feasible.
    pub violations: Vec<String>,
}

/// Plans `problem`: one day with the route search, or every day of a
/// problem with `horizon_days`; builds the distance oracle first (on the
/// configured threads).
pub fn plan(problem: &Problem, config: &SolverConfig) -> Result<Outcome> {
    let oracle = with_threads(config, || build_oracle(problem))?;
    plan_observed(problem, oracle.as_ref(), config, &Unobserved)
}

/// Like [`plan`], with an oracle the caller already has and an observer
/// that sees progress and may stop the search early (the best plan so far
/// is returned).
pub fn plan_observed(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    observer: &dyn Observer,
) -> Result<Outcome> {
    if problem.horizon_days.is_some() {
        // Each day solve runs on a pool of the configured threads.
        let plan = plan_horizon_observed(problem, oracle, config, observer)?;
        Ok(Outcome::Horizon(Box::new(plan)))
    } else {
        Ok(Outcome::Day(Box::new(solve_observed(
            problem, oracle, config, observer,
        )?)))
    }
}

/// Checks a solution given as JSON text: a single-day solution (the shape of
/// [`crate::solution::Solution`]) or, for a problem with `horizon_days`, a
/// multi-day plan. Nothing it states is trusted: every figure is recomputed.
/// Errors: malformed JSON, or a plan of the wrong kind for the problem
/// ([`Error::SolutionMismatch`]).
pub fn check_json(problem: &Problem, oracle: &dyn TravelOracle, text: &str) -> Result<CheckReport> {
    let json = |source| Error::Json {
        source_name: "solution".into(),
        source,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(json)?;
    let multi = value.get("days").is_some();
    match (problem.horizon_days.is_some(), multi) {
        (true, false) => Err(Error::SolutionMismatch(
            "a single-day solution, but the problem is planned over several days".into(),
        )),
        (false, true) => Err(Error::SolutionMismatch(
            "a multi-day plan, but the problem is a single-day one".into(),
        )),
        (true, true) => {
            let plan: HorizonPlan = serde_json::from_value(value).map_err(json)?;
            Ok(Outcome::Horizon(Box::new(plan)).check(problem, oracle))
        }
        (false, false) => {
            let solution: crate::solution::Solution = serde_json::from_value(value).map_err(json)?;
            let r = validate(problem, oracle, &solution);
            Ok(CheckReport {
                feasible: r.is_feasible(),
                cost: r.cost,
                routes: r.routes,
                violations: r.violations.iter().map(ToString::to_string).collect(),
            })
        }
    }
}
