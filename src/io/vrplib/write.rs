//! The `.vrp` writer: a planar, Euclidean, single-depot, single-vehicle-type
//! problem as an `EUC_2D` instance, and the rules such a file cannot state.

use super::VRPLIB_SPEED_KMH;
use crate::error::{Error, Result};
use crate::model::{Location, PickupOrder, Problem, Rounding, Travel};
use std::fmt::Write as _;

#[cfg(doc)]
use super::read_vrp;

/// Writes a planar, Euclidean, single-depot, single-vehicle-type problem as
/// a `.vrp` instance (`EUC_2D`): the depot is node 1, town `i` is node
/// `i + 2`. `SERVICE_TIME` is written when all towns share one non-zero
/// service time, `DISTANCE` from the vehicle's `max_distance`, `VEHICLES`
/// from its count (`DISTANCE` and `SERVICE_TIME` in instance units: the
/// model figures divided by the problem's [`Rounding::scale`]; reading the
/// file back applies the reader's default convention, see the module docs).
/// Problems that cannot be expressed this way (several
/// depots or vehicle types, geographic locations, other travel measures,
/// differing service times, a shift limit other than the one
/// [`read_vrp`] derives from `DISTANCE`) are refused with
/// [`Error::InvalidProblem`].
pub fn write_vrp(problem: &Problem) -> Result<String> {
    let refuse = |why: &str| {
        Err(Error::InvalidProblem(format!(
            "cannot write '{}' as VRPLIB: {why}",
            problem.name
        )))
    };
    if problem.depots.len() != 1 {
        return refuse("it has more than one depot");
    }
    if problem.fleet.len() != 1 {
        return refuse("it has more than one vehicle type");
    }
    if !matches!(problem.travel, Travel::Euclidean) {
        return refuse("only Euclidean travel can be written (EUC_2D)");
    }
    let vt = &problem.fleet[0];
    if let Some(why) = unwritable_rule(problem) {
        return refuse(why);
    }
    // Several capacity dimensions and pickups are PyVRP's dialect: per
    // vehicle capacities (which need the count) and a BACKHAUL_SECTION, read
    // back with nearest rounding and without DISTANCE.
    let dims = problem.dimensions();
    let pickups = problem.has_pickups();
    if dims > 1 && vt.count.is_none() {
        return refuse("several capacity dimensions are written per vehicle (CAPACITY_SECTION), which needs a count");
    }
    if (dims > 1 || pickups) && (vt.max_distance.is_some() || problem.rounding != Rounding::Nearest) {
        return refuse(
            "several capacity dimensions and pickups are written in PyVRP's dialect, which has no DISTANCE and reads \
             distances rounded to the nearest integer",
        );
    }
    let service = problem.towns.first().map_or(0, |t| t.service_time);
    if problem.towns.iter().any(|t| t.service_time != service) {
        return refuse("towns have different service times");
    }
    if let Some(d) = vt.max_duration
        && !(vt.max_distance == Some(d) && vt.speed_kmh == VRPLIB_SPEED_KMH)
    {
        return refuse("its shift limit (max_duration) has no VRPLIB equivalent");
    }
    let mut xy = Vec::with_capacity(problem.num_locations());
    for loc in problem.locations() {
        match loc {
            Location::Planar { x, y } => xy.push((x, y)),
            Location::Geo { .. } => return refuse("its locations are geographic, not planar"),
        }
    }
    let mut out = String::new();
    let name = if problem.name.trim().is_empty() {
        "unnamed"
    } else {
        problem.name.trim()
    };
    let _ = writeln!(out, "NAME : {name}");
    let kind = if pickups && problem.pickup_order == PickupOrder::DeliveriesFirst {
        "VRPB"
    } else {
        "CVRP"
    };
    let _ = writeln!(out, "TYPE : {kind}");
    let _ = writeln!(out, "DIMENSION : {}", xy.len());
    let _ = writeln!(out, "EDGE_WEIGHT_TYPE : EUC_2D");
    // One column per capacity dimension.
    let columns = |first: u32, extra: &[u32]| {
        std::iter::once(first)
            .chain(extra.iter().copied())
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if dims == 1 {
        let _ = writeln!(out, "CAPACITY : {}", vt.capacity);
    }
    // In instance units: the reader scales them back by its convention.
    let units = |v: i64| problem.rounding.to_instance(v);
    if let Some(d) = vt.max_distance {
        let _ = writeln!(out, "DISTANCE : {}", units(d));
    }
    if service > 0 {
        let _ = writeln!(out, "SERVICE_TIME : {}", units(i64::from(service)));
    }
    if let Some(c) = vt.count {
        let _ = writeln!(out, "VEHICLES : {c}");
    }
    out.push_str("NODE_COORD_SECTION\n");
    for (i, (x, y)) in xy.iter().enumerate() {
        let _ = writeln!(out, "{} {x} {y}", i + 1);
    }
    let zeros = vec![0; dims - 1];
    let _ = writeln!(out, "DEMAND_SECTION\n1 {}", columns(0, &zeros));
    for (i, t) in problem.towns.iter().enumerate() {
        let _ = writeln!(out, "{} {}", i + 2, columns(t.demand, &t.extra_demand));
    }
    if pickups {
        let _ = writeln!(out, "BACKHAUL_SECTION\n1 {}", columns(0, &zeros));
        for (i, t) in problem.towns.iter().enumerate() {
            let _ = writeln!(out, "{} {}", i + 2, columns(t.pickup, &t.extra_pickup));
        }
    }
    if dims > 1 {
        out.push_str("CAPACITY_SECTION\n");
        for k in 1..=vt.count.unwrap_or(0) {
            let _ = writeln!(out, "{k} {}", columns(vt.capacity, &vt.extra_capacity));
        }
    }
    out.push_str("DEPOT_SECTION\n1\n-1\nEOF\n");
    Ok(out)
}

/// The first rule of `problem` that a VRPLIB file of [`write_vrp`] cannot
/// state (it is refused rather than dropped).
fn unwritable_rule(problem: &Problem) -> Option<&'static str> {
    let vt = problem.fleet.first()?;
    let rules: [(bool, &'static str); 12] = [
        (problem.horizon_days.is_some(), "it is a multi-day plan"),
        (
            problem.towns.iter().any(|t| !t.windows.is_empty()),
            "towns have opening hours",
        ),
        (
            problem.towns.iter().any(|t| t.prize.is_some()),
            "some towns are optional (prizes)",
        ),
        (problem.towns.iter().any(|t| t.release > 0), "towns have release times"),
        (
            problem.towns.iter().any(|t| !t.allowed_types.is_empty()),
            "towns name their vehicle types",
        ),
        (problem.towns.iter().any(|t| t.priority > 0), "towns have priorities"),
        (!vt.reload_depots.is_empty(), "its vehicles reload"),
        (!vt.breaks.is_empty(), "its drivers take breaks"),
        (
            vt.fixed_cost != 0 || vt.cost_per_km != 0.0 || vt.cost_per_hour != 0.0,
            "its vehicles have money costs",
        ),
        (!vt.shift.is_always(), "its vehicles have a shift"),
        (
            vt.max_stops.is_some() || vt.max_overtime > 0,
            "its vehicles have a stop limit or overtime",
        ),
        (
            vt.end != crate::model::RouteEnd::Depot(vt.depot),
            "its routes end elsewhere",
        ),
    ];
    rules.iter().find(|r| r.0).map(|r| r.1)
}
