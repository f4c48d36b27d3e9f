//! The public ways into a solve (with or without an oracle, observed or
//! not), and the objective applied before the pipeline runs.

use super::objective::{self, Objective};
use super::pipeline::solve_inner;
use super::threads::with_threads;
use super::{Observer, SolveProgress, Solved, SolverConfig, Unobserved};
use crate::distance::{TravelOracle, build_oracle};
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::solution::Solution;
use std::time::Instant;

/// Solves a problem, building its distance oracle first.
pub fn solve(problem: &Problem, config: &SolverConfig) -> Result<Solved> {
    let start = Instant::now();
    with_threads(config, || {
        let oracle = build_oracle(problem)?;
        let oracle_time = start.elapsed();
        let mut solved = solve_with_objective(problem, oracle.as_ref(), config, start, &Unobserved)?;
        solved.stats.oracle_time = oracle_time;
        Ok(solved)
    })
}

/// Solves with an oracle the caller already has (e.g. to validate afterwards).
pub fn solve_with_oracle(problem: &Problem, oracle: &dyn TravelOracle, config: &SolverConfig) -> Result<Solved> {
    solve_observed(problem, oracle, config, &Unobserved)
}

/// Like [`solve_with_oracle`], reporting progress to `observer`, which may
/// stop the search early.
pub fn solve_observed(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    observer: &dyn Observer,
) -> Result<Solved> {
    let start = Instant::now();
    with_threads(config, || {
        solve_with_objective(problem, oracle, config, start, observer)
    })
}

/// Applies `config.objective`: [`Objective::Vehicles`] solves a copy of the
/// problem with the vehicles-first fixed costs, then schedules the routes on
/// `problem` itself.
fn solve_with_objective(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    start: Instant,
    observer: &dyn Observer,
) -> Result<Solved> {
    if problem.day.is_some() {
        return Err(Error::InvalidProblem(
            "the problem holds a state of the day: settle it first (planning::settle_day makes the problem of \
             the rest of the day)"
                .into(),
        ));
    }
    if config.objective == Objective::Distance {
        return solve_inner(problem, oracle, config, start, observer);
    }
    let mut weighted = problem.clone();
    let fixed = objective::apply_objective(&mut weighted, oracle, config.objective);
    let observer = |p: &SolveProgress| observer.progress(&objective::without_fixed_cost(p, fixed));
    let mut solved = solve_inner(&weighted, oracle, config, start, &observer)?;
    solved.solution = Solution::from_plan(problem, oracle, &solved.plan);
    Ok(solved)
}
