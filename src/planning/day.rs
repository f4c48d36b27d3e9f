//! Re-planning during the day: a problem with a state of the day
//! ([`crate::model::day`]) becomes the problem of the rest of the day,
//! which the solver plans like any other.
//!
//! Each vehicle on the road becomes a vehicle type of its own (one
//! vehicle, named by its id) that starts where it will be free: after its
//! fixed stops, which are timed here by the route rule from where it is
//! now and must hold (else [`Error::FixedStopsInfeasible`]), at a depot of
//! its own at that place (`"<id>@now"`). Its limits are what is left of
//! them: its shift from when it started, its distance, stops and reloads,
//! the window breaks not yet taken, its capacity less what it carries
//! back; its fixed cost is spent. Towns done, and fixed or next stops, are
//! out of the problem; a vehicle down returns its fixed stops to the pool.
//! The vehicles still at their depot leave no earlier than `now`.
//!
//! What it does not model yet: a driver's driving since the last break
//! (the driving rule counts from where the vehicle is), and the goods on
//! board per town (a vehicle's remaining deliveries are counted as on
//! board from where it is, so a town may move to another vehicle with its
//! goods; what a vehicle carries back counts on every trip after a reload
//! too, which is safe but not exact).

use crate::distance::build_oracle;
use crate::error::{Error, Result};
use crate::io::{InitialPlan, read_initial_plan};
use crate::model::day::{DayState, Position, VehicleState};
use crate::model::timing::END_OF_TIME;
use crate::model::{BreakRule, Depot, Location, PickupOrder, Problem, RouteEnd, Town, VehicleType, Window};
use crate::solution::{Break, Plan, PlannedRoute, Solution, Stop, validate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What became of each vehicle of the state of the day, for the outputs
/// of a re-plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayReport {
    /// The time of the re-plan, seconds.
    pub now: i64,
    /// The vehicles of the state, in its order.
    pub vehicles: Vec<VehicleReport>,
    /// Towns a vehicle that is down was to serve next: back in the pool.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub back_in_pool: Vec<String>,
}

impl DayReport {
    /// A solution JSON (as `backroads solve --out` writes it) with this
    /// report as its `"day"` field.
    pub fn add_to(&self, solution_json: &str) -> Result<String> {
        let json = |source| Error::Json {
            source_name: "solution".into(),
            source,
        };
        let mut value: serde_json::Value = serde_json::from_str(solution_json).map_err(json)?;
        value["day"] = serde_json::to_value(self).map_err(json)?;
        serde_json::to_string_pretty(&value).map_err(json)
    }
}

/// One vehicle of the state of the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VehicleReport {
    /// Its id: the `vehicle_type` of its route in the re-plan.
    pub id: String,
    /// Its vehicle type in the problem.
    pub vehicle_type: String,
    /// Which vehicle of that type.
    pub vehicle: u32,
    /// `working`, `down` (no more work today), `no_time_left` (its
    /// working hours or shift end before it is free) or `no_stops_left`
    /// (it has served its type's `max_stops` towns).
    pub status: String,
    /// Towns it has served.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<String>,
    /// Its fixed stops (the town it drives to first), timed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<Stop>,
    /// Breaks its driver takes during the fixed stops.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
    /// The depot its route in the re-plan starts from: where it is free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_at: Option<String>,
    /// When it is free, seconds.
    pub free_s: i64,
}

/// A problem's state of the day, settled: the report and how the plan it
/// followed maps onto the problem of the rest of the day.
#[derive(Debug, Clone)]
pub struct SettledDay {
    /// What became of each vehicle.
    pub report: DayReport,
    /// (vehicle type id, vehicle) of each vehicle of the state → the id of
    /// its own vehicle type in the settled problem (`None`: no more work).
    vehicles: HashMap<(String, u32), Option<String>>,
}

/// The problem of the rest of the day (module docs) and what became of
/// each vehicle, or the problem itself and `None` when it has no state.
///
/// Errors: [`Error::FixedStopsInfeasible`] when a vehicle's fixed stops
/// break a rule from where it is (late, over capacity, over its shift…);
/// [`Error::InvalidProblem`] for a town locked to a vehicle that is down
/// or has no more work (no time or no stops left), or, deliveries first, a
/// delivery locked to a vehicle that has collected;
/// travel errors of the fixed stops' travel (a road network's snapping).
pub fn settle_day(problem: Problem) -> Result<(Problem, Option<SettledDay>)> {
    let Some(state) = problem.day.clone() else {
        return Ok((problem, None));
    };
    let mut out = problem.clone();
    out.day = None;
    let mut report = DayReport {
        now: state.now,
        vehicles: Vec::with_capacity(state.vehicles.len()),
        back_in_pool: Vec::new(),
    };
    let mut vehicles = HashMap::new();
    let mut gone: HashSet<usize> = HashSet::new();
    // For each vehicle with work left: its settled type's index in `out`
    // and its base type.
    let mut own_types: Vec<(usize, usize, &VehicleState, bool)> = Vec::new();
    // Ids a new depot may not take: one set, not a scan of every id per try.
    let mut taken: HashSet<String> = problem
        .depots
        .iter()
        .map(|d| d.id.clone())
        .chain(problem.towns.iter().map(|t| t.id.clone()))
        .collect();
    let mut listed = vec![0u32; problem.fleet.len()];
    for v in &state.vehicles {
        listed[v.vehicle_type] += 1;
        gone.extend(v.done.iter().copied());
        let base = &problem.fleet[v.vehicle_type];
        let key = (base.id.clone(), v.number);
        let mut entry = VehicleReport {
            id: v.id.clone(),
            vehicle_type: base.id.clone(),
            vehicle: v.number,
            status: "working".into(),
            done: v.done.iter().map(|&t| problem.towns[t].id.clone()).collect(),
            fixed: Vec::new(),
            breaks: Vec::new(),
            free_at: None,
            free_s: state.now,
        };
        if v.is_down(state.now) {
            if let Some(&t) = v.locked.first() {
                return Err(Error::InvalidProblem(format!(
                    "state: town '{}' is locked to vehicle '{}', which is down",
                    problem.towns[t].id, v.id
                )));
            }
            entry.status = "down".into();
            report
                .back_in_pool
                .extend(next_stops(v).iter().map(|&t| problem.towns[t].id.clone()));
            report.vehicles.push(entry);
            vehicles.insert(key, None);
            continue;
        }
        let mut free = free_after_fixed(&problem, &state, v)?;
        gone.extend(next_stops(v));
        entry.fixed = std::mem::take(&mut free.fixed_stops);
        entry.breaks = std::mem::take(&mut free.breaks);
        entry.free_s = free.time;
        match own_type(&problem, &state, v, &free) {
            Ok(vt) => {
                let depot = out.depots.len();
                let depot_id = unused_id(&mut taken, &format!("{}@now", v.id));
                out.depots.push(Depot {
                    id: depot_id.clone(),
                    name: format!("where {} is free", v.id),
                    location: free.location,
                    hours: Window {
                        open: free.time,
                        close: END_OF_TIME,
                    },
                });
                entry.free_at = Some(depot_id);
                let k = out.fleet.len();
                let collects = free.carried.iter().any(|&c| c > 0);
                out.fleet.push(VehicleType { depot, ..vt });
                own_types.push((k, v.vehicle_type, v, collects));
                vehicles.insert(key, Some(v.id.clone()));
            }
            Err(no_more) => {
                // Its locks cannot hold (and are not dropped silently: the
                // town would go to another vehicle).
                if let Some(&t) = v.locked.first() {
                    return Err(Error::InvalidProblem(format!(
                        "state: town '{}' is locked to vehicle '{}', which {}",
                        problem.towns[t].id,
                        v.id,
                        no_more.says()
                    )));
                }
                entry.status = no_more.status().into();
                vehicles.insert(key, None);
            }
        }
        report.vehicles.push(entry);
    }
    // The vehicles still at their depots: fewer (those listed are
    // accounted for), leaving from now.
    for (k, vt) in out.fleet.iter_mut().enumerate().take(problem.fleet.len()) {
        vt.count = vt.count.map(|c| c.saturating_sub(listed[k]));
        if vt.shift.open < state.now {
            vt.shift.open = state.now.min(vt.shift.close);
            if state.now > problem.working_hours(k).close {
                vt.count = Some(0);
            }
        }
    }
    let locked: HashMap<usize, usize> = own_types
        .iter()
        .flat_map(|&(k, _, v, _)| v.locked.iter().map(move |&t| (t, k)))
        .collect();
    let own_of_type: HashMap<usize, (&VehicleState, bool)> = own_types
        .iter()
        .map(|&(k, _, v, collects)| (k, (v, collects)))
        .collect();
    let all_types = out.fleet.len();
    let mut towns: Vec<Town> = Vec::with_capacity(problem.towns.len());
    for (t, town) in problem.towns.iter().enumerate() {
        if gone.contains(&t) {
            continue;
        }
        let mut town = town.clone();
        // Deliveries first: a vehicle that has begun collecting delivers no
        // more.
        let barred = |collects: bool| collects && out.pickup_order == PickupOrder::DeliveriesFirst && town.delivers();
        if let Some(&k) = locked.get(&t) {
            if let Some(&(v, collects)) = own_of_type.get(&k)
                && barred(collects)
            {
                return Err(Error::InvalidProblem(format!(
                    "state: town '{}' is locked to vehicle '{}', which has collected goods and, deliveries \
                     first, may deliver no more",
                    town.id, v.id
                )));
            }
            town.allowed_types = vec![k];
        } else {
            let everyone = town.allowed_types.is_empty();
            let mut allowed: Vec<usize> = (0..problem.fleet.len()).filter(|&k| town.allows_type(k)).collect();
            for &(k, base, _, collects) in &own_types {
                if town.allows_type(base) && !barred(collects) {
                    allowed.push(k);
                }
            }
            town.allowed_types = if everyone && allowed.len() == all_types {
                Vec::new()
            } else {
                allowed
            };
        }
        towns.push(town);
    }
    out.towns = towns;
    Ok((out, Some(SettledDay { report, vehicles })))
}

/// The towns a vehicle serves next whatever the re-plan: the one it
/// drives to, then its fixed stops.
fn next_stops(v: &VehicleState) -> Vec<usize> {
    let mut next = Vec::with_capacity(v.fixed.len() + 1);
    if let Position::Between { to, .. } = v.position {
        next.push(to);
    }
    next.extend(&v.fixed);
    next
}

/// Where and when a vehicle is free: after its fixed stops.
struct Free {
    location: Location,
    time: i64,
    /// Distance driven through the fixed stops.
    distance: i64,
    /// What it carries back, per capacity dimension (collected before and
    /// during the fixed stops).
    carried: Vec<u32>,
    /// Window breaks taken, before and during the fixed stops.
    window_breaks_taken: u32,
    fixed_stops: Vec<Stop>,
    breaks: Vec<Break>,
    /// Towns served today, the fixed stops included.
    served: u32,
}

/// Times a vehicle's fixed stops from where it is now by the route rule
/// (a one-vehicle problem of those stops, an open route checked by the
/// validator).
fn free_after_fixed(problem: &Problem, state: &DayState, v: &VehicleState) -> Result<Free> {
    let base = &problem.fleet[v.vehicle_type];
    let location_of = |loc: usize| {
        if loc < problem.depots.len() {
            problem.depots[loc].location
        } else {
            problem.towns[loc - problem.depots.len()].location
        }
    };
    let here = match v.position {
        Position::At(loc) | Position::Between { from: loc, .. } => location_of(loc),
        Position::Point(p) => p,
    };
    let stops = next_stops(v);
    let mut free = Free {
        location: here,
        time: state.now,
        distance: 0,
        carried: v.collected.clone(),
        window_breaks_taken: v.window_breaks_taken,
        fixed_stops: Vec::new(),
        breaks: Vec::new(),
        served: v.done.len() as u32,
    };
    if stops.is_empty() {
        return Ok(free);
    }
    let mut towns: Vec<Town> = stops.iter().map(|&t| problem.towns[t].clone()).collect();
    for t in &mut towns {
        // On board already, by whichever vehicle type.
        t.allowed_types.clear();
        t.release = 0;
        t.patterns.clear();
    }
    let close = working_close(problem, v);
    let elapsed = state.now - v.started;
    let mut vt = VehicleType {
        depot: 0,
        count: Some(1),
        end: RouteEnd::LastStop,
        reload_depots: Vec::new(),
        fixed_cost: 0,
        shift: Window {
            open: state.now.min(close),
            close,
        },
        breaks: breaks_left(&base.breaks, v.window_breaks_taken, state.now),
        ..left_of(base, v, elapsed, 0, 0)
    };
    vt.max_stops = None;
    let mut tiny = Problem {
        name: format!("fixed stops of {}", v.id),
        depots: vec![Depot {
            id: format!("{}@now", v.id),
            name: String::new(),
            location: here,
            hours: Window {
                open: state.now,
                close: END_OF_TIME,
            },
        }],
        towns,
        fleet: vec![vt],
        travel: problem.travel.clone(),
        horizon_days: None,
        max_snap_m: problem.max_snap_m,
        rounding: problem.rounding,
        pickup_order: problem.pickup_order,
        day: None,
    };
    let oracle = build_oracle(&tiny)?;
    if let Position::Between { progress, .. } = v.position {
        // It left `from` this long ago: the route starts then, so its shift
        // has been used until then (not until now, or the leg so far would
        // count twice).
        let leg = oracle.travel_time(&tiny.fleet[0], 0, 1);
        let left = (state.now - (progress * leg as f64).round() as i64).max(v.started);
        let until_left = left_of(base, v, left - v.started, 0, 0);
        let vt = &mut tiny.fleet[0];
        vt.shift.open = left.min(close);
        vt.max_duration = until_left.max_duration;
        vt.max_overtime = until_left.max_overtime;
        tiny.depots[0].hours.open = left;
    }
    let plan = Plan {
        routes: vec![PlannedRoute {
            vehicle_type: 0,
            towns: (0..stops.len()).collect(),
            reloads: Vec::new(),
        }],
        unassigned: Vec::new(),
    };
    let solution = Solution::from_plan(&tiny, oracle.as_ref(), &plan);
    let checked = validate(&tiny, oracle.as_ref(), &solution);
    if !checked.is_feasible() {
        return Err(Error::FixedStopsInfeasible {
            vehicle: v.id.clone(),
            violations: checked.violations.iter().map(|x| x.to_string()).collect(),
        });
    }
    let Some(route) = solution.routes.into_iter().next() else {
        return Err(Error::FixedStopsInfeasible {
            vehicle: v.id.clone(),
            violations: vec!["its fixed stops make no route".into()],
        });
    };
    let last = stops[stops.len() - 1];
    free.location = problem.towns[last].location;
    free.time = route.end_s;
    free.distance = route.distance;
    for &t in &stops {
        for (d, c) in free.carried.iter_mut().enumerate() {
            *c = c.saturating_add(problem.towns[t].amounts(d).1);
        }
    }
    free.window_breaks_taken += route
        .breaks
        .iter()
        .filter(|b| b.kind == crate::model::BreakKind::Window)
        .count() as u32;
    free.served += stops.len() as u32;
    free.fixed_stops = route.stops;
    free.breaks = route.breaks;
    Ok(free)
}

/// When a vehicle must be done: its type's working hours, or earlier
/// when it is unavailable from then.
fn working_close(problem: &Problem, v: &VehicleState) -> i64 {
    let close = problem.working_hours(v.vehicle_type).close;
    v.unavailable_from.map_or(close, |t| close.min(t))
}

/// Why a vehicle that is not down has no more work today.
#[derive(Debug, Clone, Copy)]
enum NoMoreWork {
    /// Its working hours or shift end before it is free.
    Time,
    /// It has served its type's `max_stops` towns (fixed stops included).
    Stops,
}

impl NoMoreWork {
    /// Its status in the report.
    fn status(self) -> &'static str {
        match self {
            NoMoreWork::Time => "no_time_left",
            NoMoreWork::Stops => "no_stops_left",
        }
    }

    /// The reason, after "which".
    fn says(self) -> &'static str {
        match self {
            NoMoreWork::Time => "has no time left (its working hours or shift end before it is free)",
            NoMoreWork::Stops => "has no stops left (it has served its vehicle type's max_stops towns)",
        }
    }
}

/// The vehicle type of one vehicle from when it is free, less its
/// `depot` (set by the caller), or why it has no more work.
fn own_type(problem: &Problem, state: &DayState, v: &VehicleState, free: &Free) -> Result<VehicleType, NoMoreWork> {
    let base = &problem.fleet[v.vehicle_type];
    let elapsed = free.time - v.started;
    let mut close = working_close(problem, v);
    if let Some(limit) = base.duration_limit() {
        // The route starts when it is free or later: its end by then keeps
        // the whole day's shift.
        close = close.min(free.time.saturating_add(limit - elapsed));
    }
    if free.time > close {
        return Err(NoMoreWork::Time);
    }
    let mut vt = left_of(base, v, elapsed, free.distance, free.served);
    if vt.max_stops == Some(0) {
        // A type of no stops is no vehicle type (`max_stops` is at least 1).
        return Err(NoMoreWork::Stops);
    }
    vt.id = v.id.clone();
    vt.count = Some(1);
    let on_road = free.served > 0 || v.position != Position::At(base.depot) || free.time > state.now;
    if on_road || v.started < state.now {
        vt.fixed_cost = 0;
    }
    vt.shift = Window { open: free.time, close };
    vt.breaks = breaks_left(&base.breaks, free.window_breaks_taken, free.time);
    // What it carries back holds what it had collected (which `left_of`
    // took off already) and the fixed stops' pickups: from the base type's.
    let capacities = std::iter::once(&mut vt.capacity).chain(vt.extra_capacity.iter_mut());
    let bases = std::iter::once(base.capacity).chain(base.extra_capacity.iter().copied());
    for ((c, b), carried) in capacities.zip(bases).zip(&free.carried) {
        *c = b.saturating_sub(*carried);
    }
    Ok(vt)
}

/// `base` with what is left of its limits after `elapsed` seconds of its
/// shift, `distance` driven besides what the state says, and `served`
/// towns; capacities less what the vehicle collected.
fn left_of(base: &VehicleType, v: &VehicleState, elapsed: i64, distance: i64, served: u32) -> VehicleType {
    let mut vt = base.clone();
    vt.id = v.id.clone();
    if let Some(regular) = base.max_duration {
        let limit = regular.saturating_add(base.max_overtime) - elapsed;
        let regular_left = (regular - elapsed).max(0);
        vt.max_duration = Some(regular_left);
        vt.max_overtime = (limit - regular_left).max(0);
    }
    vt.max_distance = base.max_distance.map(|m| (m - v.driven - distance).max(0));
    vt.max_stops = base.max_stops.map(|m| m.saturating_sub(served));
    vt.max_reloads = base.max_reloads.map(|m| m.saturating_sub(v.reloads_done));
    let capacities = std::iter::once(&mut vt.capacity).chain(vt.extra_capacity.iter_mut());
    for (c, collected) in capacities.zip(&v.collected) {
        *c = c.saturating_sub(*collected);
    }
    vt
}

/// The break rules still to keep from `from` on: the driving rule, and the
/// window rules after the first `taken` (by opening) whose window has not
/// closed, opening no earlier than `from` (the clock takes those only).
fn breaks_left(rules: &[BreakRule], taken: u32, from: i64) -> Vec<BreakRule> {
    let mut windows_seen = 0;
    let mut out = Vec::with_capacity(rules.len());
    for rule in rules {
        match *rule {
            BreakRule::Window { length_s, window } => {
                windows_seen += 1;
                if windows_seen <= taken || window.close < from {
                    continue;
                }
                out.push(BreakRule::Window {
                    length_s,
                    window: Window {
                        open: window.open.max(from),
                        close: window.close,
                    },
                });
            }
            BreakRule::Driving { .. } => out.push(*rule),
        }
    }
    out
}

/// `wanted`, or with primes added until it is not `taken`; taken from now on.
fn unused_id(taken: &mut HashSet<String>, wanted: &str) -> String {
    let mut id = wanted.to_string();
    while taken.contains(&id) {
        id.push('\'');
    }
    taken.insert(id.clone());
    id
}

impl SettledDay {
    /// Reads a previous plan against a problem `settle_day` returned: through
    /// [`SettledDay::initial_plan`] when it had a state of the day, else as
    /// it is ([`read_initial_plan`]). Every front end's `initial` reads so.
    pub fn read_initial(
        day: Option<&SettledDay>,
        text: &str,
        source_name: &str,
        settled: &Problem,
    ) -> Result<InitialPlan> {
        match day {
            Some(day) => day.initial_plan(text, source_name, settled),
            None => read_initial_plan(text, source_name, settled),
        }
    }

    /// Reads the plan the vehicles followed (the JSON `solve --out` wrote,
    /// or sequences; see [`read_initial_plan`]) against the settled
    /// problem: the route of each vehicle of the state becomes the route
    /// of its own vehicle type (its `vehicle` field, or its rank among the
    /// routes of its type, says which vehicle it is), a vehicle with no
    /// more work loses its route, and the towns done or fixed are left
    /// out as the problem no longer has them. A `.sol` is read as it is.
    pub fn initial_plan(&self, text: &str, source_name: &str, settled: &Problem) -> Result<InitialPlan> {
        let head = text.trim_start_matches('\u{feff}').trim_start();
        if !head.starts_with('{') {
            return read_initial_plan(text, source_name, settled);
        }
        let mut value: serde_json::Value = serde_json::from_str(text).map_err(|source| Error::Json {
            source_name: source_name.to_string(),
            source,
        })?;
        if let Some(routes) = value.get_mut("routes").and_then(|r| r.as_array_mut()) {
            let mut rank: HashMap<String, u32> = HashMap::new();
            let mut kept = Vec::with_capacity(routes.len());
            for mut route in std::mem::take(routes) {
                let Some(ty) = route.get("vehicle_type").and_then(|t| t.as_str()).map(str::to_string) else {
                    kept.push(route);
                    continue;
                };
                // Vehicles are numbered as `vehicle_of_each_town` numbers
                // them: routes with no stop take no number.
                let empty = route
                    .get("stops")
                    .and_then(|s| s.as_array())
                    .is_some_and(|s| s.is_empty());
                let ranked = rank.entry(ty.clone()).or_default();
                let number = route
                    .get("vehicle")
                    .and_then(|n| n.as_u64())
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(*ranked);
                if !empty {
                    *ranked += 1;
                }
                match self.vehicles.get(&(ty, number)) {
                    Some(Some(own)) => {
                        route["vehicle_type"] = serde_json::Value::String(own.clone());
                        kept.push(route);
                    }
                    Some(None) => {}
                    None => kept.push(route),
                }
            }
            *routes = kept;
        }
        read_initial_plan(&value.to_string(), source_name, settled)
    }
}
