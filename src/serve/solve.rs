//! The solve itself, run on a worker thread: the oracle, the one call into
//! the solver, the validator, and every output rendered once.

use super::error::ApiError;
use super::request::SolveRequest;
use crate::Outcome;
use crate::distance::{TravelOracle, build_oracle};
use crate::io;
use crate::solver::Observer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every call the service makes into the solver, in one place: one day
/// with the route search, or every day of a problem with `horizon_days`;
/// the observer sees progress and may stop either early.
fn plan(request: &SolveRequest, oracle: &dyn TravelOracle, observer: &dyn Observer) -> crate::Result<Outcome> {
    crate::plan_observed(&request.problem, oracle, &request.config, observer)
}

/// Figures of a finished solve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Summary {
    /// Days planned: 1, or the problem's `horizon_days`.
    pub days: u32,
    /// The solution's cost in the problem's own units (what `backroads
    /// solve` prints: money with running costs, else distance).
    pub cost: f64,
    /// Total distance, model units (metres for geographic problems).
    pub distance: i64,
    /// Routes (vehicle-days for multi-day plans).
    pub routes: usize,
    /// Towns served.
    pub towns_served: usize,
    /// Towns left unassigned.
    pub towns_unassigned: usize,
}

/// The outputs of a finished solve, rendered once.
#[derive(Debug, Clone)]
pub(crate) struct Outputs {
    /// The solution JSON, exactly as `backroads solve --out` writes it.
    pub json: String,
    /// GeoJSON per day (one for a single-day solve).
    pub geojson: Vec<Result<String, ApiError>>,
    /// The drivers' schedule CSV (a `day` column for multi-day plans).
    pub csv: Result<String, ApiError>,
    /// Figures.
    pub summary: Summary,
}

fn render_error(what: &str, e: crate::Error) -> ApiError {
    ApiError::internal(format!("cannot write the {what}: {e}"))
}

fn geojson(
    request: &SolveRequest,
    oracle: &dyn TravelOracle,
    s: &crate::solution::Solution,
) -> Result<String, ApiError> {
    let mut out = Vec::new();
    io::write_geojson(&request.problem, oracle, s, &mut out).map_err(|e| render_error("GeoJSON", e))?;
    String::from_utf8(out).map_err(|e| ApiError::internal(format!("GeoJSON is not UTF-8: {e}")))
}

fn csv(write: impl FnOnce(&mut Vec<u8>) -> crate::Result<()>) -> Result<String, ApiError> {
    let mut out = Vec::new();
    write(&mut out).map_err(|e| render_error("schedule CSV", e))?;
    String::from_utf8(out).map_err(|e| ApiError::internal(format!("schedule CSV is not UTF-8: {e}")))
}

/// Solves `request` (the observer sees progress and may stop the search),
/// validates the result as the CLI does, and renders the outputs. Errors
/// carry the status and code to answer with.
pub(crate) fn run(request: &SolveRequest, observer: &dyn Observer) -> Result<Outputs, ApiError> {
    let problem = &request.problem;
    let oracle = build_oracle(problem)?;
    let oracle = oracle.as_ref();
    let outcome = plan(request, oracle, observer)?;
    // Nothing is answered that the validator does not find feasible.
    let report = outcome.check(problem, oracle);
    if !report.feasible {
        return Err(ApiError::internal(format!(
            "the plan failed validation ({} violations): {}",
            report.violations.len(),
            report.violations.first().cloned().unwrap_or_default()
        )));
    }
    let s = outcome.summary();
    let (geojson, csv, cost) = match &outcome {
        Outcome::Day(solved) => {
            let day = &solved.solution;
            (
                vec![geojson(request, oracle, day)],
                csv(|out| io::write_schedule_csv(problem, day, out)),
                io::instance_cost(problem, day).unwrap_or(s.distance as f64),
            )
        }
        Outcome::Horizon(plan) => {
            let days: Vec<(u32, &crate::solution::Solution)> =
                plan.days.iter().enumerate().map(|(d, s)| (d as u32 + 1, s)).collect();
            (
                plan.days.iter().map(|day| geojson(request, oracle, day)).collect(),
                csv(|out| io::write_schedule_csv_days(problem, &days, out)),
                s.distance as f64,
            )
        }
    };
    let json = match &request.day {
        Some(day) => day
            .report
            .add_to(&outcome.to_json())
            .map_err(|e| ApiError::internal(format!("cannot write the solution: {e}")))?,
        None => outcome.to_json(),
    };
    Ok(Outputs {
        json,
        geojson,
        csv,
        summary: Summary {
            days: s.days as u32,
            cost,
            distance: s.distance,
            routes: s.routes,
            towns_served: s.towns_served,
            towns_unassigned: s.towns_unassigned,
        },
    })
}
