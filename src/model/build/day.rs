//! The state of the day: ids to indices, times to seconds, amounts to
//! each capacity dimension, and every reference checked against the built
//! problem (a town in two vehicles' lists, a vehicle listed twice, a lock
//! to a vehicle that is not listed…).

use super::checks::{check_location, to_count};
use crate::error::{Error, Result};
use crate::model::day::{DayState, Position, VehicleState};
use crate::model::spec::{DayStateSpec, PositionSpec, TimeSpec};
use crate::model::{Problem, Travel};
use std::collections::{HashMap, HashSet};

/// Most vehicles a state of the day may list (each is timed on its own
/// when settled).
pub(super) const MAX_STATE_VEHICLES: usize = 10_000;

/// The checked state of the day of `problem` (built without it).
pub(super) fn build_day(spec: DayStateSpec, problem: &Problem) -> Result<DayState> {
    let invalid = |what: String| Error::InvalidProblem(format!("state: {what}"));
    if problem.horizon_days.is_some() {
        return Err(invalid(
            "a state of the day re-plans a single day; a multi-day plan is planned from nothing".into(),
        ));
    }
    if matches!(problem.travel, Travel::Matrix { .. }) {
        return Err(invalid(
            "re-planning from the state of the day is not supported with a travel matrix yet (vehicles on the \
             road need travel from where they are): give coordinates or a road network"
                .into(),
        ));
    }
    if spec.vehicles.len() > MAX_STATE_VEHICLES {
        return Err(Error::TooLarge {
            what: "vehicles in the state of the day",
            value: spec.vehicles.len() as u64,
            limit: MAX_STATE_VEHICLES as u64,
        });
    }
    let time =
        |owner: &str, field: &str, t: &TimeSpec| t.seconds().map_err(|e| invalid(format!("{field} of {owner}: {e}")));
    let now = time("the state", "now", &spec.now)?;
    let towns = problem.town_indices();
    let depots = problem.depots.len();
    let location = |id: &str| problem.depot_index(id).or_else(|| towns.get(id).map(|&t| depots + t));
    let mut seen_vehicle = HashSet::new();
    let mut names: HashSet<String> = problem
        .fleet
        .iter()
        .map(|v| v.id.clone())
        .chain(problem.depots.iter().map(|d| d.id.clone()))
        .chain(problem.towns.iter().map(|t| t.id.clone()))
        .collect();
    // Which vehicle already claims each town (done or fixed).
    let mut claimed: HashMap<usize, String> = HashMap::new();
    let mut vehicles = Vec::with_capacity(spec.vehicles.len());
    for v in spec.vehicles {
        let vehicle_type = problem
            .vehicle_type_index(&v.vehicle_type)
            .ok_or_else(|| Error::UnknownId {
                kind: "vehicle type",
                id: v.vehicle_type.clone(),
                referenced_by: "the state's vehicles".into(),
            })?;
        let id =
            v.id.clone()
                .unwrap_or_else(|| format!("{}#{}", v.vehicle_type, v.vehicle));
        let owner = format!("vehicle '{id}'");
        if !seen_vehicle.insert((vehicle_type, v.vehicle)) {
            return Err(invalid(format!(
                "vehicle {} of type '{}' is listed twice",
                v.vehicle, v.vehicle_type
            )));
        }
        if problem.fleet[vehicle_type].count.is_some_and(|c| v.vehicle >= c) {
            return Err(invalid(format!(
                "{owner}: vehicle {} of type '{}', which has {} vehicles (numbered from 0)",
                v.vehicle,
                v.vehicle_type,
                problem.fleet[vehicle_type].count.unwrap_or(0)
            )));
        }
        if !names.insert(id.clone()) {
            return Err(Error::DuplicateId {
                kind: "vehicle (the state's id, a town's, a depot's or a vehicle type's)",
                id,
            });
        }
        let town = |tid: &String, list: &str| {
            towns.get(tid.as_str()).copied().ok_or_else(|| Error::UnknownId {
                kind: "town",
                id: tid.clone(),
                referenced_by: format!("{owner} ({list})"),
            })
        };
        let mut done = Vec::with_capacity(v.done.len());
        let mut fixed = Vec::with_capacity(v.fixed.len());
        for (list, ids, out) in [("done", &v.done, &mut done), ("fixed", &v.fixed, &mut fixed)] {
            for tid in ids {
                let t = town(tid, list)?;
                if let Some(other) = claimed.insert(t, id.clone()) {
                    return Err(invalid(format!(
                        "town '{tid}' is listed twice (in {list} of {owner}, and by vehicle '{other}')"
                    )));
                }
                out.push(t);
            }
        }
        let position = match &v.position {
            None => Position::At(problem.fleet[vehicle_type].depot),
            Some(PositionSpec::At { at }) => Position::At(location(at).ok_or_else(|| Error::UnknownId {
                kind: "town or depot",
                id: at.clone(),
                referenced_by: format!("{owner} (position)"),
            })?),
            Some(PositionSpec::Between { between, progress }) => {
                let from = location(&between[0]).ok_or_else(|| Error::UnknownId {
                    kind: "town or depot",
                    id: between[0].clone(),
                    referenced_by: format!("{owner} (position)"),
                })?;
                let to = town(&between[1], "position")?;
                if !(progress.is_finite() && (0.0..=1.0).contains(progress)) {
                    return Err(Error::InvalidValue {
                        owner,
                        field: "progress",
                        value: progress.to_string(),
                        reason: "must be within 0..=1",
                    });
                }
                if done.contains(&to) || fixed.contains(&to) {
                    return Err(invalid(format!(
                        "{owner} drives to '{}', which it also lists as done or fixed: the town it drives to is \
                         its next stop",
                        between[1]
                    )));
                }
                if let Some(other) = claimed.insert(to, id.clone()) {
                    return Err(invalid(format!(
                        "town '{}' is listed twice (the next stop of {owner}, and by vehicle '{other}')",
                        between[1]
                    )));
                }
                Position::Between {
                    from,
                    to,
                    progress: *progress,
                }
            }
            Some(PositionSpec::Location { location }) => {
                check_location(&owner, location)?;
                let geo = problem.depots[0].location.is_geo();
                if location.is_geo() != geo {
                    return Err(invalid(format!(
                        "the position of {owner} mixes planar (x, y) and geographic (lon, lat) coordinates"
                    )));
                }
                Position::Point(*location)
            }
        };
        let vt = &problem.fleet[vehicle_type];
        let capacities: Vec<u32> = std::iter::once(vt.capacity)
            .chain(vt.extra_capacity.iter().copied())
            .collect();
        let mut collected = Vec::with_capacity(capacities.len());
        for (d, x) in v
            .collected
            .per_dimension(&owner, "collected", capacities.len())?
            .into_iter()
            .enumerate()
        {
            let c = to_count(&owner, "collected", x, false, u32::MAX as i64)? as u32;
            if c > capacities[d] {
                return Err(Error::InvalidValue {
                    owner,
                    field: "collected",
                    value: x.to_string(),
                    reason: "exceeds the vehicle's capacity",
                });
            }
            collected.push(c);
        }
        let started = match &v.started {
            Some(t) => time(&owner, "started", t)?,
            None => problem.working_hours(vehicle_type).open.min(now),
        };
        if started > now {
            return Err(invalid(format!("{owner} started after now ({started} s > {now} s)")));
        }
        let unavailable_from = v
            .unavailable_from
            .as_ref()
            .map(|t| time(&owner, "unavailable_from", t))
            .transpose()?;
        let driven = to_count(&owner, "driven", v.driven, false, i64::MAX / 4)?;
        vehicles.push(VehicleState {
            id,
            vehicle_type,
            number: v.vehicle,
            position,
            started,
            collected,
            done,
            fixed,
            locked: Vec::new(),
            driven,
            reloads_done: v.reloads_done,
            window_breaks_taken: v.window_breaks_taken,
            unavailable_from,
        });
    }
    for (tid, vid) in &spec.locks {
        let t = towns.get(tid.as_str()).copied().ok_or_else(|| Error::UnknownId {
            kind: "town",
            id: tid.clone(),
            referenced_by: "the state's locks".into(),
        })?;
        let Some(v) = vehicles.iter().position(|v| &v.id == vid) else {
            return Err(Error::UnknownId {
                kind: "vehicle (locks name a vehicle listed in the state's vehicles)",
                id: vid.clone(),
                referenced_by: format!("the lock of town '{tid}'"),
            });
        };
        if let Some(other) = claimed.get(&t) {
            return Err(invalid(format!(
                "town '{tid}' is locked to vehicle '{vid}' but listed by vehicle '{other}' (done, fixed or next)"
            )));
        }
        if !problem.towns[t].allows_type(vehicles[v].vehicle_type) {
            return Err(invalid(format!(
                "town '{tid}' is locked to vehicle '{vid}', whose vehicle type the town does not allow"
            )));
        }
        vehicles[v].locked.push(t);
    }
    Ok(DayState { now, vehicles })
}
