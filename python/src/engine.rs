//! The two calls into the solver and the validator, with today's library
//! API. When `backroads::plan_observed` and `backroads::check_json` land,
//! these two functions are what changes.

use crate::Source;
use backroads::distance::TravelOracle;
use backroads::horizon::{self, HorizonPlan};
use backroads::model::Problem;
use backroads::quality::{self, Objective};
use backroads::solution::validate;
use backroads::solver::{Observer, SolverConfig};
use backroads::{Error, io};

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
/// rejects is returned. A multi-day problem is planned by distance and does
/// not report progress.
pub fn plan(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    objective: Objective,
    observer: &dyn Observer,
) -> Result<String, Failure> {
    if problem.horizon_days.is_some() {
        if objective != Objective::Distance {
            return Err(Error::InvalidConfig(
                "objective 'vehicles' plans single-day problems; a multi-day problem is planned by distance".into(),
            )
            .into());
        }
        let plan = horizon::plan_horizon_with_oracle(problem, oracle, config)?;
        let report = horizon::validate_horizon(problem, oracle, &plan);
        if let Some(v) = report.violations.first() {
            return Err(Failure::Internal(format!(
                "internal error: the plan failed validation ({} violations, first: {v})",
                report.violations.len()
            )));
        }
        return serde_json::to_string_pretty(&plan).map_err(|e| Failure::Internal(e.to_string()));
    }
    let solved = quality::solve_with_objective(problem, oracle, config, objective, observer)?;
    let report = validate(problem, oracle, &solved.solution);
    if let Some(v) = report.violations.first() {
        return Err(Failure::Internal(format!(
            "internal error: the solution failed validation ({} violations, first: {v})",
            report.violations.len()
        )));
    }
    Ok(io::write_solution_json(&solved.solution))
}

/// Checks a solution (or, for a problem with `horizon_days`, a multi-day
/// plan) against `problem`, as `backroads check` does; returns the report
/// as JSON.
pub fn check(problem: &Problem, oracle: &dyn TravelOracle, solution: &Source) -> Result<String, Failure> {
    if problem.horizon_days.is_some() {
        let plan: HorizonPlan = match solution {
            Source::File(p) => io::read_horizon_plan_file(p, problem, &io::ReadOptions::default())?,
            Source::Text(t) => {
                let value: serde_json::Value = serde_json::from_str(t).map_err(|source| Error::Json {
                    source_name: "solution".into(),
                    source,
                })?;
                if value.get("days").is_none() && value.get("routes").is_some() {
                    return Err(Error::SolutionMismatch(
                        "this is a single-day solution, but the problem is planned over several days: \
                         give the multi-day plan that solve returns for it"
                            .into(),
                    )
                    .into());
                }
                serde_json::from_value(value).map_err(|source| Error::Json {
                    source_name: "solution".into(),
                    source,
                })?
            }
        };
        let report = horizon::validate_horizon(problem, oracle, &plan);
        let violations: Vec<String> = report.violations.iter().map(ToString::to_string).collect();
        return Ok(serde_json::json!({
            "feasible": violations.is_empty(),
            "cost": report.cost,
            "instance_cost": report.cost,
            "routes": report.routes,
            "drops": report.drops,
            "violations": violations,
        })
        .to_string());
    }
    let (s, stated) = match solution {
        Source::File(p) => io::read_solution_file(p, problem, oracle)?,
        Source::Text(t) => {
            let looks_like_plan = serde_json::from_str::<serde_json::Value>(t)
                .is_ok_and(|v| v.get("days").is_some() && v.get("routes").is_none());
            if looks_like_plan {
                return Err(Error::SolutionMismatch(
                    "this is a multi-day plan, but the problem has no horizon_days".into(),
                )
                .into());
            }
            (io::read_solution_json(t, "solution")?, None)
        }
    };
    let report = validate(problem, oracle, &s);
    // The recomputed routes, costed in the instance's units (as the CLI).
    let mut recomputed = s;
    recomputed.totals.distance = report.cost;
    let instance_cost = io::instance_cost(problem, &recomputed)?;
    let mut violations: Vec<String> = Vec::new();
    if let Some(c) = stated.filter(|c| !c.matches(instance_cost)) {
        violations.push(format!(
            "stated cost {} differs from recomputed cost {}",
            c.value,
            io::show_cost(problem, &recomputed)
        ));
    }
    violations.extend(report.violations.iter().map(ToString::to_string));
    Ok(serde_json::json!({
        "feasible": violations.is_empty(),
        "cost": report.cost,
        "instance_cost": instance_cost,
        "routes": report.routes,
        "violations": violations,
    })
    .to_string())
}
