//! Routes given as sequences, for plan mode ([`crate::solution::eta`]):
//! the JSON that `solve --out` writes (its times, loads and totals are
//! ignored and recomputed), a hand-written JSON of sequences, or a CVRPLIB
//! `.sol`.
//!
//! The JSON form is `{"routes": [{"vehicle_type": "van", "stops": ["a",
//! "b"], "reloads": [{"before_stop": 1, "depot": "north"}]}]}`: a stop is a
//! town id or an object with a `town` field (as `solve` writes it);
//! `vehicle_type` may be left out when the fleet has one type; `reloads`
//! is optional. An id the problem does not know is an error naming the
//! route; every rule a route breaks is left to the validator.

use super::sol::read_sol;
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::solution::{Plan, PlannedRoute, Reload};
use serde::Deserialize;

#[derive(Deserialize)]
struct RoutesFile {
    routes: Vec<Sequence>,
}

#[derive(Deserialize)]
struct Sequence {
    #[serde(default)]
    vehicle_type: Option<String>,
    stops: Vec<StopRef>,
    #[serde(default)]
    reloads: Vec<ReloadRef>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StopRef {
    Id(String),
    Stop { town: String },
}

#[derive(Deserialize)]
struct ReloadRef {
    before_stop: usize,
    depot: String,
}

/// Reads routes for plan mode from `text`: JSON when it starts with `{`,
/// else a CVRPLIB `.sol`. `source_name` labels errors.
///
/// Errors: [`Error::Json`] for malformed JSON, [`Error::Parse`] for a
/// malformed `.sol`, [`Error::SolutionMismatch`] for an unknown town,
/// vehicle type or depot, a missing `vehicle_type` with several types, a
/// reload outside its route, or a problem with `horizon_days`.
pub fn read_routes(text: &str, source_name: &str, problem: &Problem) -> Result<Plan> {
    read(text, source_name, problem, None)
}

/// A previous plan to start a solve from ([`crate::solver::SolverConfig::initial`]),
/// read from the same forms as [`read_routes`] against a problem that may
/// have changed since: what it no longer has is left out, not refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitialPlan {
    /// The routes that could be read.
    pub plan: Plan,
    /// Ids of the towns the problem no longer has (cancelled orders).
    pub unknown_towns: Vec<String>,
    /// Routes of a vehicle type the problem no longer has, left out whole.
    pub unknown_type_routes: usize,
    /// Reloads at a depot the problem no longer has, or between no two stops.
    pub dropped_reloads: usize,
}

/// Reads a previous plan for a warm start: as [`read_routes`], but a town,
/// vehicle type or reload depot the problem no longer has is left out and
/// counted in the [`InitialPlan`] (a `.sol` is read as for
/// [`read_routes`]).
pub fn read_initial_plan(text: &str, source_name: &str, problem: &Problem) -> Result<InitialPlan> {
    let mut notes = InitialPlan::default();
    notes.plan = read(text, source_name, problem, Some(&mut notes))?;
    Ok(notes)
}

/// [`read_routes`], or [`read_initial_plan`] when `lenient` collects what
/// was left out.
fn read(text: &str, source_name: &str, problem: &Problem, mut lenient: Option<&mut InitialPlan>) -> Result<Plan> {
    if problem.horizon_days.is_some() {
        return Err(Error::SolutionMismatch(format!(
            "{source_name}: plan mode times the routes of one day, and the problem is planned over {} days: give \
             the problem of that day",
            problem.horizon_days.unwrap_or(0)
        )));
    }
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if !head.starts_with('{') {
        return Ok(read_sol(text, source_name, problem)?.plan);
    }
    let file: RoutesFile = serde_json::from_str(text).map_err(|source| Error::Json {
        source_name: source_name.to_string(),
        source,
    })?;
    let towns = problem.town_indices();
    let mismatch = |r: usize, what: String| Err(Error::SolutionMismatch(format!("{source_name}: route {r}: {what}")));
    let mut routes = Vec::with_capacity(file.routes.len());
    for (r, seq) in file.routes.iter().enumerate() {
        let vehicle_type = match &seq.vehicle_type {
            Some(id) => match problem.fleet.iter().position(|v| &v.id == id) {
                Some(k) => k,
                None if lenient.is_some() => {
                    if let Some(notes) = lenient.as_deref_mut() {
                        notes.unknown_type_routes += 1;
                    }
                    continue;
                }
                None => return mismatch(r, format!("unknown vehicle type '{}'", super::clip(id))),
            },
            None if problem.fleet.len() == 1 => 0,
            None => return mismatch(r, "no vehicle_type, and the fleet has several types".into()),
        };
        let mut list = Vec::with_capacity(seq.stops.len());
        // Where a cancelled town was (lenient reading): stop indices after
        // it move back one.
        let mut removed: Vec<usize> = Vec::new();
        for stop in &seq.stops {
            let id = match stop {
                StopRef::Id(id) | StopRef::Stop { town: id } => id,
            };
            match towns.get(id.as_str()) {
                Some(&t) => list.push(t),
                None => match lenient.as_deref_mut() {
                    // A reload after a cancelled town keeps its place in the
                    // towns that remain.
                    Some(notes) => {
                        notes.unknown_towns.push(id.clone());
                        removed.push(list.len());
                    }
                    None => return mismatch(r, format!("unknown town '{}'", super::clip(id))),
                },
            }
        }
        let mut reloads = Vec::with_capacity(seq.reloads.len());
        for reload in &seq.reloads {
            let before = reload.before_stop
                - removed
                    .iter()
                    .filter(|&&at| at < reload.before_stop)
                    .count()
                    .min(reload.before_stop);
            let depot = problem.depots.iter().position(|d| d.id == reload.depot);
            if let Some(notes) = lenient.as_deref_mut()
                && (depot.is_none() || before == 0 || before >= list.len())
            {
                notes.dropped_reloads += 1;
                continue;
            }
            let Some(depot) = depot else {
                return mismatch(r, format!("unknown reload depot '{}'", super::clip(&reload.depot)));
            };
            // `before` is `before_stop` unless towns were left out (lenient).
            if before == 0 || before >= list.len() {
                return mismatch(
                    r,
                    format!(
                        "a reload before stop {} of {}: a reload comes between two stops",
                        reload.before_stop,
                        list.len()
                    ),
                );
            }
            reloads.push(Reload { before, depot });
        }
        reloads.sort_by_key(|x| x.before);
        routes.push(PlannedRoute {
            vehicle_type,
            towns: list,
            reloads,
        });
    }
    Ok(Plan {
        routes,
        unassigned: Vec::new(),
    })
}
