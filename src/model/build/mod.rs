//! Validation of input specs ([`super::spec`]) into a [`Problem`], one
//! subject a file: capacity dimensions, depots and their hours, towns, the
//! fleet, travel; shared checks in `checks`, the way back in `to_spec`.
//! Every rejection is a typed [`Error`] naming the offending id.
//!
//! # Range limits
//! Besides the obvious (finite, non-negative, ids unique and known), values
//! are bounded so that no route sum can overflow the solver's `i64`
//! arithmetic, even over [`MAX_TOWNS`] stops:
//! * planar coordinates within ±10^9 (distances stay below 2.9 × 10^9);
//! * haversine `circuity` within 1..=100;
//! * `speed_kmh` at least 0.1 (at most 36 s per distance unit);
//! * matrix entries, demands, capacities and service times below 2^32.
//!
//! Each violation is an [`Error::InvalidValue`] naming the owner and field.

mod capacity;
mod checks;
mod day;
mod depots;
mod extend;
mod fleet;
#[cfg(test)]
mod tests;
mod to_spec;
mod towns;
mod travel;

use super::spec::DEFAULT_MAX_SNAP_M;
use super::{MAX_HORIZON_DAYS, MAX_TOWNS, Problem, ProblemSpec, Rounding, TravelSpec};
use crate::error::{Error, Result};
use capacity::capacity_dimensions;
use checks::{check_unique, unread_file};
use std::collections::HashSet;

impl Problem {
    /// Validates a spec and builds the problem.
    ///
    /// Besides structure (ids unique and known, something to deliver, a
    /// fleet) it enforces range limits that keep every route sum far inside
    /// the solver's `i64` arithmetic: planar coordinates within ±10^9,
    /// haversine `circuity` within 1..=100, `speed_kmh` at least 0.1, and
    /// demands, capacities, service times and matrix entries below 2^32.
    /// Each violation is an [`Error::InvalidValue`] naming owner and field.
    pub fn from_spec(spec: ProblemSpec) -> Result<Problem> {
        let dims = capacity_dimensions(&spec)?;
        check_structure(&spec)?;
        let depots = depots::build_depots(spec.depots)?;
        if let Some(h) = spec.horizon_days.filter(|h| !(1..=MAX_HORIZON_DAYS).contains(h)) {
            return Err(Error::InvalidValue {
                owner: "problem".into(),
                field: "horizon_days",
                value: h.to_string(),
                reason: "must be within 1..=64",
            });
        }
        let max_snap_m = match spec.max_snap_m {
            None => DEFAULT_MAX_SNAP_M,
            Some(m) if m.is_finite() && m >= 0.0 => m,
            Some(m) => {
                return Err(Error::InvalidValue {
                    owner: "problem".into(),
                    field: "max_snap_m",
                    value: m.to_string(),
                    reason: "must be a finite number of metres >= 0",
                });
            }
        };
        let (mut towns, town_types) = towns::build_towns(spec.towns, dims, spec.horizon_days)?;
        let geo = depots[0].location.is_geo();
        let mixed = depots
            .iter()
            .map(|d| (&d.id, d.location))
            .chain(towns.iter().map(|t| (&t.id, t.location)))
            .find(|(_, l)| l.is_geo() != geo);
        if let Some((id, _)) = mixed {
            return Err(Error::InvalidProblem(format!(
                "location of '{id}' mixes planar (x, y) and geographic (lon, lat) coordinates"
            )));
        }

        let fleet = fleet::build_fleet(spec.fleet, &depots, dims)?;
        towns::allow_vehicle_types(&mut towns, town_types, &fleet)?;

        let n = depots.len() + towns.len();
        let travel = travel::build_travel(spec.travel, geo, n)?;
        let mut problem = Problem {
            name: spec.name,
            depots,
            towns,
            fleet,
            travel,
            horizon_days: spec.horizon_days,
            max_snap_m,
            rounding: Rounding::Nearest,
            pickup_order: spec.pickup_order,
            day: None,
        };
        if let Some(state) = spec.state {
            problem.day = Some(std::sync::Arc::new(day::build_day(state, &problem)?));
        }
        Ok(problem)
    }
}

/// What a problem needs at all: no file left to read, a depot, towns (not
/// too many), a fleet, and ids unique (a town and a depot sharing one
/// included).
fn check_structure(spec: &ProblemSpec) -> Result<()> {
    // The model does no I/O: io::resolve_files reads referenced files first.
    let unread = match &spec.travel {
        Some(TravelSpec::RoadNetwork { nodes_csv, .. }) => Some(nodes_csv),
        Some(TravelSpec::Osm { pbf, .. }) => Some(pbf),
        _ => spec.towns_csv.as_ref().map(|c| &c.path),
    };
    if let Some(path) = unread {
        return Err(unread_file(path));
    }
    if spec.depots.is_empty() {
        return Err(Error::InvalidProblem("no depot given".into()));
    }
    if spec.towns.is_empty() {
        return Err(Error::InvalidProblem("no town given: nothing to deliver".into()));
    }
    if spec.towns.len() > MAX_TOWNS {
        return Err(Error::TooLarge {
            what: "number of towns",
            value: spec.towns.len() as u64,
            limit: MAX_TOWNS as u64,
        });
    }
    if spec.fleet.is_empty() {
        return Err(Error::InvalidProblem("no vehicle type given".into()));
    }
    check_unique("depot", spec.depots.iter().map(|d| d.id.as_str()))?;
    check_unique("town", spec.towns.iter().map(|t| t.id.as_str()))?;
    check_unique("vehicle type", spec.fleet.iter().map(|v| v.id.as_str()))?;
    // A town and a depot sharing an id would be ambiguous in every output.
    let depot_ids: HashSet<&str> = spec.depots.iter().map(|d| d.id.as_str()).collect();
    if let Some(t) = spec.towns.iter().find(|t| depot_ids.contains(t.id.as_str())) {
        return Err(Error::DuplicateId {
            kind: "town and depot",
            id: t.id.clone(),
        });
    }
    Ok(())
}
