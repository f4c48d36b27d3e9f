//! Vehicle types: depot, count, capacity, limits, speed, costs, reloads,
//! breaks, shift, route end and overtime.

use super::checks::{to_count, to_window};
use crate::error::{Error, Result};
use crate::model::breaks::{BreakRule, MAX_BREAK_RULES, MAX_BREAK_S, check_rules};
use crate::model::{BreakSpec, Depot, RouteEnd, VehicleType, VehicleTypeSpec, Window};
use std::collections::HashMap;

/// Slowest vehicle speed accepted, km/h.
const MIN_SPEED_KMH: f64 = 0.1;

/// The break rules of a vehicle type, checked (typed errors naming the
/// type and field) and ordered for the clock.
fn break_rules(owner: &str, specs: &[BreakSpec]) -> Result<Vec<BreakRule>> {
    let bad = |field: &'static str, value: String, reason: &'static str| Error::InvalidValue {
        owner: owner.to_string(),
        field,
        value,
        reason,
    };
    if specs.len() > MAX_BREAK_RULES {
        return Err(bad("breaks", specs.len().to_string(), "more than 16 break rules"));
    }
    let mut rules = Vec::with_capacity(specs.len());
    for b in specs {
        let length_s = to_count(owner, "length_s", b.length_s, true, MAX_BREAK_S)?;
        rules.push(match (&b.after_driving_s, &b.window) {
            (Some(d), None) => BreakRule::Driving {
                max_driving_s: to_count(owner, "after_driving_s", *d, true, MAX_BREAK_S)?,
                length_s,
            },
            (None, Some(w)) => BreakRule::Window {
                length_s,
                window: to_window(owner, "break window", w)?,
            },
            _ => {
                return Err(bad(
                    "breaks",
                    format!("{b:?}"),
                    "a break rule gives exactly one of after_driving_s and window",
                ));
            }
        });
    }
    check_rules(rules).map_err(|(field, value, reason)| bad(field, value, reason))
}

/// The checked vehicle types, in input order; `depots` are the checked
/// depots they name.
pub(super) fn build_fleet(specs: Vec<VehicleTypeSpec>, depots: &[Depot], dims: usize) -> Result<Vec<VehicleType>> {
    // A map, not a scan per vehicle type: files with many depots have
    // as many vehicle types.
    let depot_ix: HashMap<&str, usize> = depots.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut fleet = Vec::with_capacity(specs.len());
    for v in specs {
        let owner = format!("vehicle type '{}'", v.id);
        let depot = depot_ix
            .get(v.depot.as_str())
            .copied()
            .ok_or_else(|| Error::UnknownId {
                kind: "depot",
                id: v.depot.clone(),
                referenced_by: owner.clone(),
            })?;
        let count = match v.count {
            None => None,
            Some(c) if c <= 0 => {
                return Err(Error::InvalidValue {
                    owner,
                    field: "count",
                    value: c.to_string(),
                    reason: "must be at least 1 (omit it for an unlimited fleet)",
                });
            }
            Some(c) => Some(u32::try_from(c).map_err(|_| Error::InvalidValue {
                owner: owner.clone(),
                field: "count",
                value: c.to_string(),
                reason: "is too large",
            })?),
        };
        let mut capacities = Vec::with_capacity(dims);
        for x in v.capacity.per_dimension(&owner, "capacity", dims)? {
            capacities.push(to_count(&owner, "capacity", x, true, u32::MAX as i64)? as u32);
        }
        let extra_capacity = capacities.split_off(1);
        let capacity = capacities[0];
        let max_distance = v
            .max_distance
            .map(|x| to_count(&owner, "max_distance", x, true, i64::MAX / 4))
            .transpose()?;
        let max_duration = v
            .max_duration_s
            .map(|x| to_count(&owner, "max_duration_s", x, true, i64::MAX / 4))
            .transpose()?;
        if !(v.speed_kmh.is_finite() && v.speed_kmh >= MIN_SPEED_KMH) {
            return Err(Error::InvalidValue {
                owner,
                field: "speed_kmh",
                value: v.speed_kmh.to_string(),
                reason: "must be a finite number >= 0.1 (km/h)",
            });
        }
        let fixed_cost = to_count(&owner, "fixed_cost", v.fixed_cost, false, u32::MAX as i64)?;
        for (field, x) in [
            ("cost_per_km", v.cost_per_km),
            ("cost_per_hour", v.cost_per_hour),
            ("cost_per_overtime_hour", v.cost_per_overtime_hour),
        ] {
            if !(x.is_finite() && (0.0..=1e9).contains(&x)) {
                return Err(Error::InvalidValue {
                    owner,
                    field,
                    value: x.to_string(),
                    reason: "must be a finite number within 0..=1e9",
                });
            }
        }
        let mut reload_depots = Vec::with_capacity(v.reload_depots.len());
        for id in &v.reload_depots {
            let d = depot_ix.get(id.as_str()).copied().ok_or_else(|| Error::UnknownId {
                kind: "depot",
                id: id.clone(),
                referenced_by: format!("{owner} (reload_depots)"),
            })?;
            reload_depots.push(d);
        }
        reload_depots.sort_unstable();
        reload_depots.dedup();
        let reload_time = to_count(&owner, "reload_time_s", v.reload_time_s, false, u32::MAX as i64)?;
        let breaks = break_rules(&owner, &v.breaks)?;
        let end = match (&v.end_depot, v.open) {
            (Some(_), true) => {
                return Err(Error::InvalidValue {
                    owner,
                    field: "open",
                    value: "true".into(),
                    reason: "is given with end_depot: a route ends at a depot or at its last stop, not both",
                });
            }
            (None, true) => RouteEnd::LastStop,
            (None, false) => RouteEnd::Depot(depot),
            (Some(id), false) => {
                RouteEnd::Depot(depot_ix.get(id.as_str()).copied().ok_or_else(|| Error::UnknownId {
                    kind: "depot",
                    id: id.clone(),
                    referenced_by: format!("{owner} (end_depot)"),
                })?)
            }
        };
        let shift = v.shift.as_ref().map(|w| to_window(&owner, "shift", w)).transpose()?;
        let shift = shift.unwrap_or(Window::ALWAYS);
        let end_hours = match end {
            RouteEnd::Depot(e) => depots[e].hours,
            RouteEnd::LastStop => Window::ALWAYS,
        };
        let hours = Window {
            open: depots[depot].hours.open,
            close: end_hours.close,
        };
        if hours.close < hours.open {
            return Err(Error::InvalidValue {
                owner,
                field: "end_depot",
                value: v.end_depot.clone().unwrap_or_default(),
                reason: "closes before the home depot opens: no route of the type could end there",
            });
        }
        if shift.open > hours.close || shift.close < hours.open {
            return Err(Error::InvalidValue {
                owner,
                field: "shift",
                value: format!("[{}, {}]", shift.open, shift.close),
                reason: "does not meet its depot's hours: no route of the type could leave",
            });
        }
        let max_stops = v
            .max_stops
            .map(|x| to_count(&owner, "max_stops", x as f64, true, u32::MAX as i64))
            .transpose()?
            .map(|x| x as u32);
        let max_overtime = to_count(&owner, "max_overtime_s", v.max_overtime_s, false, i64::MAX / 4)?;
        if max_overtime > 0 && max_duration.is_none() {
            return Err(Error::InvalidValue {
                owner,
                field: "max_overtime_s",
                value: v.max_overtime_s.to_string(),
                reason: "needs max_duration_s: overtime is the time beyond the shift's length",
            });
        }
        if v.cost_per_overtime_hour > 0.0 && max_overtime == 0 {
            return Err(Error::InvalidValue {
                owner,
                field: "cost_per_overtime_hour",
                value: v.cost_per_overtime_hour.to_string(),
                reason: "is given without max_overtime_s: no overtime is allowed, so it would never apply",
            });
        }
        fleet.push(VehicleType {
            id: v.id,
            reload_depots,
            reload_time,
            max_reloads: v.max_reloads,
            depot,
            count,
            capacity,
            extra_capacity,
            max_distance,
            max_duration,
            speed_kmh: v.speed_kmh,
            fixed_cost,
            cost_per_km: v.cost_per_km,
            cost_per_hour: v.cost_per_hour,
            breaks,
            shift,
            max_stops,
            max_overtime,
            cost_per_overtime_hour: v.cost_per_overtime_hour,
            end,
        });
    }
    Ok(fleet)
}
