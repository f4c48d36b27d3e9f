//! The calls into the library's planner and validator: solving goes
//! through [`backroads::plan_observed`], checking through
//! [`backroads::check_json`] (and the library's solution-file readers),
//! plan mode through [`backroads::eta_text`] and [`backroads::fit_json`].

use crate::Source;
use backroads::distance::TravelOracle;
use backroads::model::Problem;
use backroads::solver::{Observer, SolverConfig};
use backroads::{Error, Outcome, io};

/// Why a solve or a check failed.
pub enum Failure {
    /// The library refused (typed error).
    Library(Error),
    /// The solver returned something its validator rejects (a bug).
    Internal(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Library(e)
    }
}

/// Plans `problem`: one day's routes, or every day of a problem with
/// `horizon_days`. Returns what `backroads solve --out` writes (the solution
/// JSON, or the multi-day plan JSON). As in the CLI, nothing the validator
/// rejects is returned.
pub fn plan(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    observer: &dyn Observer,
) -> Result<String, Failure> {
    let outcome = backroads::plan_observed(problem, oracle, config, observer)?;
    let report = outcome.check(problem, oracle);
    if let Some(v) = report.violations.first() {
        return Err(Failure::Internal(format!(
            "internal error: the solution failed validation ({} violations, first: {v})",
            report.violations.len()
        )));
    }
    Ok(outcome.to_json())
}

/// Checks a solution (or, for a problem with `horizon_days`, a multi-day
/// plan) against `problem`, as `backroads check` does, and returns the
/// report as JSON: the library's [`backroads::CheckReport`] plus
/// `instance_cost`. A CVRPLIB `.sol` file's `Cost` line that disagrees with
/// the recomputed cost is a violation.
pub fn check(problem: &Problem, oracle: &dyn TravelOracle, solution: &Source) -> Result<String, Failure> {
    let multi_day = problem.horizon_days.is_some();
    let (mut report, stated, day) = match solution {
        Source::Text(t) => {
            let report = backroads::check_json(problem, oracle, t)?;
            let day = if multi_day {
                None
            } else {
                Some(io::read_solution_json(t, "solution")?)
            };
            (report, None, day)
        }
        Source::File(p) if multi_day => {
            let plan = io::read_horizon_plan_file(p, problem, &io::ReadOptions::default())?;
            (Outcome::Horizon(Box::new(plan)).check(problem, oracle), None, None)
        }
        Source::File(p) => {
            let (s, stated) = io::read_solution_file(p, problem, oracle)?;
            (
                backroads::check_json(problem, oracle, &io::write_solution_json(&s))?,
                stated,
                Some(s),
            )
        }
    };
    // The recomputed routes, costed in the instance's units (as the CLI).
    let instance_cost = match day {
        Some(mut s) => {
            s.totals.distance = report.cost;
            let cost = io::instance_cost(problem, &s)?;
            if let Some(c) = stated.filter(|c| !c.matches(cost)) {
                report.violations.insert(
                    0,
                    format!(
                        "stated cost {} differs from recomputed cost {}",
                        c.value,
                        io::show_cost(problem, &s)
                    ),
                );
                report.feasible = false;
            }
            cost
        }
        None => report.cost as f64,
    };
    let mut value = serde_json::to_value(&report).map_err(|e| Failure::Internal(e.to_string()))?;
    value["instance_cost"] = instance_cost.into();
    Ok(value.to_string())
}

/// Plan mode: times the routes of `routes` (a solution JSON, a JSON of
/// sequences or a CVRPLIB `.sol`; text or a file) on `problem` with the
/// shortest legal schedule and returns [`backroads::EtaReport`] as JSON.
pub fn eta(problem: &Problem, oracle: &dyn TravelOracle, routes: &Source) -> Result<String, Failure> {
    let (text, name) = routes_text(routes)?;
    Ok(backroads::eta_text(problem, oracle, &text, &name)?.to_json())
}

/// Where the town of `town` (JSON of the problem model) fits into the
/// routes of `plan`: [`backroads::FitReport`] as JSON.
pub fn fit(problem: &Problem, plan: &Source, town: &str, top: usize) -> Result<String, Failure> {
    let (text, name) = routes_text(plan)?;
    Ok(backroads::fit_json(problem, &text, &name, town, top)?.to_json())
}

/// The text of routes given as text or as a file, and the name errors use.
fn routes_text(routes: &Source) -> Result<(String, String), Failure> {
    Ok(match routes {
        Source::Text(t) => (t.clone(), "routes".to_string()),
        Source::File(p) => (
            io::files::read_input_text(p, io::files::DEFAULT_MAX_SOLUTION_BYTES)?,
            p.display().to_string(),
        ),
    })
}

/// A previous plan to start a solve from (text or a file), read leniently
/// against `problem` ([`io::read_initial_plan`]; with a state of the day,
/// [`backroads::SettledDay::initial_plan`]); multi-day problems are
/// refused.
pub fn initial_plan(
    problem: &Problem,
    day: Option<&backroads::SettledDay>,
    initial: &Source,
) -> Result<backroads::solution::Plan, Failure> {
    if problem.horizon_days.is_some() {
        return Err(Failure::Library(Error::InvalidConfig(
            "initial starts single-day solves; a multi-day problem is planned from nothing".into(),
        )));
    }
    let (text, name) = routes_text(initial)?;
    Ok(backroads::SettledDay::read_initial(day, &text, &name, problem)?.plan)
}
