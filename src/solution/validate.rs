//! An independent check of a solution against its problem.
//!
//! Shares no code with the solver's cost bookkeeping: it walks every route
//! from the ids in the solution, recomputes distance, duration and load from
//! the oracle, and compares with the limits and with what the solution claims.

use super::Solution;
use crate::distance::{TravelOracle, is_unreachable};
use crate::model::Problem;
use std::collections::HashMap;

/// One thing wrong with a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// A route names a vehicle type the problem does not have.
    UnknownVehicleType(String),
    /// A route's depot is not its vehicle type's home depot.
    WrongDepot {
        /// Route index.
        route: usize,
        /// Depot written in the route.
        depot: String,
    },
    /// A stop or unassigned entry names a town the problem does not have.
    UnknownTown(String),
    /// A town is visited more than once (or both visited and unassigned).
    ServedTwice(String),
    /// A town is neither visited nor listed as unassigned.
    Missing(String),
    /// Load above capacity.
    Capacity {
        /// Route index.
        route: usize,
        /// Load.
        load: u64,
        /// Capacity.
        capacity: u64,
    },
    /// Route longer than the vehicle's limit.
    Distance {
        /// Route index.
        route: usize,
        /// Distance.
        distance: i64,
        /// Limit.
        limit: i64,
    },
    /// Route lasts longer than the shift.
    Duration {
        /// Route index.
        route: usize,
        /// Duration, seconds.
        duration_s: i64,
        /// Limit, seconds.
        limit: i64,
    },
    /// A leg of the route cannot be driven.
    UnreachableLeg {
        /// Route index.
        route: usize,
    },
    /// More routes for a vehicle type than it has vehicles.
    TooManyVehicles {
        /// Vehicle type id.
        vehicle_type: String,
        /// Routes using it.
        used: usize,
        /// Vehicles available.
        available: u32,
    },
    /// A figure the solution states differs from the recomputed one.
    WrongFigure {
        /// Which figure ("route 3 distance", "total distance", ...).
        what: String,
        /// Stated value.
        stated: i64,
        /// Recomputed value.
        actual: i64,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::UnknownVehicleType(v) => write!(f, "unknown vehicle type '{v}'"),
            Violation::WrongDepot { route, depot } => {
                write!(f, "route {route}: depot '{depot}' is not the vehicle's home")
            }
            Violation::UnknownTown(t) => write!(f, "unknown town '{t}'"),
            Violation::ServedTwice(t) => write!(f, "town '{t}' appears more than once"),
            Violation::Missing(t) => write!(f, "town '{t}' is neither served nor reported unassigned"),
            Violation::Capacity { route, load, capacity } => {
                write!(f, "route {route}: load {load} exceeds capacity {capacity}")
            }
            Violation::Distance { route, distance, limit } => {
                write!(f, "route {route}: distance {distance} exceeds limit {limit}")
            }
            Violation::Duration {
                route,
                duration_s,
                limit,
            } => write!(f, "route {route}: duration {duration_s} s exceeds shift {limit} s"),
            Violation::UnreachableLeg { route } => write!(f, "route {route}: a leg is unreachable"),
            Violation::TooManyVehicles {
                vehicle_type,
                used,
                available,
            } => write!(
                f,
                "vehicle type '{vehicle_type}': {used} routes but {available} vehicles"
            ),
            Violation::WrongFigure { what, stated, actual } => {
                write!(f, "{what}: stated {stated}, recomputed {actual}")
            }
        }
    }
}

/// What the validator found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationReport {
    /// Total distance recomputed from the routes.
    pub cost: i64,
    /// Number of non-empty routes.
    pub routes: usize,
    /// Everything wrong; empty means feasible.
    pub violations: Vec<Violation>,
}

impl ValidationReport {
    /// True when nothing is wrong.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks `solution` against `problem`: each town served at most once (and
/// every town either served or reported unassigned), capacity, distance and
/// shift limits, fleet size, and every figure the solution states.
pub fn validate(problem: &Problem, oracle: &dyn TravelOracle, solution: &Solution) -> ValidationReport {
    let town_ix: HashMap<&str, usize> = problem
        .towns
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut seen = vec![false; problem.towns.len()];
    let mut v = Vec::new();
    let mut mark = |id: &str, v: &mut Vec<Violation>| match town_ix.get(id) {
        None => {
            v.push(Violation::UnknownTown(id.to_string()));
            None
        }
        Some(&i) if seen[i] => {
            v.push(Violation::ServedTwice(id.to_string()));
            Some(i)
        }
        Some(&i) => {
            seen[i] = true;
            Some(i)
        }
    };
    let mut used = vec![0usize; problem.fleet.len()];
    let (mut cost, mut duration_total, mut routes) = (0i64, 0i64, 0usize);
    for (r, route) in solution.routes.iter().enumerate() {
        let Some(vt_ix) = problem.fleet.iter().position(|f| f.id == route.vehicle_type) else {
            v.push(Violation::UnknownVehicleType(route.vehicle_type.clone()));
            continue;
        };
        let vt = &problem.fleet[vt_ix];
        if problem.depots[vt.depot].id != route.depot {
            v.push(Violation::WrongDepot {
                route: r,
                depot: route.depot.clone(),
            });
        }
        let towns: Vec<usize> = route.stops.iter().filter_map(|s| mark(&s.town, &mut v)).collect();
        if route.stops.is_empty() {
            continue;
        }
        routes += 1;
        used[vt_ix] += 1;
        // Walk the route: depot, towns..., depot.
        let path: Vec<usize> = std::iter::once(vt.depot)
            .chain(towns.iter().map(|&t| problem.depots.len() + t))
            .chain(std::iter::once(vt.depot))
            .collect();
        // Saturating: unreachable legs are huge and a bad route may hold many.
        let distance = path
            .windows(2)
            .fold(0i64, |a, w| a.saturating_add(oracle.distance(w[0], w[1])));
        let travel = path
            .windows(2)
            .fold(0i64, |a, w| a.saturating_add(oracle.travel_time(vt, w[0], w[1])));
        let service: i64 = towns.iter().map(|&t| i64::from(problem.towns[t].service_time)).sum();
        let load: u64 = towns.iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
        if path.windows(2).any(|w| is_unreachable(oracle.distance(w[0], w[1]))) {
            v.push(Violation::UnreachableLeg { route: r });
        }
        if load > u64::from(vt.capacity) {
            v.push(Violation::Capacity {
                route: r,
                load,
                capacity: vt.capacity.into(),
            });
        }
        if let Some(limit) = vt.max_distance.filter(|&l| distance > l) {
            v.push(Violation::Distance {
                route: r,
                distance,
                limit,
            });
        }
        let duration = travel.saturating_add(service);
        if let Some(limit) = vt.max_duration.filter(|&l| duration > l) {
            v.push(Violation::Duration {
                route: r,
                duration_s: duration,
                limit,
            });
        }
        compare_figures(
            &mut v,
            &format!("route {r} "),
            [
                ("distance", route.distance, distance),
                ("duration_s", route.duration_s, duration),
                ("load", route.load as i64, load as i64),
            ],
        );
        cost = cost.saturating_add(distance);
        duration_total = duration_total.saturating_add(duration);
    }
    for u in &solution.unassigned {
        mark(&u.town, &mut v);
    }
    for (i, s) in seen.iter().enumerate() {
        if !s {
            v.push(Violation::Missing(problem.towns[i].id.clone()));
        }
    }
    for (i, vt) in problem.fleet.iter().enumerate() {
        if let Some(count) = vt.count.filter(|&c| used[i] > c as usize) {
            v.push(Violation::TooManyVehicles {
                vehicle_type: vt.id.clone(),
                used: used[i],
                available: count,
            });
        }
    }
    let t = &solution.totals;
    compare_figures(
        &mut v,
        "",
        [
            ("total distance", t.distance, cost),
            ("total duration_s", t.duration_s, duration_total),
            ("vehicles used", t.vehicles_used as i64, routes as i64),
        ],
    );
    ValidationReport {
        cost,
        routes,
        violations: v,
    }
}

/// Records a [`Violation::WrongFigure`] for every (name, stated, recomputed)
/// triple that disagrees.
fn compare_figures<const N: usize>(v: &mut Vec<Violation>, prefix: &str, figures: [(&str, i64, i64); N]) {
    for (what, stated, actual) in figures {
        if stated != actual {
            v.push(Violation::WrongFigure {
                what: format!("{prefix}{what}"),
                stated,
                actual,
            });
        }
    }
}
