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
                None => return mismatch(r, format!("unknown vehicle type '{}'", super::clip(id))),
            },
            None if problem.fleet.len() == 1 => 0,
            None => return mismatch(r, "no vehicle_type, and the fleet has several types".into()),
        };
        let mut list = Vec::with_capacity(seq.stops.len());
        for stop in &seq.stops {
            let id = match stop {
                StopRef::Id(id) | StopRef::Stop { town: id } => id,
            };
            match towns.get(id.as_str()) {
                Some(&t) => list.push(t),
                None => return mismatch(r, format!("unknown town '{}'", super::clip(id))),
            }
        }
        let mut reloads = Vec::with_capacity(seq.reloads.len());
        for reload in &seq.reloads {
            let Some(depot) = problem.depots.iter().position(|d| d.id == reload.depot) else {
                return mismatch(r, format!("unknown reload depot '{}'", super::clip(&reload.depot)));
            };
            if reload.before_stop == 0 || reload.before_stop >= list.len() {
                return mismatch(
                    r,
                    format!(
                        "a reload before stop {} of {}: a reload comes between two stops",
                        reload.before_stop,
                        list.len()
                    ),
                );
            }
            reloads.push(Reload {
                before: reload.before_stop,
                depot,
            });
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
