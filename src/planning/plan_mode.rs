//! Questions about a plan someone already has, answered without
//! optimising: the schedule of given routes and what they break
//! ([`eta_text`], plan mode), and where a new order fits ([`fit_json`]).
//! Both report in forms any caller can print or serialise (the CLI's
//! `eta` and `fit`, Python, HTTP).

use crate::distance::{TravelOracle, build_oracle};
use crate::error::Result;
use crate::model::{Problem, TownSpec};
use crate::solution::{Eta, Plan, PlannedRoute, Route, Solution, Totals, UnassignedReason, eta, fit};
use serde::Serialize;

/// Plan mode's answer ([`crate::solution::eta`]) in a form any caller can
/// print or serialise: the routes as given with the shortest legal
/// schedule, and every rule they break.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct EtaReport {
    /// The routes keep every rule (towns on no route aside).
    pub feasible: bool,
    /// Name of the problem.
    pub problem: String,
    /// The routes in the order given, timed: arrival, start and departure
    /// at every stop, load on board after it, breaks, reloads, distance,
    /// duration and money cost.
    #[cfg_attr(feature = "serve", schema(value_type = Vec<Object>))]
    pub routes: Vec<Route>,
    /// Sums over the routes.
    #[cfg_attr(feature = "serve", schema(value_type = Object))]
    pub totals: Totals,
    /// Ids of the towns on no route.
    pub not_in_plan: Vec<String>,
    /// Every rule broken, one line each (naming the route and town).
    pub violations: Vec<String>,
}

impl From<Eta> for EtaReport {
    fn from(e: Eta) -> EtaReport {
        EtaReport {
            feasible: e.is_feasible(),
            problem: e.schedule.problem,
            routes: e.schedule.routes,
            totals: e.schedule.totals,
            not_in_plan: e.not_in_plan,
            violations: e.violations.iter().map(ToString::to_string).collect(),
        }
    }
}

impl EtaReport {
    /// The report as pretty JSON (with a final newline).
    pub fn to_json(&self) -> String {
        // Strings, integers, floats and sequences: serde_json always
        // serialises them.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Plan mode: times the routes of `text` (the JSON `solve --out` writes, a
/// JSON of sequences, or a CVRPLIB `.sol`; see [`crate::io::routes`]) on
/// `problem` and validates them. `source_name` labels errors.
pub fn eta_text(problem: &Problem, oracle: &dyn TravelOracle, text: &str, source_name: &str) -> Result<EtaReport> {
    let plan = crate::io::read_routes(text, source_name, problem)?;
    Ok(eta(problem, oracle, &plan).into())
}

/// Where a new order fits ([`crate::solution::fit`]), for any caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct FitReport {
    /// The new town's id.
    pub town: String,
    /// Some place takes it.
    pub fits: bool,
    /// The cheapest places, cheapest first.
    pub options: Vec<FitPlace>,
    /// Why no place takes it (when `options` is empty): `{"kind":
    /// "demand_exceeds_capacity", …}` and the other kinds of a solution's
    /// unassigned towns.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "serve", schema(value_type = Option<Object>))]
    pub reason: Option<UnassignedReason>,
    /// The same reason in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub because: Option<String>,
}

/// One place a new town can go.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct FitPlace {
    /// Vehicle type id.
    pub vehicle_type: String,
    /// Which vehicle of the type (numbered as the plan's routes are).
    pub vehicle: u32,
    /// Index of the route in the plan; `None`: a vehicle not on the road yet.
    pub route: Option<usize>,
    /// The town becomes stop `position` of the route (0-based).
    pub position: usize,
    /// The stop before it (`None`: it is the first).
    pub after: Option<String>,
    /// The stop after it (`None`: it is the last).
    pub before: Option<String>,
    /// What the plan's objective gains (money, or distance units).
    pub added_cost: f64,
    /// Distance added.
    pub added_distance: i64,
    /// Route duration added, seconds.
    pub added_duration_s: i64,
    /// When service at the new town starts, seconds.
    pub start_s: i64,
    /// The route with the town in it, timed (as a route of a solution).
    #[cfg_attr(feature = "serve", schema(value_type = Object))]
    pub schedule: Route,
    /// The route's other stops whose service start moves.
    pub moved: Vec<MovedStop>,
}

/// A stop whose service start moves when the new town is inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct MovedStop {
    /// Town id.
    pub town: String,
    /// Service start before, seconds.
    pub start_s_before: i64,
    /// Service start after, seconds.
    pub start_s_after: i64,
}

impl FitReport {
    /// The report as pretty JSON (with a final newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Where the town of `town_json` (a town of the JSON problem model: id,
/// location, demand, windows…) fits into the routes of `plan_text` (as
/// [`eta_text`] reads them): the `top` cheapest feasible places with the
/// new times of the stops they move, or the reason there is none. The
/// distance oracle is built for the problem with the new town.
///
/// Errors: [`crate::Error::Json`] for malformed JSON; the town's checks
/// ([`Problem::with_town`]); the plan's ([`crate::io::read_routes`]); a
/// town already on a route.
///
/// Its steps are public for callers that check the inputs between them
/// (the HTTP service holds the plan to its limits before the oracle is
/// built): [`Problem::with_town`], [`crate::distance::build_oracle`],
/// [`crate::io::read_routes`], then [`fit_new_town`].
pub fn fit_json(
    problem: &Problem,
    plan_text: &str,
    source_name: &str,
    town_json: &str,
    top: usize,
) -> Result<FitReport> {
    let spec: TownSpec = serde_json::from_str(town_json).map_err(|source| crate::Error::Json {
        source_name: "town".into(),
        source,
    })?;
    let problem = problem.with_town(spec)?;
    let oracle = build_oracle(&problem)?;
    let plan = crate::io::read_routes(plan_text, source_name, &problem)?;
    fit_new_town(&problem, oracle.as_ref(), &plan, top)
}

/// The last step of [`fit_json`]: where the last town of `problem` (the
/// new one, as [`Problem::with_town`] adds it) fits into `plan` (read
/// against that problem), its `top` cheapest places or the reason there is
/// none.
///
/// Errors: [`crate::Error::InvalidProblem`] if the problem has no town;
/// [`crate::Error::SolutionMismatch`] if the town is already on a route.
pub fn fit_new_town(problem: &Problem, oracle: &dyn TravelOracle, plan: &Plan, top: usize) -> Result<FitReport> {
    let town = problem
        .towns
        .len()
        .checked_sub(1)
        .ok_or_else(|| crate::Error::InvalidProblem("the problem has no town to fit".into()))?;
    fit_report(problem, oracle, plan, town, top)
}

/// [`crate::solution::fit`] of town `town` as a [`FitReport`].
fn fit_report(problem: &Problem, oracle: &dyn TravelOracle, plan: &Plan, town: usize, top: usize) -> Result<FitReport> {
    let found = fit(problem, oracle, plan, town, top)?;
    // One route timed as the plan's schedule times it.
    let timed = |route: &PlannedRoute| -> Option<Route> {
        let alone = Plan {
            routes: vec![route.clone()],
            unassigned: Vec::new(),
        };
        Solution::from_plan(problem, oracle, &alone).routes.into_iter().next()
    };
    // Vehicles numbered per type in route order, as the schedule numbers them.
    let mut next = vec![0u32; problem.fleet.len()];
    let numbers: Vec<u32> = plan
        .routes
        .iter()
        .map(|r| {
            let k = next[r.vehicle_type];
            next[r.vehicle_type] += u32::from(!r.towns.is_empty());
            k
        })
        .collect();
    let id = |t: Option<&usize>| t.map(|&t| problem.towns[t].id.clone());
    let mut options = Vec::with_capacity(found.options.len());
    for o in &found.options {
        let Some(mut schedule) = timed(&o.planned) else {
            continue;
        };
        schedule.vehicle = o.route.map_or(next[o.vehicle_type], |r| numbers[r]);
        let earlier = o.route.and_then(|r| timed(&plan.routes[r]));
        let moved = earlier
            .iter()
            .flat_map(|e| &e.stops)
            .filter_map(|was| {
                let now = schedule.stops.iter().find(|s| s.town == was.town)?;
                (now.start_s != was.start_s).then(|| MovedStop {
                    town: was.town.clone(),
                    start_s_before: was.start_s,
                    start_s_after: now.start_s,
                })
            })
            .collect();
        options.push(FitPlace {
            vehicle_type: problem.fleet[o.vehicle_type].id.clone(),
            vehicle: schedule.vehicle,
            route: o.route,
            position: o.position,
            after: o.position.checked_sub(1).and_then(|p| id(o.planned.towns.get(p))),
            before: id(o.planned.towns.get(o.position + 1)),
            added_cost: o.added_cost,
            added_distance: o.added_distance,
            added_duration_s: o.added_duration_s,
            start_s: schedule.stops.get(o.position).map_or(0, |s| s.start_s),
            schedule,
            moved,
        });
    }
    Ok(FitReport {
        town: problem.towns[town].id.clone(),
        fits: !options.is_empty(),
        options,
        because: found.reason.as_ref().map(ToString::to_string),
        reason: found.reason,
    })
}
