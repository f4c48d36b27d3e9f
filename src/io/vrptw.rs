//! What the Solomon reader ([`super::solomon`]) and the VRPLIB reader's
//! VRPTW path ([`super::vrplib`]) share: the in-memory VRPTW instance, its
//! limits and field checks, and the one builder that turns it into a
//! [`Problem`] in the DIMACS convention (tenths). Both readers use this
//! module; neither uses the other.

use crate::error::{Error, Result};
use crate::model::{
    DepotSpec, Location, Problem, ProblemSpec, Rounding, TimeSpec, TownSpec, Travel, TravelSpec, VehicleTypeSpec,
};
use rayon::prelude::*;
use std::sync::Arc;

/// Speed given to every vehicle type read from VRPLIB or Solomon files:
/// 3.6 km/h is one distance unit (metre) per second, so travel seconds
/// equal distance units.
pub const VRPLIB_SPEED_KMH: f64 = 3.6;

/// Model units per instance unit: distances, times and service times are
/// held in tenths.
pub const DIMACS_SCALE: f64 = 10.0;

/// Most locations (depot + customers) a VRPTW instance may have: the
/// distance matrix is held in full (`8 n²` bytes, 200 MB at this size).
pub const MAX_VRPTW_NODES: usize = 5_000;

/// Largest absolute coordinate accepted: every arc in tenths stays below
/// 2.9 × 10^9, inside the matrix's `u32`.
pub const MAX_VRPTW_COORDINATE: f64 = 1e8;

/// Largest ready time, due date or service time accepted (instance units).
pub const MAX_VRPTW_TIME: f64 = 1e8;

/// One node of a VRPTW instance in file units, before scaling.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VrptwNode {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub demand: f64,
    pub ready: f64,
    pub due: f64,
    pub service: f64,
}

/// A whole VRPTW instance in file units, as read by either parser.
#[derive(Debug, Clone)]
pub(crate) struct VrptwInstance {
    pub name: String,
    pub depot: VrptwNode,
    pub customers: Vec<VrptwNode>,
    pub vehicles: Option<u32>,
    pub capacity: f64,
}

/// Why a coordinate is refused, if it is.
pub(crate) fn coordinate_problem(axis: &str, v: f64) -> Option<String> {
    (!(v.is_finite() && v.abs() <= MAX_VRPTW_COORDINATE))
        .then(|| format!("{axis} coordinate {v} is outside -1e8..=1e8 (the limit for time-window instances)"))
}

/// Why a ready time, due date or service time is refused, if it is.
pub(crate) fn time_problem(what: &str, v: f64) -> Option<String> {
    if !v.is_finite() || v < 0.0 {
        Some(format!("{what} {v} must be a number >= 0"))
    } else if v > MAX_VRPTW_TIME {
        Some(format!("{what} {v} is larger than {MAX_VRPTW_TIME:e}"))
    } else {
        None
    }
}

/// Why a window `[ready, due]` is refused, if it is.
pub(crate) fn window_problem(ready: f64, due: f64) -> Option<String> {
    time_problem("ready time", ready)
        .or_else(|| time_problem("due date", due))
        .or_else(|| {
            (due < ready).then(|| format!("window closes before it opens: due date {due} < ready time {ready}"))
        })
}

/// Why a demand is refused, if it is.
pub(crate) fn demand_problem(v: f64) -> Option<String> {
    if !v.is_finite() {
        Some(format!("demand {v} is not a number"))
    } else if v < 0.0 {
        Some(format!("negative demand {v}"))
    } else if v > f64::from(u32::MAX) {
        Some(format!("demand {v} is too large"))
    } else {
        None
    }
}

/// `floor(10 · euclid)`: one arc in tenths ([`Rounding::DimacsTenths`]).
#[inline]
pub(crate) fn tenths(a: (f64, f64), b: (f64, f64)) -> u32 {
    Rounding::DimacsTenths.arc(a.0 - b.0, a.1 - b.1) as u32
}

/// Builds the problem in the DIMACS convention (module docs). The nodes'
/// values must have passed the checks above; the builder re-checks the rest.
pub(crate) fn build_problem(inst: VrptwInstance, source_name: &str) -> Result<Problem> {
    let n = inst.customers.len() + 1;
    if n > MAX_VRPTW_NODES {
        return Err(Error::TooLarge {
            what: "locations of a time-window instance",
            value: n as u64,
            limit: MAX_VRPTW_NODES as u64,
        });
    }
    if inst.customers.is_empty() {
        return Err(Error::parse(source_name, None, "no customer to serve"));
    }
    for node in std::iter::once(&inst.depot).chain(&inst.customers) {
        let bad = coordinate_problem("x", node.x)
            .or_else(|| coordinate_problem("y", node.y))
            .or_else(|| window_problem(node.ready, node.due))
            .or_else(|| time_problem("service time", node.service))
            .or_else(|| demand_problem(node.demand));
        if let Some(why) = bad {
            return Err(Error::parse(source_name, None, format!("node {}: {why}", node.id)));
        }
    }
    let scaled = |v: f64| TimeSpec::Seconds(v * DIMACS_SCALE);
    let planar = |v: &VrptwNode| Location::Planar { x: v.x, y: v.y };
    let spec = ProblemSpec {
        horizon_days: None,
        max_snap_m: None,
        pickup_order: Default::default(),
        state: None,
        name: inst.name,
        // Validated as Euclidean, then replaced by the tenths matrix below.
        travel: Some(TravelSpec::Euclidean),
        depots: vec![DepotSpec {
            id: inst.depot.id.clone(),
            name: String::new(),
            location: planar(&inst.depot),
            hours: Some([scaled(inst.depot.ready), scaled(inst.depot.due)]),
        }],
        towns: inst
            .customers
            .iter()
            .map(|c| TownSpec {
                id: c.id.clone(),
                name: String::new(),
                location: planar(c),
                demand: c.demand.into(),
                service_time_s: c.service * DIMACS_SCALE,
                pickup: 0.0.into(),
                prize: None,
                priority: None,
                release: None,
                windows: vec![[scaled(c.ready), scaled(c.due)]],
                drops: None,
                days: None,
                patterns: None,
                vehicle_types: None,
            })
            .collect(),
        towns_csv: None,
        fleet: vec![VehicleTypeSpec {
            id: "vehicle".into(),
            depot: inst.depot.id.clone(),
            count: inst.vehicles.map(i64::from),
            capacity: inst.capacity.into(),
            speed_kmh: VRPLIB_SPEED_KMH,
            ..VehicleTypeSpec::default()
        }],
    };
    let mut problem = Problem::from_spec(spec)?;
    let xy: Vec<(f64, f64)> = std::iter::once(&inst.depot)
        .chain(&inst.customers)
        .map(|v| (v.x, v.y))
        .collect();
    let mut m = vec![Some(0u32); n * n];
    m.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = Some(tenths(xy[i], xy[j]));
        }
    });
    let m = Arc::new(m);
    problem.rounding = Rounding::DimacsTenths;
    problem.travel = Travel::Matrix {
        distances: m.clone(),
        durations: Some(m),
    };
    Ok(problem)
}
